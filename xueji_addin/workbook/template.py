"""The ministry template workbook, built from the profile: what a head teacher types into.

Sheet 学生基础信息 with the profile's headers in order (the file stays importable: sheet name,
header texts and column order exactly as the profile says), styled by ``style_roster_sheet``:
dropdowns, Text columns, notes, input messages and the conditional formats that turn wrong
cells red as they are typed. Helper sheets: 行政区划 (visible picker), 代码表 and 学校设置 (hidden).
"""

from __future__ import annotations

from pathlib import Path

from openpyxl import Workbook

from xueji_addin.rules.places import check_class_no, check_school_code
from xueji_addin.spec.profiles import Profile, default_profile
from xueji_addin.spec.settings import Settings, SettingsError
from xueji_addin.workbook.atomic import XLSX, atomic_path
from xueji_addin.workbook.cells import set_text
from xueji_addin.workbook.styling import style_roster_sheet

TEMPLATE_NAME = "学生基础信息导入模板.xlsx"
DATA_ROWS = 1000  # rows covered by dropdowns and conditional formats
PREFILL_ROWS = 60  # rows that get 学校标识码 / 班号 when they are known (a large class)


def prefill_values(settings: Settings, class_no: str | None) -> dict[str, str]:
    """Column key → value to prefill; a class or school code that the checks would reject is refused."""
    values: dict[str, str] = {}
    if settings.school_code:
        issues = check_school_code(settings.school_code, None)
        if issues:
            raise SettingsError(f"设置文件中的学校标识码“{settings.school_code}”有误：{issues[0].message}。")
        values["school_code"] = settings.school_code
    if class_no:
        class_no = class_no.strip()
        issues = check_class_no(class_no, settings.classes)
        if issues:
            raise SettingsError(f"班号“{class_no}”有误：{issues[0].message}（{issues[0].suggestion}）。")
        values["class_no"] = class_no
    return values


def build_template(settings: Settings | None = None, *, class_no: str | None = None,
                   profile: Profile | None = None, prefill_rows: int = PREFILL_ROWS) -> Workbook:
    profile = profile or default_profile()
    settings = settings or Settings()
    prefill = prefill_values(settings, class_no)
    wb = Workbook()
    ws = wb.active
    ws.title = profile.sheet_name
    hrow = profile.header_row
    for col in profile.columns:
        set_text(ws.cell(hrow, col.order), col.header)
    for key, value in prefill.items():
        col = profile.by_key.get(key)
        if col is None:  # the teacher table has no 学校标识码 column, only the student table a 班号 to prefill
            continue
        for r in range(hrow + 1, hrow + 1 + prefill_rows):
            set_text(ws.cell(r, col.order), value)
    style_roster_sheet(wb, ws, profile, settings, data_rows=DATA_ROWS)
    return wb


def write_template(path: str | Path, settings: Settings | None = None, *, class_no: str | None = None,
                   profile: Profile | None = None) -> Path:
    wb = build_template(settings, class_no=class_no, profile=profile)
    with atomic_path(path, kind=XLSX) as tmp:
        wb.save(tmp)
    return Path(path)
