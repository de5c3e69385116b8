"""校验本表 / 校验选中行: check a sheet of the open workbook and paint what is wrong.

The whole sheet: read it, check it, mark it, list the findings in 校验结果. A few rows (the
selection, or the rows an edit touched): read only those rows in full plus the columns that rows
are compared on (证件号, 姓名, 出生日期, 学校标识码, 班号), check the rows, run the roster rules on
those columns, and repaint the rows, together with the rows they now duplicate or no longer do.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from xueji_addin.actions.mark import mark, marked_cells, repaint, row_of
from xueji_addin.actions.settings_sheet import read_settings
from xueji_addin.actions.sheet import HEADER_SCAN, header_of, roster_from_host
from xueji_addin.rules.context import Context
from xueji_addin.rules.engine import check, normalised, rule_set, sort_findings
from xueji_addin.rules.findings import RULES, Finding, Severity
from xueji_addin.rules.roster import Roster
from xueji_addin.spec.columns import column_letter
from xueji_addin.spec.profiles import HeaderMatch, Profile, default_profile
from xueji_addin.spec.settings import Settings
from xueji_addin.workbook.host import Host
from xueji_addin.workbook.reader import ReadError

# Columns that rules compare across rows (crossrow.py): read in full for a check of a few rows.
CROSS_KEYS = ("id_number", "name", "birth_date", "school_code", "class_no")
DUPLICATE_KEYS = ("id_number", "name")  # where a duplicate is marked: its partners must be repainted too
HEADER_WIDTH = 256  # columns read when looking for the header row (A:IV)


@dataclass
class SheetCheck:
    sheet: str
    students: int  # data rows: pupils, or classes, staff… for the collection's other tables
    findings: list[Finding]
    marked: int
    rows: list[int] = field(default_factory=list)  # the rows repainted (a check of a few rows)
    profile: Profile = field(default_factory=default_profile)

    @property
    def errors(self) -> int:
        return sum(1 for f in self.findings if f.severity is Severity.ERROR)

    @property
    def warnings(self) -> int:
        return len(self.findings) - self.errors

    def summary(self) -> str:
        what = f"“{self.sheet}”共 {self.profile.count(self.students)}" if not self.rows else f"选中的 {len(self.rows)} 行"
        if not self.findings:
            return f"{what}，没有发现问题。"
        tail = "问题清单见“校验结果”表，点单元格地址可跳转。" if not self.rows else "鼠标停在标色的单元格上可看说明。"
        return (f"{what}：发现 {self.errors} 个错误（红色）、{self.warnings} 个提示（黄色），"
                f"标记了 {self.marked} 个单元格。{tail}")


def validate_sheet(host: Host, sheet: str | None = None, base: Settings | None = None) -> SheetCheck:
    """校验本表: the whole sheet (the active one by default)."""
    sheet = sheet or host.active_sheet()
    settings = read_settings(host, base)
    roster = roster_from_host(host, sheet)
    findings = check(roster, settings)
    n = mark(host, sheet, findings)
    return SheetCheck(sheet, len(roster), findings, n, profile=roster.profile)


def validate_selection(host: Host, base: Settings | None = None) -> SheetCheck:
    """校验选中行: the rows of the current selection on the active sheet."""
    sheet = host.active_sheet()
    result = check_rows(host, sheet, host.selected_rows(), read_settings(host, base))
    if result is None:
        roster_from_host(host, sheet)  # raises the reader's sentence for a sheet that is not a roster
        raise ReadError("请先选中学生所在的行（表头以下）再点“校验选中行”。")
    return result


def check_rows(host: Host, sheet: str, touched: Iterable[int], settings: Settings,
               match: HeaderMatch | None = None, last: int | None = None) -> SheetCheck | None:
    """Check and repaint the touched rows (and their duplicates); None when the sheet is not a
    roster or no data row was touched. ``last`` is the sheet's last row, when the caller knows it."""
    if match is None:
        match = header_of(host.read_range(sheet, f"A1:{column_letter(HEADER_WIDTH)}{HEADER_SCAN}"))
        if match is None:
            return None
    hrow = match.header_row
    last = host.max_row(sheet) if last is None else last
    touched_rows = {r for r in touched if hrow < r <= last}
    if not touched_rows:
        return None
    profile = match.profile

    # The columns rows are compared on, for every row.
    cross = [k for k in CROSS_KEYS if k in match.positions]
    all_rows = list(range(hrow + 1, last + 1))
    columns = {k: _column(host, sheet, match.positions[k], hrow + 1, last) for k in cross}
    filled = [i for i in range(len(all_rows)) if any(not _blank(columns[k][i]) for k in cross)]
    key_roster = Roster(profile, sheet, match, [all_rows[i] for i in filled],
                        {k: [columns[k][i] for i in filled] for k in cross})
    ctx = normalised(key_roster, settings)
    for roster_rule in rule_set(profile.id)[1]:  # the table's own cross-row rules
        roster_rule(ctx)

    # The rows to repaint: the touched ones, the rows they share a duplicate key with, and the rows
    # marked in a duplicate column now (their partner may just have been corrected).
    repaint_rows = set(touched_rows)
    index = {r: i for i, r in enumerate(key_roster.rows)}
    for key in DUPLICATE_KEYS:
        if key not in match.positions:
            continue
        values = _dup_keys(ctx, key)
        wanted = {values[index[r]] for r in touched_rows if r in index and values[index[r]]}
        repaint_rows.update(key_roster.rows[i] for i, v in enumerate(values) if v in wanted)
    dup_letters = {key_roster.letter(k) for k in DUPLICATE_KEYS if k in match.positions}
    repaint_rows.update(row_of(a) for a in marked_cells(host, sheet)
                        if a.rstrip("0123456789") in dup_letters and hrow < row_of(a) <= last)

    # Those rows in full, checked on their own; the roster rules' verdicts come from all rows.
    width = max(match.positions.values()) + 1
    data_rows: list[int] = []
    data: list[list[object]] = []
    for first, stop in _runs(sorted(repaint_rows)):
        block = host.read_range(sheet, f"A{first}:{column_letter(width)}{stop}")
        for offset, cells in enumerate(block):
            if any(not _blank(v) for v in cells):
                data_rows.append(first + offset)
                data.append(cells + [None] * (width - len(cells)))
    roster = Roster(profile, sheet, match, data_rows,
                    {k: [row[i] for row in data] for k, i in match.positions.items()})
    findings = [f for f in check(roster, settings)
                if f.row in repaint_rows and RULES[f.code].scope in ("cell", "row")]
    findings += [f for f in ctx.findings if f.row in repaint_rows and RULES[f.code].scope == "roster"]
    findings = sort_findings(findings, roster)
    n = repaint(host, sheet, findings, repaint_rows)
    return SheetCheck(sheet, len(roster), findings, n, sorted(repaint_rows), profile)


def _dup_keys(ctx: Context, key: str) -> list[str]:
    """The values duplicates are found on (crossrow.duplicates): the ID upper-cased, name + birth date."""
    if key == "id_number":
        return [v.upper() for v in ctx.v("id_number")]
    return [f"{n}\t{b}" if n and b else "" for n, b in zip(ctx.v("name"), ctx.v("birth_date"))]


def _column(host: Host, sheet: str, index: int, first: int, last: int) -> list[object]:
    letter = column_letter(index + 1)
    block = host.read_range(sheet, f"{letter}{first}:{letter}{last}")
    values = [r[0] if r else None for r in block]
    return values + [None] * (last - first + 1 - len(values))


def _runs(rows: list[int]) -> list[tuple[int, int]]:
    """Consecutive rows as (first, last) blocks: one read per block."""
    out: list[tuple[int, int]] = []
    for r in rows:
        if out and r == out[-1][1] + 1:
            out[-1] = (out[-1][0], r)
        else:
            out.append((r, r))
    return out


def _blank(v: object) -> bool:
    return v is None or v == ""


def clear_sheet(host: Host) -> str:
    """清除标记 on the active sheet: our fills and notes go, the cells' own come back."""
    from xueji_addin.actions.mark import clear

    sheet = host.active_sheet()
    n = clear(host, sheet)
    if not n:
        return f"“{sheet}”上没有学籍助手做的标记。"
    return f"已清除“{sheet}”上 {n} 个单元格的标记，单元格原来的底色和批注已恢复。"
