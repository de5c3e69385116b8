"""Shared printing of findings and summaries."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from rich.table import Table

from xueji_addin.actions.report import Report
from xueji_addin.cli.plain import styled
from xueji_addin.cli.app import console, err_console
from xueji_addin.rules.findings import Severity
from xueji_addin.spec.profiles import load_profile
from xueji_addin.workbook.atomic import JSON, atomic_path



def print_report(report: Report, *, limit: int = 30) -> None:
    s = report.summary
    colour = "red" if s.errors else ("yellow" if s.warnings else "green")
    console.print(
        styled(report.file, "bold") + f"  工作表“{report.sheet}”  {load_profile(report.profile).count(report.students)}  "
        + styled(f"{s.errors} 个错误，{s.warnings} 个提示", colour)
    )
    if not report.findings:
        console.print(styled("没有发现问题。", "green"))
        return
    table = Table(show_header=True, header_style="bold", box=None, pad_edge=False)
    for name in ("单元格", "列名", "级别", "问题", "建议"):
        table.add_column(name, overflow="fold")
    for f in report.findings[:limit]:
        style = "red" if f.severity is Severity.ERROR else "yellow"
        table.add_row(f.cell, f.header or "", styled(f.severity.label, style), f.message, f.suggestion)
    console.print(table)
    if len(report.findings) > limit:
        console.print(f"……还有 {len(report.findings) - limit} 条，完整列表见 JSON 报告或标记副本的“校验结果”表。")


def json_on_stdout(target: str | None) -> None:
    """``--json -``: stdout carries only the JSON, so a tool can parse it; everything a person reads
    (tables, notes, totals) goes to stderr. Call it before anything is printed."""
    if target == "-":
        console.stderr = True


def write_json(data: object, target: str, *, protect: tuple[str | Path, ...] = ()) -> None:
    """The report to a file (never over one of ``protect``, the inputs) or, for "-", to the screen."""
    text = json.dumps(data, ensure_ascii=False, indent=2)
    if target == "-":
        print(text)
        return
    with atomic_path(target, protect=protect, kind=JSON) as tmp:
        Path(tmp).write_text(text, "utf-8")


class FileProgress:
    """A progress bar over ``total`` files when there are at least ``least`` of them; otherwise
    nothing, and rich.progress is not even imported (a one-file check does not wait for it)."""

    def __init__(self, total: int, description: str, *, least: int = 2) -> None:
        self.total, self.description, self.show = total, description, total >= least
        self._bar: Any = None

    def __enter__(self) -> FileProgress:
        if self.show:
            from rich.progress import Progress

            self._bar = Progress(console=err_console, transient=True)
            self._bar.__enter__()
            self._task = self._bar.add_task(self.description, total=self.total)
        return self

    def advance(self) -> None:
        if self._bar is not None:
            self._bar.advance(self._task)

    def __exit__(self, *exc: object) -> None:
        if self._bar is not None:
            self._bar.__exit__(*exc)
