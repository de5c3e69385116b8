"""Paint findings into a host: errors red, warnings yellow, a note with the message on each cell,
and a 校验结果 sheet listing every finding with a link to its cell.

What we paint is remembered in a hidden sheet, so that 清除标记 restores the cells' own fills
and notes exactly.
"""

from __future__ import annotations

from xueji_addin.rules.findings import Finding, Severity
from xueji_addin.workbook.host import Host

ERROR_FILL = "FFC7CE"
WARNING_FILL = "FFEB9C"
RESULT_SHEET = "校验结果"
MARKS_SHEET = "_xueji_marks"
RESULT_HEADER = ["序号", "单元格", "级别", "代码", "列名", "问题", "建议", "可自动修正为"]


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


def mark(host: Host, sheet: str, findings: list[Finding]) -> int:
    """Paint the findings of ``sheet``; returns the number of cells marked."""
    clear(host, sheet)
    by_cell = _cell_findings(findings, sheet)
    addresses = list(by_cell)
    old_fills = host.fills(sheet, addresses)
    old_notes = host.notes(sheet, addresses)
    host.paint(sheet, {
        a: ERROR_FILL if any(f.severity is Severity.ERROR for f in fs) else WARNING_FILL for a, fs in by_cell.items()
    })
    host.set_notes(sheet, {a: note_text(fs) for a, fs in by_cell.items()})
    memory = [["sheet", "cell", "fill", "note"]] + [[sheet, a, old_fills.get(a) or "", old_notes.get(a) or ""] for a in addresses]
    host.replace_sheet(MARKS_SHEET, memory, hidden=True)
    write_results(host, sheet, findings)
    return len(addresses)


def clear(host: Host, sheet: str) -> int:
    """Remove only what ``mark`` painted, restoring each cell's own fill and note."""
    if MARKS_SHEET not in host.sheet_names():
        return 0
    rows = host.read(MARKS_SHEET)[1:]
    mine = [r for r in rows if r and r[0] == sheet]
    host.paint(sheet, {str(r[1]): (str(r[2]) if r[2] else None) for r in mine})
    host.set_notes(sheet, {str(r[1]): (str(r[3]) if r[3] else None) for r in mine})
    rest = [r for r in rows if r and r[0] != sheet]
    if rest:
        host.replace_sheet(MARKS_SHEET, [["sheet", "cell", "fill", "note"], *rest], hidden=True)
    else:
        host.delete_sheet(MARKS_SHEET)
        host.delete_sheet(RESULT_SHEET)
    return len(mine)


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
