"""The school's classes as the registrar tools need them: 班号 → 班级名称, from the 班级信息表 (a sheet
of the workbook or a ``--classes`` file) or else the settings (``classes``, ``class_names``)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from xueji_addin.rules.engine import normalised
from xueji_addin.rules.roster import Roster
from xueji_addin.spec.profiles import Role
from xueji_addin.spec.settings import Settings



@dataclass
class ClassList:
    names: dict[str, str] = field(default_factory=dict)  # 班号 → 班级名称 ("" when unknown), table order
    source: str = ""  # "班级信息表" | "设置文件" | "" (no class list known)

    def label(self, class_no: str) -> str:
        """What to call a class in file and sheet names: its 班级名称 when known, else its 班号."""
        return self.names.get(class_no) or class_no

    def unknown(self, keys: Iterable[str]) -> list[str]:
        """The 班号 among ``keys`` that the class list does not have (none when no list is known)."""
        return [k for k in keys if self.names and k not in self.names]

    def missing(self, received: Iterable[str]) -> list[tuple[str, str]]:
        """(班号, 班级名称) of the classes that sent nothing, in the list's order."""
        got = set(received)
        return [(no, name) for no, name in self.names.items() if no not in got]


def class_list(settings: Settings | None = None, rosters: Iterable[Roster] = ()) -> ClassList:
    """The classes of the first 班级信息表 among ``rosters``; without one, those of the settings."""
    settings = settings or Settings()
    for r in rosters:
        if r.profile.role is Role.CLASSES:
            ctx = normalised(r, settings)
            names = {no: name for no, name in zip(ctx.v("class_no"), ctx.v("class_name")) if no}
            if names:
                return ClassList({no: names[no] or settings.class_names.get(no, "") for no in names}, "班级信息表")
    if settings.classes or settings.class_names:
        nos = list(dict.fromkeys([*settings.classes, *settings.class_names]))
        return ClassList({no: settings.class_names.get(no, "") for no in nos}, "设置文件")
    return ClassList()
