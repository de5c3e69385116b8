"""Read any roster file (.xlsx/.xlsm/.xls/.ods via python-calamine, .csv in UTF-8 or GBK) into a Roster.

The reader finds the sheet and its header row, says how the header differs from the profile, and
keeps every cell as the reader gave it (an ID stored as a float stays a float, so the rule can say so).
Anything that makes the file unusable raises ReadError with one Chinese sentence (exit code 2).
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from pathlib import Path

from python_calamine import CalamineWorkbook

from xueji_addin.rules.roster import Roster
from xueji_addin.spec.profiles import HeaderMatch, Profile, all_profiles, find_header
from xueji_addin.workbook.names import PREFILL_KEYS

ZIP_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
SPREADSHEET_SUFFIXES = {".xlsx", ".xlsm", ".xls", ".ods", ".csv", ".txt"}


class ReadError(Exception):
    """A file that cannot be used as a roster. ``str(e)`` is a sentence for the user."""


@dataclass
class Sheet:
    name: str
    rows: list[list[object]]  # from A1: rows[0] is sheet row 1
    visible: bool = True


def sniff(path: Path) -> str:
    """"xlsx" | "xls" | "csv" from the file's first bytes, whatever its name says."""
    try:
        with path.open("rb") as fh:
            head = fh.read(8)
    except FileNotFoundError:
        raise ReadError(f"找不到文件“{path.name}”，请检查文件名和路径。") from None
    except IsADirectoryError:
        raise ReadError(f"“{path.name}”是文件夹，不是表格文件。") from None
    except PermissionError:
        raise ReadError(f"没有权限读取“{path.name}”，请检查文件权限或先关闭占用它的程序。") from None
    if head.startswith(ZIP_MAGIC):
        return "xlsx"
    if head.startswith(OLE_MAGIC):
        return "xls"
    if not head:
        raise ReadError(f"“{path.name}”是空文件（0 字节）。")
    return "csv"


def read_sheets(path: str | Path) -> list[Sheet]:
    """Every sheet of the file, cells from A1, values as the reader gives them."""
    p = Path(path)
    kind = sniff(p)
    if kind == "csv":
        return [Sheet(p.stem, _read_csv(p))]
    try:
        wb = CalamineWorkbook.from_path(str(p))
    except Exception as e:  # calamine raises several types for corrupt, encrypted or foreign files
        raise ReadError(_open_error(p, kind, e)) from None
    sheets = []
    try:
        for meta in wb.sheets_metadata:
            if str(meta.typ) not in ("SheetTypeEnum.WorkSheet",):
                continue
            try:
                rows = wb.get_sheet_by_name(meta.name).to_python(skip_empty_area=False)
            except Exception as e:
                raise ReadError(f"“{p.name}”的工作表“{meta.name}”无法读取（{type(e).__name__}），文件可能已损坏。") from None
            sheets.append(Sheet(meta.name, rows, str(meta.visible) == "SheetVisibleEnum.Visible"))
    finally:
        wb.close()
    return sheets


def _open_error(p: Path, kind: str, e: Exception) -> str:
    name = type(e).__name__
    if name == "PasswordError" or "password" in str(e).lower() or "encrypt" in str(e).lower():
        return f"“{p.name}”设置了打开密码，请在 Excel 中取消密码后另存一份再试。"
    if kind == "xls" and p.suffix.lower() == ".xlsx":
        return f"“{p.name}”实际上是旧版 .xls 文件却被改名为 .xlsx，且无法读取，请用 Excel 打开后另存为 .xlsx。"
    return f"“{p.name}”不是有效的 Excel 文件或已损坏（{name}），请用 Excel 打开后另存一份再试。"


def _read_csv(p: Path) -> list[list[object]]:
    data = p.read_bytes()
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:  # pragma: no cover - gb18030 decodes any byte string of even structure
        raise ReadError(f"“{p.name}”不是 UTF-8 或 GBK 编码的 CSV 文件，无法读取。")
    if "\x00" in text:
        raise ReadError(f"“{p.name}”不是表格文件（既不是 Excel 也不是 CSV）。")
    # Old systems often export tab-separated text under a .csv or .txt name.
    first = next((line for line in text.splitlines() if line.strip()), "")
    delimiter = "\t" if first.count("\t") > first.count(",") else ","
    try:
        return [list(r) for r in csv.reader(io.StringIO(text), delimiter=delimiter)]
    except csv.Error:
        raise ReadError(f"“{p.name}”不是格式正确的 CSV 文件。") from None


def _blank(v: object) -> bool:
    return v is None or v == ""


def roster_from_sheet(sheet: Sheet, match: HeaderMatch, source: str = "") -> Roster:
    """The data rows under the matched header, as a Roster (empty rows skipped, row numbers kept)."""
    hrow = match.header_row
    data = sheet.rows[hrow:]
    rows: list[int] = []
    kept: list[list[object]] = []
    # A row holding only what a class template prefills (学校标识码, 班号) is not a student yet.
    prefilled = {match.positions[k] for k in PREFILL_KEYS if k in match.positions}
    for offset, cells in enumerate(data):
        if any(not _blank(v) and i not in prefilled for i, v in enumerate(cells)):
            rows.append(hrow + 1 + offset)
            kept.append(cells)
    width = max((len(r) for r in kept), default=0)
    padded = [r + [""] * (width - len(r)) if len(r) < width else r for r in kept]
    columns = list(zip(*padded)) if padded else []
    cells = {
        key: (list(columns[index]) if index < len(columns) else [""] * len(rows))
        for key, index in match.positions.items()
    }
    header_cells = sheet.rows[hrow - 1]
    extra = {
        str(h): (list(columns[index]) if index < len(columns) else [""] * len(rows))
        for index, h in match.extra
    }
    del header_cells
    return Roster(match.profile, sheet.name, match, rows, cells, source=source, extra=extra)


def read_roster(path: str | Path, *, profiles: list[Profile] | None = None, sheet: str | None = None) -> Roster:
    """Read the roster of a file: the named sheet, else the template's sheet, else the first that fits."""
    p = Path(path)
    sheets = read_sheets(p)
    if not sheets:
        raise ReadError(f"“{p.name}”中没有工作表。")
    candidates = profiles or all_profiles()
    if sheet is not None:
        chosen = [s for s in sheets if s.name == sheet]
        if not chosen:
            names = "、".join(s.name for s in sheets)
            raise ReadError(f"“{p.name}”中没有名为“{sheet}”的工作表（现有：{names}）。")
        sheets = chosen
    else:
        # The template's own sheet first, then visible sheets, then hidden ones.
        wanted = {pr.sheet_name for pr in candidates}
        sheets = sorted(sheets, key=lambda s: (s.name not in wanted, not s.visible))
    for s in sheets:
        match = find_header(s.rows, candidates)
        if match is not None:
            return roster_from_sheet(s, match, source=p.name)
    if all(not any(not _blank(v) for row in s.rows for v in row) for s in sheets):
        raise ReadError(f"“{p.name}”是空的，没有任何内容。")
    if len(candidates) == 1 and candidates[0].id != "student_A":  # --profile named one of the other tables
        what = candidates[0]
        raise ReadError(f"在“{p.name}”中找不到{what.title}的表头（前10行中没有一行包含足够多的列名，如"
                        f"“{what.columns[0].header}”“{what.columns[min(3, len(what.columns) - 1)].header}”），请确认表的种类。")
    raise ReadError(
        f"在“{p.name}”中找不到学籍表的表头（前10行中没有一行包含足够多的模板列名，如“姓名”“身份证件号”），"
        "请确认这是学生基础信息表。"
    )


def read_rosters(path: str | Path, *, profiles: list[Profile] | None = None) -> list[Roster]:
    """Every visible sheet of the file that holds one of the tables (学生, 班级, 教师, 学校, 校区), in
    sheet order; a file with none among its visible sheets reads as ``read_roster`` does (or fails)."""
    p = Path(path)
    sheets = read_sheets(p)
    candidates = profiles or all_profiles()
    found: list[Roster] = []
    for s in sheets:
        if not s.visible:
            continue  # helper sheets (代码表, marks) are hidden; a hidden roster is found by read_roster
        match = find_header(s.rows, candidates)
        if match is not None:
            found.append(roster_from_sheet(s, match, source=p.name))
    return found or [read_roster(p, profiles=profiles)]
