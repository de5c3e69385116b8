"""Read any roster file (.xlsx/.xlsm/.xls/.ods via python-calamine, .csv in UTF-8 or GBK) into a Roster.

The reader finds the sheet and its header row, says how the header differs from the profile, and
keeps every cell as the reader gave it (an ID stored as a float stays a float, so the rule can say so).
Anything that makes the file unusable raises ReadError with one Chinese sentence (exit code 2).

The cells come from ``sheets.py`` (which inspects zip files first: bombs, DTDs, cell count); what
the sheet XML says beyond values — formulas, error cells, hidden rows and columns, merged cells —
becomes findings here.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from xueji_addin.gc_pause import gc_paused
from xueji_addin.rules import sheet as sheet_rules
from xueji_addin.rules.findings import RULES, Finding
from xueji_addin.rules.roster import Roster
from xueji_addin.spec.columns import column_letter
from xueji_addin.spec.profiles import Profile, Role, all_profiles
from xueji_addin.spec.headers import HEADER_SCAN, HeaderMatch, find_header
from xueji_addin.workbook.errors import ReadError
from xueji_addin.workbook.file_kind import sniff  # noqa: F401 (also the reader's API)
from xueji_addin.workbook.names import PREFILL_KEYS, SETTINGS_SHEET, is_ours
from xueji_addin.workbook.sheets import SPREADSHEET_SUFFIXES, Sheet, read_sheets  # noqa: F401 (also the reader's API)


def is_blank(v: object) -> bool:
    """What a blank cell is, everywhere: nothing, or empty text (as Excel's COUNTA counts it)."""
    return v is None or v == ""


def data_rows(rows: list[list[object]], header_row: int, positions: dict[str, int]) -> tuple[list[int], list[list[object]]]:
    """The one rule for which rows under the header are data: (sheet row numbers, their cells).

    Blank rows are skipped, and so is a row holding only what a class template prefills (学校标识码,
    班号): it is not a student yet — for the reader, the template's conditional formats, split, merge
    and import alike. ``positions`` maps column keys to 0-based indexes (only the prefill keys matter).
    """
    prefilled = {positions[k] for k in PREFILL_KEYS if k in positions}
    n_prefilled = len(prefilled)
    # A row is kept when any cell but the prefilled ones holds something: one cell that nearly every
    # row fills (the first column not prefilled: 姓名 in the student template) settles most rows.
    probe = min((i for i in positions.values() if i not in prefilled), default=0)
    numbers: list[int] = []
    kept: list[list[object]] = []
    for offset, cells in enumerate(rows[header_row:]):
        if probe < len(cells) and cells[probe] != "" and cells[probe] is not None:
            numbers.append(header_row + 1 + offset)
            kept.append(cells)
            continue
        # Otherwise non-blank cells are counted at C speed (list.count compares as is_blank does),
        # less the prefilled ones.
        filled = len(cells) - cells.count("") - cells.count(None)
        if filled > n_prefilled or filled > sum(1 for i in prefilled if i < len(cells) and not is_blank(cells[i])):
            numbers.append(header_row + 1 + offset)
            kept.append(cells)
    return numbers, kept


def roster_from_sheet(sheet: Sheet, match: HeaderMatch, source: str = "") -> Roster:
    """The data rows under the matched header, as a Roster (empty rows skipped, row numbers kept)."""
    with gc_paused():
        return _roster_from_sheet(sheet, match, source)


def _roster_from_sheet(sheet: Sheet, match: HeaderMatch, source: str) -> Roster:
    rows, kept = data_rows(sheet.rows, match.header_row, match.positions)
    width = max(map(len, kept), default=0)
    if min(map(len, kept), default=width) < width:  # python-calamine's rows are all as wide; CSV's may not be
        kept = [r + [""] * (width - len(r)) if len(r) < width else r for r in kept]
    columns = list(zip(*kept)) if kept else []
    cells = {
        key: (list(columns[index]) if index < len(columns) else [""] * len(rows))
        for key, index in match.positions.items()
    }
    extra = {
        str(h): (list(columns[index]) if index < len(columns) else [""] * len(rows))
        for index, h in match.extra
    }
    roster = Roster(match.profile, sheet.name, match, rows, cells, source=source, extra=extra, sheet_named=sheet.named)
    roster.read_findings = sheet_findings(sheet, match, rows)
    return roster


def sheet_findings(sheet: Sheet, match: HeaderMatch, rows: list[int]) -> list[Finding]:
    """Findings about the sheet's form under the header: formulas, merged cells, hidden rows and columns."""
    hrow = match.header_row  # 1-based; data rows are 0-based indexes ≥ hrow
    headers = {index: match.profile.by_key[key].header for key, index in match.positions.items()}
    headers.update({index: h for index, h in match.extra})
    out: list[Finding] = []

    def add(code: str, row: int | None, col: int | None, message: str, suggestion: str) -> None:
        out.append(Finding(code=code, severity=RULES[code].severity, sheet=sheet.name, row=row,
                           column=column_letter(col + 1) if col is not None else None,
                           header=headers.get(col) if col is not None else None,
                           message=message, suggestion=suggestion))

    facts = sheet.facts
    for (r, c), saved in sorted(facts.formulas.items()):
        if r >= hrow and c in headers:
            if saved:
                add(sheet_rules.FORMULA, r + 1, c, "单元格是公式，已按它显示的值检查；导入系统只认直接填写的内容（标记副本、修正副本中写的是这个值，不再是公式）",
                    "复制这些单元格，用“选择性粘贴 → 数值”粘贴回原处")
            else:
                add(sheet_rules.FORMULA, r + 1, c, "单元格是公式，但文件里没有保存计算结果（按空值检查）",
                    "用 Excel 打开并保存一次，或用“选择性粘贴 → 数值”把公式换成内容")
    for r1, c1, r2, c2 in sorted(sheet.merged):
        if r2 >= hrow and (r2 > r1 or c2 > c1):
            top = max(r1, hrow)
            rng = f"{column_letter(c1 + 1)}{r1 + 1}:{column_letter(c2 + 1)}{r2 + 1}"
            add(sheet_rules.MERGED, top + 1, c1, f"{rng} 是合并单元格，导入时只有左上角一格有内容，其余格子都是空的",
                "取消合并，并在每一行各自填写")
    hidden = sorted(n for n in rows if n - 1 in facts.hidden_rows)
    for start, end in _runs(hidden):
        span = f"第{start}行" if start == end else f"第{start}-{end}行"
        noun = match.profile.noun
        add(sheet_rules.HIDDEN_ROWS, start, None, f"{span}被隐藏，其中有{noun}数据，导入时也会被导入",
            f"取消隐藏后核对这些行，不要的{noun}请删除整行")
    for c in sorted(facts.hidden_cols):
        if c in headers:
            add(sheet_rules.HIDDEN_COLUMN, hrow, c, "这一列被隐藏了，其中的内容也会被检查和导入", "取消隐藏后核对这一列")
    return out


def _runs(numbers: list[int]) -> list[tuple[int, int]]:
    """[2, 3, 4, 9] → [(2, 4), (9, 9)]."""
    runs: list[tuple[int, int]] = []
    for n in numbers:
        if runs and n == runs[-1][1] + 1:
            runs[-1] = (runs[-1][0], n)
        else:
            runs.append((n, n))
    return runs


def read_roster(path: str | Path, *, profiles: list[Profile] | None = None) -> Roster:
    """The file's student table (or, for a file of one of the other tables, its first table)."""
    book = read_book(path, profiles=profiles)
    return book.table(Role.STUDENTS) or book.rosters[0]


def _pick_roster(p: Path, sheets: list[Sheet], candidates: list[Profile]) -> Roster:
    """No visible sheet holds a table: the first that does among the hidden ones, or one sentence."""
    if not sheets:
        raise ReadError(f"“{p.name}”中没有工作表。")
    # The template's own sheet first, then visible sheets, then hidden ones.
    wanted = {pr.sheet_name for pr in candidates}
    sheets = sorted(sheets, key=lambda s: (s.name not in wanted, not s.visible))
    for s in sheets:
        match = find_header(s.rows, candidates)
        if match is not None:
            return roster_from_sheet(s, match, source=p.name)
    if all(not any(not is_blank(v) for row in s.rows for v in row) for s in sheets):
        raise ReadError(f"“{p.name}”是空的，没有任何内容。")
    if len(candidates) == 1 and candidates[0].role is not Role.STUDENTS:  # --profile named one of the other tables
        what = candidates[0]
        raise ReadError(f"在“{p.name}”中找不到{what.title}的表头（前10行中没有一行包含足够多的列名，如"
                        f"“{what.columns[0].header}”“{what.columns[min(3, len(what.columns) - 1)].header}”），请确认表的种类。")
    raise ReadError(
        f"在“{p.name}”中找不到学籍表的表头（前10行中没有一行包含足够多的模板列名，如“姓名”“身份证件号”），"
        "请确认这是学生基础信息表。"
    )


def _settings_rows(sheets: list[Sheet]) -> list[list[object]] | None:
    return next((s.rows for s in sheets if s.name == SETTINGS_SHEET), None)


@dataclass
class Book:
    """What a workbook holds for checking: its tables, and the rows of its hidden 学校设置 sheet (the
    settings the template was built with or the add-in's 设置 button saved), when it has one."""

    rosters: list[Roster]
    settings_rows: list[list[object]] | None = None

    def table(self, role: Role) -> Roster | None:
        """The first table of ``role`` (students, classes …), whatever its sheet's place or version."""
        return next((r for r in self.rosters if r.profile.role is role), None)

    def students_on(self, sheet: str, source: str = "") -> Roster:
        """The student table on ``sheet``; pressed on another sheet (班级信息 …), the workbook's one:
        what the buttons that work on students (打印, 导出, 拆分) take, as the commands do."""
        return next((r for r in self.rosters if r.sheet == sheet and r.profile.role is Role.STUDENTS),
                    None) or self.students(source)

    def students(self, source: str = "") -> Roster:
        """The student table; ReadError with one sentence when the workbook has none."""
        found = self.table(Role.STUDENTS)
        if found is None:
            have = "、".join(f"“{r.sheet}”（{r.profile.title}）" for r in self.rosters)
            raise ReadError(f"{f'“{source}”' if source else '工作簿'}中没有学生基础信息表" + (f"（只有{have}）" if have else "")
                            + "，请打开学生基础信息表所在的文件。")
        return found


class SheetSource(Protocol):
    """What the reader needs of an open workbook (every Host has it)."""

    def sheet_names(self) -> list[str]: ...
    def read(self, sheet: str) -> list[list[object]]: ...


def read_book(source: str | Path | SheetSource, *, profiles: list[Profile] | None = None,
              skip: frozenset[str] = frozenset()) -> Book:
    """The one way in: every table of a file, or of an open workbook (a Host), found by its header;
    and the workbook's settings sheet. Our own sheets (代码表, 校验结果 …) are never read as tables.
    ``skip``: sheets of an open workbook not to read (the one a few rows of which are being checked).
    A file without any table is one sentence (ReadError); an open workbook's book may be empty."""
    if isinstance(source, (str, Path)):
        p = Path(source)
        return book_of(p, read_sheets(p), profiles=profiles)
    names = [n for n in source.sheet_names() if n not in skip and (not is_ours(n) or n == SETTINGS_SHEET)]
    # An open workbook may hold no table at all: the button pressed on it says which sheet is not one.
    return book_of(Path(source_name(source)), [Sheet(n, source.read(n)) for n in names], profiles=profiles,
                   required=False)


def table_on(source: SheetSource, sheet: str) -> Roster:
    """The table on one sheet of an open workbook (a button pressed on it); one sentence when none."""
    found = next((r for r in read_book(source).rosters if r.sheet == sheet), None) if sheet in source.sheet_names() else None
    if found is None:
        raise ReadError(not_a_table(sheet))
    return found


def not_a_table(sheet: str) -> str:
    return (f"工作表“{sheet}”不是学籍表：前{HEADER_SCAN}行中找不到模板的表头（如“姓名”“身份证件号”）。"
            "请切换到学生基础信息表后再点按钮。")


def source_name(source: SheetSource) -> str:
    """The file name of an open workbook, for messages and reports ("" for one never saved)."""
    path = getattr(source, "path", None)  # FileHost's file; an open workbook in Excel has its name instead
    if isinstance(path, (str, Path)) and str(path):
        return Path(path).name
    book = getattr(source, "book", None)
    name = getattr(book, "name", None)
    return name if isinstance(name, str) and name else "工作簿"


def book_of(p: Path, sheets: list[Sheet], *, profiles: list[Profile] | None = None, required: bool = True) -> Book:
    """``read_book`` of sheets already read (for a caller that needs the sheets too); ``required``:
    a book without any table is one sentence (ReadError), else an empty book."""
    candidates = profiles or all_profiles()
    found: list[Roster] = []
    for s in sheets:
        if not s.visible or is_ours(s.name):
            continue  # helper sheets (代码表, marks) are ours; a hidden roster is found by read_roster
        match = find_header(s.rows, candidates)
        if match is not None:
            found.append(roster_from_sheet(s, match, source=p.name))
    if not found and required:
        found = [_pick_roster(p, [s for s in sheets if not is_ours(s.name)], candidates)]
    return Book(found, _settings_rows(sheets))


def expand_inputs(items: list[Path], *, exclude: Path | None = None) -> list[Path]:
    """Files as given; folders become their spreadsheet files, sorted by name (Excel's ~$ lock files
    skipped, and ``exclude``: last run's merged file saved in the same folder is not an input)."""
    out: list[Path] = []
    skip = exclude.resolve() if exclude is not None else None
    for item in items:
        if item.is_dir():
            found = sorted(p for p in item.iterdir() if p.is_file() and p.suffix.lower() in SPREADSHEET_SUFFIXES
                           and not p.name.startswith(("~$", ".")) and p.resolve() != skip)
            if not found:
                raise ReadError(f"文件夹“{item}”中没有表格文件（.xlsx/.xls/.csv）。")
            out.extend(found)
        else:
            out.append(item)
    return out
