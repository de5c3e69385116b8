"""校验本表 / 校验选中行: check a sheet of the open workbook and paint what is wrong.

The whole sheet: read the workbook, check it (cross-table checks included), mark the sheet, list
the findings in 校验结果. A few rows (the selection, or the rows an edit touched): read only those
rows in full plus the columns the roster rules compare (their records say which), check the rows,
run the roster rules on those columns, and repaint the rows, together with the rows they now tie
to or no longer do.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from xueji_addin.actions.mark import mark, marked_cells, repaint, row_of
from xueji_addin.actions.settings_sheet import read_settings
from xueji_addin.actions.pipeline import check_source
from xueji_addin.rules.engine import check, normalised, sort_findings
from xueji_addin.rules import crosstable
from xueji_addin.rules.registry import Scope, compared_columns, run_list, without_superseded
from xueji_addin.rules.findings import RULES, Finding, Severity
from xueji_addin.rules.roster import Roster
from xueji_addin.spec.columns import column_letter
from xueji_addin.spec.profiles import Profile, default_profile
from xueji_addin.spec.headers import HEADER_SCAN, HeaderMatch, find_header
from xueji_addin.spec.settings import Settings
from xueji_addin.workbook.host import Host
from xueji_addin.workbook.reader import ReadError, data_rows, read_book, table_on

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
    """校验本表: the whole sheet (the active one by default), checked with the rest of the workbook:
    the cross-table checks (a 班号 missing from the workbook's own 班级信息) are part of it."""
    sheet = sheet or host.active_sheet()
    checked = check_source(host, base).on_sheet(sheet)
    n = mark(host, sheet, checked.findings)
    return SheetCheck(sheet, len(checked.roster), checked.findings, n, profile=checked.roster.profile)


def validate_selection(host: Host, base: Settings | None = None) -> SheetCheck:
    """校验选中行: the rows of the current selection on the active sheet."""
    sheet = host.active_sheet()
    result = check_rows(host, sheet, host.selected_rows(), read_settings(host, base))
    if result is None:
        table_on(host, sheet)  # raises the reader's sentence for a sheet that is not a roster
        raise ReadError("请先选中学生所在的行（表头以下）再点“校验选中行”。")
    return result


def check_rows(host: Host, sheet: str, touched: Iterable[int], settings: Settings,
               match: HeaderMatch | None = None, last: int | None = None) -> SheetCheck | None:
    """Check and repaint the touched rows and every row a roster rule ties them to; None when the
    sheet is not a roster or no data row was touched. ``last`` is the sheet's last row, when the
    caller knows it. Which columns tie rows together comes from the roster rules' records."""
    if match is None:
        match = find_header(host.read_range(sheet, f"A1:{column_letter(HEADER_WIDTH)}{HEADER_SCAN}"))
        if match is None:
            return None
    hrow = match.header_row
    last = host.max_row(sheet) if last is None else last
    touched_rows = {r for r in touched if hrow < r <= last}
    if not touched_rows:
        return None
    profile = match.profile

    # The compared columns, for every row: the roster rules' verdicts come from all rows.
    cross = [k for k in compared_columns(profile) if k in match.positions]
    columns = {k: _column(host, sheet, match.positions[k], hrow + 1, last) for k in cross}
    grid = [[None] * (max(match.positions.values()) + 1) for _ in range(last - hrow)]
    for k in cross:
        for i, v in enumerate(columns[k]):
            grid[i][match.positions[k]] = v
    key_rows, key_cells = data_rows([[]] * hrow + grid, hrow, {k: match.positions[k] for k in cross})
    key_roster = Roster(profile, sheet, match, key_rows,
                        {k: [r[match.positions[k]] for r in key_cells] for k in cross})
    ctx = normalised(key_roster, settings)
    for record in run_list(profile, Scope.ROSTER):
        record.fn(ctx)
    others = [normalised(r, settings) for r in read_book(host, skip=frozenset({sheet})).rosters]
    crosstable.check([ctx, *others])  # the workbook's other tables (班级信息 …) take part, as in 校验本表
    roster_findings = ctx.findings

    # The rows to repaint: the touched ones, the rows a roster rule now marks (a new duplicate of a
    # touched row), and the rows marked now in a compared column (their partner may just have changed).
    repaint_rows = set(touched_rows) | {f.row for f in roster_findings if f.row}
    letters = {key_roster.letter(k) for k in cross}
    repaint_rows.update(row_of(a) for a in marked_cells(host, sheet)
                        if a.rstrip("0123456789") in letters and hrow < row_of(a) <= last)

    # Those rows in full, checked on their own; the roster rules' verdicts come from all rows.
    roster = _rows_of(host, sheet, match, sorted(repaint_rows))
    findings = [f for f in check(roster, settings)
                if f.row in repaint_rows and RULES[f.code].scope in ("cell", "row")]
    findings = without_superseded(findings, roster_findings)
    findings += [f for f in roster_findings if f.row in repaint_rows]
    findings = sort_findings(findings, roster)
    n = repaint(host, sheet, findings, repaint_rows)
    return SheetCheck(sheet, len(roster), findings, n, sorted(repaint_rows), profile)


def _rows_of(host: Host, sheet: str, match: HeaderMatch, rows: list[int]) -> Roster:
    """The given sheet rows in full, as a Roster (blank ones left out, as the reader does)."""
    width = max(match.positions.values()) + 1
    numbers: list[int] = []
    data: list[list[object]] = []
    for first, stop in _runs(rows):
        block = host.read_range(sheet, f"A{first}:{column_letter(width)}{stop}")
        cells = [r + [None] * (width - len(r)) for r in block]
        found, kept = data_rows([[]] * (first - 1) + cells, first - 1, match.positions)
        numbers += found
        data += kept
    return Roster(match.profile, sheet, match, numbers, {k: [row[i] for row in data] for k, i in match.positions.items()})


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


def clear_sheet(host: Host) -> str:
    """清除标记 on the active sheet: our fills and notes go, the cells' own come back."""
    from xueji_addin.actions.mark import clear

    sheet = host.active_sheet()
    n = clear(host, sheet)
    if not n:
        return f"“{sheet}”上没有学籍助手做的标记。"
    return f"已清除“{sheet}”上 {n} 个单元格的标记，单元格原来的底色和批注已恢复。"
