"""刷新下拉: give a roster the template's formats, dropdowns and conditional formats again, without
changing any value (an old export, or a copy where Excel or another tool lost them)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from xueji_addin.actions.settings_sheet import read_settings
from xueji_addin.rules.roster import Roster
from xueji_addin.spec.profiles import Role
from xueji_addin.spec.settings import Settings
from xueji_addin.workbook.host import Host
from xueji_addin.workbook.reader import ReadError, read_book, table_on


def template_fits(roster: Roster) -> bool:
    """The sheet's header is the profile's, in the template's place: dropdowns land on the right columns."""
    return roster.header.exact and roster.header.header_row == roster.profile.header_row


def refresh(host: Host, roster: Roster, settings: Settings | None = None) -> None:
    """Re-create the template's help on the roster's sheet of ``host``."""
    host.apply_template(roster.sheet, roster.profile, settings)


@dataclass
class Refreshed:
    sheet: str
    roster: Roster

    def summary(self) -> str:
        return (f"已为“{self.sheet}”重新加上下拉列表、每列的填写说明和自动标红；"
                f"{self.roster.profile.count(len(self.roster))}的内容没有任何改动。")


def refresh_active(host: Host, base: Settings | None = None) -> Refreshed:
    """刷新下拉 (the ribbon button): the active sheet, with the workbook's own settings."""
    sheet = host.active_sheet()
    roster = table_on(host, sheet)
    if not template_fits(roster):
        raise ReadError(f"“{sheet}”的表头与模板不一致（{_differences(roster)}），下拉列表会加错列；"
                        "请先按模板恢复表头（或用“导入其他格式”转换）再点“刷新下拉”。")
    refresh(host, roster, read_settings(host, base))
    return Refreshed(sheet, roster)


def _differences(roster: Roster) -> str:
    return "；".join(roster.header.describe()[:3]) or f"表头不在第{roster.profile.header_row}行"


def refresh_if_fits(host: Host, roster: Roster, settings: Settings | None = None) -> bool:
    """For copies we write anyway (marked, fixed): add the help when the header allows it."""
    if not template_fits(roster):
        return False
    refresh(host, roster, settings)
    return True


def refresh_file(path: str | Path, out: str | Path, base: Settings | None = None) -> tuple[Roster, str]:
    """``xueji dropdowns``: a copy of ``path`` with the template's help; refuses a header that differs.
    The file's own 学校设置 over ``base``, as the button takes the workbook's (its class list makes the
    班号 dropdown, and the copy keeps it); with the sentence ``book_settings`` says."""
    from xueji_addin.actions.pipeline import book_settings
    from xueji_addin.actions.validate import Checked, open_copy

    book = read_book(path)
    roster = book.table(Role.STUDENTS) or book.rosters[0]
    if not template_fits(roster):
        raise ReadError(f"“{Path(path).name}”的表头与模板不一致（{_differences(roster)}），下拉列表会加错列；请先按模板恢复表头。")
    settings, note = book_settings(book, base, "刷新下拉")
    # A copy whose roster sheet holds its header alone (light_copy.py), as fix's: the rows, which
    # nothing here changes, stream back at save (openpyxl's whole load and save took 27 s of a
    # 10,000-pupil school).
    host = open_copy(path, roster.sheet, touch=[Checked(roster, [])])
    refresh(host, roster, settings)
    host.save(out, protect=(path,))  # type: ignore[attr-defined]
    return roster, note
