"""Worksheet functions of the add-in (``@xw.func``; Excel on Windows through the UDF server).

Parameter names become the VBA wrappers' (setup_addin.py), so none is a VBA keyword (Name…).
Each returns a Chinese text: the answer, "" when there is nothing to say, or one sentence saying
what is wrong with the arguments — a formula never shows a Python error. The checks are the rule
engine's own (the column's cell checker, the ID check, the engine on a one-row roster).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from xueji_addin.rules import ids
from xueji_addin.rules.cells import cell_checker
from xueji_addin.rules.engine import check
from xueji_addin.rules.findings import RULES, Issue
from xueji_addin.rules.normalize import normalise
from xueji_addin.rules.roster import Roster
from xueji_addin.spec import regions
from xueji_addin.spec.codes import CodeTable, code_tables
from xueji_addin.spec.columns import Column, Kind
from xueji_addin.spec.profiles import Role, default_profile, profiles_of
from xueji_addin.spec.settings import Settings

try:
    import xlwings as xw

    func = xw.func
except ImportError:  # the core install has no xlwings: the functions stay plain Python

    def func(f: Any) -> Any:
        return f

PARTS = {
    "出生日期": "birth", "生日": "birth", "birth": "birth", "1": "birth",
    "性别": "sex", "sex": "sex", "2": "sex",
    "出生地": "place", "籍贯": "place", "place": "place", "3": "place",
}


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _is_block(value: object) -> bool:
    return isinstance(value, (list, tuple))


def _column(header: object) -> Column | str:
    name = _text(header)
    if not name:
        return "第二个参数应是模板的列名，如“身份证件号”。"
    # Any version of the student template (学籍接续标识 is version B's): the first that has the column.
    col = next((c for p in profiles_of(Role.STUDENTS) if (c := p.column_for_header(name)) is not None), None)
    return col if col is not None else f"“{name}”不是学生基础信息模板中的列名。"


def _say(issues: list[Issue]) -> str:
    return "；".join(i.message + (f"（{i.suggestion}）" if i.suggestion else "") for i in issues)


@func
def XJ_CHECK(value: Any, header: Any) -> str:
    """检查一个值是否符合模板某一列的要求：有问题时返回说明，没有问题时返回空白。"""
    if _is_block(value):
        return "第一个参数只能是一个单元格。"
    col = _column(header)
    if isinstance(col, str):
        return col
    if value is None or value == "":
        return ""  # empty cells are the required-field rules' business (校验本表)
    text, issues = cell_checker(col, Settings())(value)
    if col.kind is Kind.ID_NUMBER:
        issues = issues + ids.check_id(text, value, "", member=col.key != "id_number")[0]
    return _say(issues)


@func
def XJ_ROW(row: Any) -> str:
    """检查一整行（从 A 列起的模板 71 列）：返回这一行的全部问题，没有问题时返回空白。"""
    if not _is_block(row):
        return "参数应是一整行，例如 A2:BS2。"
    values = list(row)
    if values and _is_block(values[0]):
        if len(values) > 1:
            return "只能检查一行，请选择一行，例如 A2:BS2。"
        values = list(values[0])
    if all(v is None or v == "" for v in values):
        return ""
    profile = default_profile()
    record = {c.key: values[c.order - 1] if c.order <= len(values) else None for c in profile.columns}
    findings = check(Roster.from_records(profile, [record]), Settings())
    return "；".join(f"【{f.header}】{f.message}" for f in findings if RULES[f.code].scope in ("cell", "row"))


@func
def XJ_ID(number: Any, part: Any = "出生日期") -> str:
    """从居民身份证号取出生日期（YYYYMMDD）、性别（男/女）或出生地（第二个参数：出生日期 / 性别 / 出生地）。"""
    if _is_block(number):
        return "第一个参数只能是一个单元格。"
    which = PARTS.get(_text(part).lower() if part is not None else "出生日期")
    if which is None:
        return "第二个参数只能是“出生日期”“性别”或“出生地”。"
    text, issues = normalise(number, Kind.ID_NUMBER)
    if not text:
        return "" if not issues else _say(issues)
    found, info = ids.check_id(text, number, ids.RIC, member=False)
    if info is None:
        errors = [i for i in found if (i.severity or RULES[i.code].severity).value == "error"]
        return _say(errors or found) or "不是有效的居民身份证号。"
    code = text.upper()
    if which == "birth":
        return info.birth
    if which == "sex":
        return "男" if info.male else "女"
    return regions.full_name(code[:6]) or f"前6位 {code[:6]} 不是已知的行政区划代码。"


def _table(table: Any) -> CodeTable | str:
    name = _text(table)
    if not name:
        return "第一个参数应是代码表名称，如“民族”。"
    tables = code_tables()
    if name.upper() in tables:
        return tables[name.upper()]
    for t in tables.values():
        if t.title == name:
            return t
    col = default_profile().column_for_header(name)
    if col is not None and col.code_table:
        return tables[col.code_table]
    return f"没有名为“{name}”的代码表（可用：{'、'.join(t.title for t in tables.values())}）。"


@func
def XJ_CODE(table: Any, item: Any) -> str:
    """代码表中某个名称的代码，如 XJ_CODE("民族","汉族") → 01。"""
    if _is_block(table) or _is_block(item):
        return "参数只能是单个单元格或文字。"
    t = _table(table)
    if isinstance(t, str):
        return t
    value = _text(item)
    if not value:
        return ""
    match = t.match(value)
    code = t.code_of(match.name) if match.name else None
    return code if code is not None else f"“{value}”不是“{t.title}”代码表中的选项。"


@func
def XJ_NAME(table: Any, code: Any) -> str:
    """代码表中某个代码的名称，如 XJ_NAME("民族","01") → 汉族。"""
    if _is_block(table) or _is_block(code):
        return "参数只能是单个单元格或文字。"
    t = _table(table)
    if isinstance(t, str):
        return t
    if isinstance(code, (dt.date, dt.datetime, bool)):
        return f"“{code}”不是“{t.title}”代码表中的代码。"
    value = _text(code)
    if not value:
        return ""
    for key in (value, value.zfill(2)) if value.isdigit() else (value.upper(),):
        if key in t.codes:
            return t.codes[key]
    return f"“{value}”不是“{t.title}”代码表中的代码。"


UDFS = (XJ_CHECK, XJ_ROW, XJ_ID, XJ_CODE, XJ_NAME)
