"""导入其他格式: rows from an old system's export or a teacher's own sheet, into the template.

Columns are mapped by header: the template's own header, a known synonym from the profile data
(``header_aliases``), or a line of the user's mapping file. Code columns get their names (01 →
汉族, 男性 → 男) through the code tables; Excel dates become the template's 8-digit text. The
mapping is shown before anything is written, and columns that map to nothing are kept in a side
sheet with their row numbers, never silently dropped.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from xueji_addin.rules.dates import text_date
from xueji_addin.rules.cells import column_blanks
from xueji_addin.rules.normalize import APOSTROPHE, date_text, is_placeholder, number_text
from xueji_addin.spec.codes import code_table
from xueji_addin.spec.columns import Column, Kind, column_letter
from xueji_addin.spec.profiles import Profile, default_profile, fold_header
from xueji_addin.spec.settings import read_toml
from xueji_addin.workbook.names import EXTRA_SHEET
from xueji_addin.workbook.reader import data_rows, is_blank
from xueji_addin.workbook.reader import ReadError, Sheet
from xueji_addin.workbook.roster_file import add_table_sheet, roster_workbook

BY_NAME, BY_ALIAS, BY_MAP, BY_VALUES = "同名", "同义词", "映射文件", "同义词（按内容）"
MIN_COLUMNS = 3  # a header row must name at least this many template columns to be taken as one


@dataclass
class Mapping:
    """What the user's mapping file says: source header → template header ("" = do not import)."""

    columns: dict[str, str] = field(default_factory=dict)
    sheet: str | None = None
    header_row: int | None = None


def load_mapping(path: str | Path | None, profile: Profile | None = None) -> Mapping:
    """Read ``mapping.toml``::

        sheet = "Sheet1"        # optional
        header_row = 2          # optional
        [columns]
        "学生身份证" = "身份证件号"
        "备注" = ""             # do not import
    """
    if path is None:
        return Mapping()
    profile = profile or default_profile()
    p = Path(path)
    data = read_toml(p, "映射文件", ReadError)
    columns = data.get("columns", {})
    if not isinstance(columns, dict) or not all(isinstance(v, str) for v in columns.values()):
        raise ReadError(f"映射文件 {p.name} 的 [columns] 一节应为 “原列名” = “模板列名” 的形式。")
    for source, target in columns.items():
        if target and profile.column_for_header(target, aliases=False) is None:
            raise ReadError(f"映射文件 {p.name} 中“{source}”对应的“{target}”不是模板中的列名。")
    header_row = data.get("header_row")
    if header_row is not None and (not isinstance(header_row, int) or header_row < 1):
        raise ReadError(f"映射文件 {p.name} 中的 header_row 应为正整数（表头所在的行号）。")
    return Mapping({fold_header(k): v for k, v in columns.items()}, data.get("sheet"), header_row)


@dataclass
class ColumnMap:
    index: int  # 0-based column in the source sheet
    header: str  # as written in the source
    column: Column | None  # the template column, None when not imported
    how: str  # 同名 / 同义词 / 映射文件, or why it is not imported

    @property
    def letter(self) -> str:
        return column_letter(self.index + 1)


@dataclass
class Conversion:
    column: Column
    how: str  # "代码改为名称" …
    count: int
    examples: list[tuple[str, str]]


@dataclass
class Plan:
    sheet: Sheet
    header_row: int
    columns: list[ColumnMap]
    rows: list[int]  # source sheet row of each data row
    cells: list[list[object]]

    @property
    def mapped(self) -> list[ColumnMap]:
        return [c for c in self.columns if c.column is not None]

    @property
    def unmapped(self) -> list[ColumnMap]:
        return [c for c in self.columns if c.column is None]

    def missing(self, profile: Profile) -> list[Column]:
        have = {c.column.key for c in self.mapped if c.column}
        return [c for c in profile.columns if c.key not in have]


def _map_row(header: list[object], profile: Profile, mapping: Mapping) -> list[ColumnMap]:
    out: list[ColumnMap] = []
    for i, h in enumerate(header):
        key = fold_header(h)
        if not key:
            continue
        text = str(h).strip()
        if key in mapping.columns:
            target = mapping.columns[key]
            col = profile.column_for_header(target, aliases=False) if target else None
            out.append(ColumnMap(i, text, col, BY_MAP if col else "映射文件中注明不导入"))
            continue
        col = profile.column_for_header(h)
        how = "" if col is None else (BY_NAME if fold_header(col.header) == key else BY_ALIAS)
        if col is None and (col := _by_values(profile, key)) is not None:
            how = BY_VALUES
        out.append(ColumnMap(i, text, col, how or "模板中没有对应的列"))
    named = {c.column.key for c in out if c.column is not None and c.how != BY_VALUES}
    for c in out:  # another export's header yields to the template's own (班级 beside 班号)
        if c.how == BY_VALUES and c.column is not None and c.column.key in named:
            c.column, c.how = None, f"模板列“{c.column.header}”已有对应的列"
    # Two source columns for one template column: which one is meant cannot be told, so neither is guessed.
    seen: dict[str, list[ColumnMap]] = {}
    for c in out:
        if c.column is not None:
            seen.setdefault(c.column.key, []).append(c)
    clashes = [cs for cs in seen.values() if len(cs) > 1]
    if clashes:
        parts = "；".join(
            f"{'、'.join(f'{c.letter}列“{c.header}”' for c in cs)}都对应模板列“{cs[0].column.header}”"  # type: ignore[union-attr]
            for cs in clashes
        )
        raise ReadError(f"{parts}：无法确定用哪一列。请在映射文件的 [columns] 中把其中一列写成 \"\"（不导入）。")
    return out


def plan_import(sheets: list[Sheet], source: str, mapping: Mapping | None = None, profile: Profile | None = None) -> Plan:
    """Find the header row (the row naming most template columns) and map each column by header."""
    profile = profile or default_profile()
    mapping = mapping or Mapping()
    if mapping.sheet is not None:
        chosen = [s for s in sheets if s.name == mapping.sheet]
        if not chosen:
            names = "、".join(s.name for s in sheets)
            raise ReadError(f"“{source}”中没有映射文件指定的工作表“{mapping.sheet}”（现有：{names}）。")
        sheets = chosen
    best: tuple[int, Sheet, int, list[ColumnMap]] | None = None
    for s in sheets:
        candidates = [mapping.header_row] if mapping.header_row else range(1, min(len(s.rows), 10) + 1)
        for r in candidates:
            if r > len(s.rows):
                continue
            try:
                cols = _map_row(list(s.rows[r - 1]), profile, mapping)
            except ReadError:
                if mapping.header_row:
                    raise
                continue
            score = sum(c.column is not None for c in cols)
            if best is None or score > best[0]:
                best = (score, s, r, cols)
    if best is not None and mapping.header_row is None and best[0] < MIN_COLUMNS:
        # The best row may have failed only because of a clash: report that clash rather than "no header".
        best = None
    if best is None:
        for s in sheets:
            for r in range(1, min(len(s.rows), 10) + 1):
                _map_row(list(s.rows[r - 1]), profile, mapping)  # raises the clash, if that is the cause
        raise ReadError(
            f"在“{source}”的前10行中找不到表头：没有一行含有至少{MIN_COLUMNS}个模板列名或其常见写法"
            "（如“姓名”“性别”“身份证号”）。可用 --map 映射文件指明列的对应关系。"
        )
    _, sheet, hrow, cols = best
    _unknown_map_keys(mapping, sheet, hrow)
    prefill = {c.column.key: c.index for c in cols if c.column is not None}
    rows, kept = data_rows(sheet.rows, hrow, prefill)
    cells = [list(r) for r in kept]
    for c in cols:
        if c.how == BY_VALUES and c.column is not None and not _values_fit(c.column, [r[c.index] for r in cells if c.index < len(r)]):
            c.column, c.how = None, f"内容不像“{c.column.header}”（{_FORM[c.column.kind][1]}），未导入"
    return Plan(sheet, hrow, cols, rows, cells)


def _by_values(profile: Profile, key: str) -> Column | None:
    """The column another export names so (班级 for 班号), to be taken only if its values fit."""
    return next((c for c in profile.columns if key in map(fold_header, c.header_if_values)), None)


# What the values of a column named by another export's header must look like: (digit counts, in words).
_FORM = {Kind.CLASS_NO: ((6, 8), "6或8位数字的班号"), Kind.REGION: ((6, 12), "6或12位数字的行政区划代码")}


def _values_fit(col: Column, values: list[object]) -> bool:
    """Whether the filled values (most of them: a few typos are the check's to report) are of the column's form."""
    lengths, _ = _FORM[col.kind]
    texts = [t for v in values if not is_blank(v) and (t := number_text(v) if isinstance(v, (int, float)) else str(v).strip())]
    fit = sum(t.isdigit() and len(t) in lengths for t in texts)
    return bool(texts) and fit * 10 >= len(texts) * 9


def _unknown_map_keys(mapping: Mapping, sheet: Sheet, hrow: int) -> None:
    """A --map line whose source column is not in the header row is a mistake to be told, not ignored."""
    present = {fold_header(h) for h in sheet.rows[hrow - 1]}
    unknown = [k for k in mapping.columns if k not in present]
    if unknown:
        names = "、".join(f"“{k}”" for k in unknown)
        raise ReadError(f"映射文件中的列 {names} 在“{sheet.name}”第{hrow}行的表头中找不到：请按表头的写法填写原列名。")


def convert(value: object, col: Column, blanks: frozenset[str] | None = None) -> tuple[object, str]:
    """The template's form of one imported value, and what was done ("" when nothing). ``blanks``:
    the column's placeholders (``column_blanks``), worked out once for a whole column."""
    if is_blank(value):
        return value, ""
    if blanks is None:
        blanks = column_blanks(col)
    if isinstance(value, str) and value.strip()[:1] == APOSTROPHE:  # an exporter's text mark: '2161010001
        inner, _ = convert(value.strip()[1:], col, blanks)
        return inner, "去掉导出程序标记文本的单引号"
    if isinstance(value, str) and is_placeholder(value.strip(), blanks):
        return None, "占位符（NULL、无 等）改为空"
    if isinstance(value, (dt.date, dt.datetime)) and col.kind in (Kind.DATE, Kind.YEAR_MONTH):
        return date_text(value, col.kind), "从 Excel 日期改为数字文本"
    if isinstance(value, str) and col.kind in (Kind.DATE, Kind.YEAR_MONTH):
        text = text_date(value, month=col.kind is Kind.YEAR_MONTH)
        if text is not None and text != value:
            return text, "从文字日期改为数字文本"
    if isinstance(value, (int, float)) and not isinstance(value, bool) and col.kind.is_text_format \
            and col.kind is not Kind.ID_NUMBER and float(value).is_integer():
        # 班号 20240101 stored as a number → its digits. ID numbers are left alone: their lost
        # digits cannot be recovered, and the check says so at the cell.
        return number_text(value), "从数字改为文本"
    if col.kind is Kind.CODE and col.code_table:
        text = number_text(value) if isinstance(value, (int, float)) else str(value).strip()
        table = code_table(col.code_table)
        if text in table:
            return text, ""
        m = table.match(text)
        if m.name:
            return m.name, {"code": "代码改为名称", "alias": "简称/旧称改为标准名称", "spelling": "写法改为标准名称"}.get(m.how, "改为标准名称")
    return value, ""


def _shown(raw: object) -> str:
    """A raw value as the user saw it in the cell (20240101, not 20240101.0; 2018-05-04, not a datetime)."""
    if isinstance(raw, dt.datetime):
        return raw.date().isoformat()
    if isinstance(raw, (int, float)) and not isinstance(raw, bool):
        return number_text(raw)
    return str(raw)


@dataclass
class Imported:
    plan: Plan
    rows: list[list[object]]  # template column order
    conversions: list[Conversion]
    extra_rows: list[list[object]]  # [模板行, 原行号, *unmapped values]


def import_rows(plan: Plan, profile: Profile | None = None) -> Imported:
    """The plan's rows in the template's columns, converted (``convert``), column by column: each
    distinct value of a column converted once (codes, dates and places repeat down a column; a
    conversion per cell took most of a 10,000-pupil import). The conversions are listed in the order
    a reader meets them, row by row."""
    profile = profile or default_profile()
    where = {c.column.key: c.index for c in plan.mapped if c.column}
    columns: list[list[object]] = []
    found: list[tuple[int, int, Conversion]] = []  # (first row, column, conversion)
    for order, col in enumerate(profile.columns):
        j = where.get(col.key)
        if j is None:
            columns.append([None] * len(plan.cells))
            continue
        values, conversions = _convert_column([cells[j] if j < len(cells) else None for cells in plan.cells], col)
        columns.append(values)
        found += [(first, order, conv) for first, conv in conversions]
    out = [list(row) for row in zip(*columns)] if columns else [[] for _ in plan.cells]
    first = profile.header_row + 1
    extra = [[first + i, r, *[cells[c.index] if c.index < len(cells) else None for c in plan.unmapped]]
             for i, (r, cells) in enumerate(zip(plan.rows, plan.cells))]
    return Imported(plan, out, [conv for *_, conv in sorted(found, key=lambda t: t[:2])], extra)


_TEXTS = frozenset({str, type(None)})


def _convert_column(raw: list[object], col: Column) -> tuple[list[object], list[tuple[int, Conversion]]]:
    """A column's converted values, and what was done to them (each with the row it was first done in)."""
    blanks = column_blanks(col)
    if _TEXTS.issuperset(map(type, raw)):  # (texts and nothing: the value alone is the key)
        once = {v: convert(v, col, blanks) for v in set(raw)}
        if all(how == "" and new.__class__ is v.__class__ and new == v for v, (new, how) in once.items()):
            return list(raw), []  # nothing in the column to convert: most of a roster's columns
    try:  # keyed with the type: 1, 1.0 and True are one dict key, and convert tells them apart
        keys = list(zip(map(type, raw), raw))
        once = {k: convert(k[1], col, blanks) for k in dict.fromkeys(keys)}
        got = [once[k] for k in keys]
    except TypeError:  # an unhashable value
        got = [convert(v, col, blanks) for v in raw]
    done: dict[str, tuple[int, Conversion]] = {}
    if any(how for _, how in got):
        for i, (value, how) in enumerate(got):
            if not how:
                continue
            conv = done.setdefault(how, (i, Conversion(col, how, 0, [])))[1]
            conv.count += 1
            pair = (_shown(raw[i]), str(value))
            if len(conv.examples) < 3 and pair not in conv.examples:
                conv.examples.append(pair)
    return [value for value, _ in got], list(done.values())


def write_imported(imp: Imported, out: str | Path, *, profile: Profile | None = None, settings=None,
                   protect: tuple[str | Path, ...] = ()) -> None:
    profile = profile or default_profile()
    book = roster_workbook(profile, imp.rows, settings=settings)
    if imp.plan.unmapped:
        header = ["模板行", "原行号", *[f"{c.header}（原{c.letter}列）" for c in imp.plan.unmapped]]
        add_table_sheet(book, EXTRA_SHEET, [header, *imp.extra_rows], widths={"A": 8, "B": 8})
    book.save(out, protect=protect)
