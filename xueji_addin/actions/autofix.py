"""自动修正 / 撤销修正 on the open workbook.

Only the certain fixes are applied (``fix.apply_fixes``); every change is listed in a visible
自动修正记录 sheet and remembered in a hidden sheet, so that 撤销修正 puts the old values back by
replaying the list in reverse (``fix.undo``), across several runs of 自动修正.
"""

from __future__ import annotations

from dataclasses import dataclass

from xueji_addin.actions.check_sheet import SheetCheck, validate_sheet
from xueji_addin.actions.fix import Change, apply_fixes, undo
from xueji_addin.actions.pipeline import check_source
from xueji_addin.spec.settings import Settings
from xueji_addin.workbook.host import Host

from xueji_addin.workbook.names import FIXES_SHEET, LOG_SHEET  # noqa: E402
FIXES_HEADER = ["sheet", "cell", "header", "old", "new", "code"]
LOG_HEADER = ["序号", "单元格", "列名", "原来的内容", "改为", "规则"]


@dataclass
class FixOutcome:
    changes: list[Change]
    after: SheetCheck

    def summary(self) -> str:
        if not self.changes:
            head = "没有可以自动修正的问题（自动修正只改有把握的问题，其余需要人工核对）。"
        else:
            head = f"已自动修正 {len(self.changes)} 处，清单见“{LOG_SHEET}”表；点“撤销修正”可全部还原。"
        return head + f"现在还有 {self.after.errors} 个错误、{self.after.warnings} 个提示需要人工处理（已标色）。"


def stored_changes(host: Host) -> list[Change]:
    if FIXES_SHEET not in host.sheet_names():
        return []
    out = []
    for r in host.read(FIXES_SHEET)[1:]:
        if r and r[0] not in (None, ""):
            r = list(r) + [None] * (6 - len(r))
            out.append(Change(str(r[0]), str(r[1]), str(r[2] or ""), r[3], str(r[4] or ""), str(r[5] or "")))
    return out


def _store(host: Host, changes: list[Change]) -> None:
    if not changes:
        host.delete_sheet(FIXES_SHEET)
        host.delete_sheet(LOG_SHEET)
        return
    host.replace_sheet(FIXES_SHEET, [FIXES_HEADER, *[[c.sheet, c.cell, c.header, c.old, c.new, c.code] for c in changes]],
                       hidden=True)
    log: list[list[object]] = [LOG_HEADER]
    links: dict[str, str] = {}
    for n, c in enumerate(changes, start=1):
        log.append([n, c.cell, c.header, "" if c.old is None else c.old, c.new, c.code])
        links[f"B{n + 1}"] = f"#'{c.sheet}'!{c.cell}"
    host.replace_sheet(LOG_SHEET, log, links=links, widths={"A": 6, "B": 10, "C": 20, "D": 30, "E": 30, "F": 8})


def autofix_sheet(host: Host, base: Settings | None = None) -> FixOutcome:
    """自动修正 the active sheet, then check it again and mark what is left."""
    sheet = host.active_sheet()
    findings = check_source(host, base).on_sheet(sheet).findings
    changes = apply_fixes(host, findings)
    if changes:
        _store(host, stored_changes(host) + changes)
    return FixOutcome(changes, validate_sheet(host, sheet, base))


def undo_fixes(host: Host, base: Settings | None = None) -> str:
    """撤销修正: every change 自动修正 made, put back in reverse order."""
    changes = stored_changes(host)
    if not changes:
        return "没有可以撤销的自动修正。"
    undo(host, changes)
    _store(host, [])
    sheets = list(dict.fromkeys(c.sheet for c in changes))
    for sheet in sheets:
        if sheet in host.sheet_names():
            validate_sheet(host, sheet, base)
    return f"已撤销 {len(changes)} 处自动修正，单元格恢复为原来的内容，并重新标记了问题。"
