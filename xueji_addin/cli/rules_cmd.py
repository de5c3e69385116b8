"""xueji rules: the rule catalogue (code, severity, what it checks)."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.table import Table

from xueji_addin.cli.app import app, console
from xueji_addin.rules.findings import Rule, all_rules

_SCOPES = {"table": "整表", "cell": "单元格", "row": "同一行", "roster": "多行之间"}


def _in_order(codes: object) -> list[str]:
    """XJ001 … XJ904, then the other tables' XJ1001 … (by number, not as text)."""
    return sorted(codes, key=lambda c: (len(c), c))  # type: ignore[arg-type]


def _catalogue() -> list[Rule]:
    """Every rule, in catalogue order."""
    rules = all_rules()
    return [rules[code] for code in _in_order(rules)]


def catalogue_markdown() -> str:
    lines = ["| 代码 | 级别 | 范围 | 检查什么 |", "|---|---|---|---|"]
    for r in _catalogue():
        lines.append(f"| {r.code} | {r.severity.label} | {_SCOPES[r.scope]} | {r.title} |")
    return "\n".join(lines)


@app.command("rules")
def rules_command(
    markdown: Annotated[bool, typer.Option("--markdown", help="输出 Markdown 表格（README 中的规则目录即由此生成）")] = False,
) -> None:
    """列出全部检查规则：代码、级别（错误/提示）和检查内容。"""
    if markdown:
        print(catalogue_markdown())
        return
    table = Table("代码", "级别", "范围", "检查什么", box=None)
    for r in _catalogue():
        table.add_row(r.code, r.severity.label, _SCOPES[r.scope], r.title)
    console.print(table)


@app.command("schema")
def schema_command() -> None:
    """输出 JSON 报告（xueji validate --json）的 JSON Schema，供其他程序校验和读取报告。"""
    from xueji_addin.actions.report import published_schema

    print(published_schema(), end="")
