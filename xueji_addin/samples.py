"""The bundled sample class file: a realistic class of 45 pupils with a dozen typical mistakes.

Built deterministically from ``synth`` so that ``xueji demo`` works from an installed package and
the copy committed under ``workbook_template/`` can be checked for staleness by a test.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from openpyxl import Workbook

from xueji_addin import synth
from xueji_addin.spec.profiles import Profile, default_profile
from xueji_addin.workbook.atomic import XLSX, atomic_path
from xueji_addin.workbook.cells import set_text
from xueji_addin.workbook.styling import style_roster_sheet

SAMPLE_NAME = "示例班级_20240101.xlsx"
SAMPLE_SEED = 20240101

# (data row index 0-based, key, value, what the mistake is) — the rows are sheet rows 2…46.
def _mistakes(recs: list[dict[str, object]]) -> list[tuple[int, str, object, str]]:
    def other_birth(i: int) -> str:
        d = dt.date(int(str(recs[i]["birth_date"])[:4]), int(str(recs[i]["birth_date"])[4:6]), 15)
        return f"{d:%Y%m%d}" if str(recs[i]["birth_date"])[6:] != "15" else f"{d:%Y%m}16"

    def bad_check(i: int) -> str:
        n = str(recs[i]["id_number"])
        return n[:-1] + ("0" if n[-1] != "0" else "1")

    return [
        (1, "id_number", float(str(recs[1]["id_number"])), "Excel 把身份证号存成了数字"),
        (3, "birth_date", other_birth(3), "出生日期与身份证号不一致"),
        (5, "gender", "女" if recs[5]["gender"] == "男" else "男", "性别与身份证号不一致"),
        (7, "ethnicity", "汉", "民族写了简称"),
        (9, "id_number", bad_check(9), "身份证号抄错一位"),
        (11, "birth_date", dt.datetime.strptime(str(recs[11]["birth_date"]), "%Y%m%d"), "出生日期是 Excel 日期格式"),
        (13, "phone", "1391234567", "手机号少一位"),
        (15, "enroll_ym", "2024.9", "入学年月写成了 2024.9"),
        (17, "m1_phone", "１３９１２３４５６７８", "全角数字"),
        (19, "id_number", str(recs[20]["id_number"]), "与下一行身份证号重复"),
        (21, "disability_type", "无残疾", "视力残疾随班就读，残疾类型却是无残疾"),
        (23, "hukou_region_code", str(recs[23]["hukou_region_code"])[:6], "行政区划代码只写了6位"),
        (25, "m1_relation_note", None, "成员1关系为其他，却没有说明是什么关系"),
        (27, "name", " ".join(str(recs[27]["name"])), "姓名中有空格"),
        (29, "current_address", None, "必填的现住址为空"),
        (31, "postcode", 710061, "邮政编码存成了数字"),
    ]


def sample_records() -> tuple[list[dict[str, object]], list[tuple[int, str, object, str]]]:
    recs: list[dict[str, object]] = [dict(r) for r in synth.class_roster(SAMPLE_SEED, 45)]
    recs[21]["inclusive_class"] = "视力残疾随班就读"  # with 残疾类型 left at 无残疾 (a mistake below)
    recs[25]["m1_relation"] = "其他"  # with 关系说明 left empty (a mistake below)
    mistakes = _mistakes(recs)
    for i, key, value, _ in mistakes:
        recs[i][key] = value
    return recs, mistakes


def write_roster_xlsx(path: str | Path, records: list[dict[str, object]], profile: Profile | None = None) -> None:
    """A plain roster file in the template's layout (values as given: text stays text)."""
    profile = profile or default_profile()
    wb = Workbook()
    ws = wb.active
    ws.title = profile.sheet_name
    for c, col in enumerate(profile.columns, start=1):
        set_text(ws.cell(1, c), col.header)
    for r, rec in enumerate(records, start=2):
        for c, col in enumerate(profile.columns, start=1):
            v = rec.get(col.key)
            if v is None or v == "":
                continue
            cell = ws.cell(r, c)
            set_text(cell, v)
            if isinstance(v, (dt.date, dt.datetime)):
                cell.number_format = "yyyy-mm-dd"
    style_roster_sheet(wb, ws, profile, data_rows=max(len(records), 100))  # after values: dates keep their format
    with atomic_path(path, kind=XLSX) as tmp:
        wb.save(tmp)


def build_sample(path: str | Path) -> Path:
    recs, _ = sample_records()
    write_roster_xlsx(path, recs)
    return Path(path)


def write_tables_xlsx(path: str | Path, tables: list[tuple[Profile, list[dict[str, object]]]]) -> None:
    """One workbook with a sheet per table (学校, 班级, 教师, 学生 …), each in its template's layout."""
    wb = Workbook()
    wb.remove(wb.active)
    for profile, records in tables:
        ws = wb.create_sheet(profile.sheet_name)
        for c, col in enumerate(profile.columns, start=1):
            set_text(ws.cell(1, c), col.header)
        style_roster_sheet(wb, ws, profile, data_rows=max(len(records), 20))
        for r, rec in enumerate(records, start=2):
            for c, col in enumerate(profile.columns, start=1):
                v = rec.get(col.key)
                if v is not None and v != "":
                    set_text(ws.cell(r, c), v)
    with atomic_path(path, kind=XLSX) as tmp:
        wb.save(tmp)
