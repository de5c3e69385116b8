"""Paint findings into a host: errors red, warnings yellow, a note with the message on each cell,
and a 校验结果 sheet listing every finding with a link to its cell.

What we paint is remembered in a hidden sheet (sheet, cell, the cell's own fill, its own note), so
that 清除标记 restores the cells' own fills and notes exactly, and so that a few rows (校验选中行,
the check on each edit) can be repainted without touching the marks of the other rows.
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Collection
from pathlib import Path

from xueji_addin.rules.findings import Finding, Severity
from xueji_addin.spec.columns import column_index
from xueji_addin.workbook.host import Host

ERROR_FILL = "FFC7CE"
WARNING_FILL = "FFEB9C"
from xueji_addin.workbook.names import MARKS_SHEET, RESULT_SHEET  # noqa: E402  (declared once there)
MARKS_HEADER = ["sheet", "cell", "fill", "note"]
RESULT_HEADER = ["序号", "单元格", "级别", "代码", "列名", "问题", "建议", "可自动修正为"]
_ROW = re.compile(r"[A-Z]+(\d+)$")


def _cell_findings(findings: list[Finding], sheet: str) -> dict[str, list[Finding]]:
    out: dict[str, list[Finding]] = {}
    for f in findings:
        if f.sheet == sheet and f.column and f.row:
            out.setdefault(f"{f.column}{f.row}", []).append(f)
    return out


def note_text(found: list[Finding]) -> str:
    lines = []
    for f in found:
        line = f"【{f.severity.label}】{f.message}"
        if f.suggestion:
            line += f"。{f.suggestion}"
        lines.append(line)
    return "\n".join(lines)


def fill_of(found: list[Finding]) -> str:
    return ERROR_FILL if any(f.severity is Severity.ERROR for f in found) else WARNING_FILL


def row_of(cell: str) -> int:
    m = _ROW.match(cell)
    return int(m.group(1)) if m else 0


def _memory(host: Host) -> list[list[object]]:
    if MARKS_SHEET not in host.sheet_names():
        return []
    return [r for r in host.read(MARKS_SHEET)[1:] if r and r[0] not in (None, "")]


def _restore(host: Host, sheet: str, entries: list[list[object]]) -> None:
    host.paint(sheet, {str(r[1]): (str(r[2]) if r[2] else None) for r in entries})
    host.set_notes(sheet, {str(r[1]): (str(r[3]) if len(r) > 3 and r[3] else None) for r in entries})


def _save_memory(host: Host, entries: list[list[object]]) -> None:
    if entries:
        host.replace_sheet(MARKS_SHEET, [MARKS_HEADER, *entries], hidden=True)
    else:
        host.delete_sheet(MARKS_SHEET)


def repaint(host: Host, sheet: str, findings: list[Finding], rows: Collection[int] | None = None) -> int:
    """Replace our marks on ``rows`` of ``sheet`` (all rows when None) by the findings on them.

    Marks elsewhere stay as they are. Returns the number of cells now marked on those rows.
    """
    def ours(r: list[object]) -> bool:
        return r[0] == sheet and (rows is None or row_of(str(r[1])) in rows)

    memory = _memory(host)
    mine = [r for r in memory if ours(r)]
    keep = [r for r in memory if not ours(r)]
    _restore(host, sheet, mine)
    by_cell = {a: fs for a, fs in _cell_findings(findings, sheet).items() if rows is None or row_of(a) in rows}
    addresses = list(by_cell)
    if addresses:
        old_fills = host.fills(sheet, addresses)
        old_notes = host.notes(sheet, addresses)
        host.paint(sheet, {a: fill_of(fs) for a, fs in by_cell.items()})
        host.set_notes(sheet, {a: note_text(fs) for a, fs in by_cell.items()})
        keep += [[sheet, a, old_fills.get(a) or "", old_notes.get(a) or ""] for a in addresses]
    if mine or addresses:
        _save_memory(host, keep)
    return len(addresses)


def mark(host: Host, sheet: str, findings: list[Finding]) -> int:
    """Paint the findings of ``sheet`` and list them in 校验结果; returns the number of cells marked."""
    n = repaint(host, sheet, findings)
    write_results(host, sheet, findings)
    return n


def clear(host: Host, sheet: str) -> int:
    """Remove only what ``mark`` painted, restoring each cell's own fill and note."""
    memory = _memory(host)
    mine = [r for r in memory if r[0] == sheet]
    rest = [r for r in memory if r[0] != sheet]
    _restore(host, sheet, mine)
    _save_memory(host, rest)
    if not rest:
        host.delete_sheet(RESULT_SHEET)
    return len(mine)


def remembered_cells(path: Path) -> dict[str, set[tuple[int, int]]]:
    """The (row, column) cells an earlier run marked in the file at ``path``, by sheet: a copy
    that marks again restores them first, so it must hold them."""
    from openpyxl import load_workbook

    from xueji_addin.workbook.package import _worksheets

    with zipfile.ZipFile(path) as z:
        if MARKS_SHEET not in _worksheets(z):
            return {}
    wb = load_workbook(path, read_only=True)
    out: dict[str, set[tuple[int, int]]] = {}
    for r in list(wb[MARKS_SHEET].iter_rows(min_row=2, values_only=True)):
        m = re.fullmatch(r"([A-Z]+)(\d+)", str(r[1] or "")) if r and r[0] and len(r) > 1 else None
        if m:
            out.setdefault(str(r[0]), set()).add((int(m.group(2)), column_index(m.group(1))))
    wb.close()
    return out


def marked_cells(host: Host, sheet: str) -> list[str]:
    """The cells of ``sheet`` that carry our marks now."""
    return [str(r[1]) for r in _memory(host) if r[0] == sheet]


def write_results(host: Host, sheet: str, findings: list[Finding]) -> None:
    rows: list[list[object]] = [RESULT_HEADER]
    links: dict[str, str] = {}
    for n, f in enumerate(findings, start=1):
        rows.append([n, f.cell, f.severity.label, f.code, f.header or "", f.message, f.suggestion, f.fix or ""])
        if f.column and f.row:
            links[f"B{n + 1}"] = f"#'{f.sheet}'!{f.column}{f.row}"
    if len(rows) == 1:
        rows.append(["", "", "", "", "", "没有发现问题", "", ""])
    host.replace_sheet(RESULT_SHEET, rows, links=links,
                       widths={"A": 6, "B": 10, "C": 6, "D": 8, "E": 18, "F": 50, "G": 40, "H": 22})
