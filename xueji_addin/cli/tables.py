"""xueji summary: the school's 学生情况统计表 (the other tables' options live on validate: --classes, --profile)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer
from rich.table import Table

from xueji_addin.actions.summary import MEASURES, summary_of_files, write_summary_xlsx
from xueji_addin.cli.plain import styled
from xueji_addin.cli.app import EXIT_OK, app, console
from xueji_addin.cli.validate import SettingsOpt
from xueji_addin.spec.settings import load_settings


@app.command()
def summary(
    inputs: Annotated[list[Path], typer.Argument(help="学生基础信息文件或文件夹（可多个；文件夹中的 .xlsx / .xls / .csv 都会统计）")],
    out: Annotated[Path, typer.Option("--out", help="统计表保存到哪里（.xlsx，A4 打印）")],
    classes: Annotated[Optional[Path], typer.Option("--classes", help="班级信息表文件：统计表中的各班按其中的班级名称列出")] = None,
    settings_path: SettingsOpt = None,
) -> None:
    """学生情况统计表：按班级和全校统计性别、民族、户口性质、留守儿童、随迁子女、残疾、住校人数，并列出无身份证学生名单。"""
    settings = load_settings(settings_path)
    s, note = summary_of_files(inputs, settings, references=(classes,) if classes else ())
    if note:  # one file's own 学校设置, as the 统计表 button reads it
        console.print(note)
    write_summary_xlsx(s, out, today=settings.effective_today(), protect=tuple(inputs))
    table = Table("班号", "人数", *(m.header for m in MEASURES), box=None, pad_edge=False)
    for class_no, c in [*s.classes.items(), ("全校合计", s.total)]:
        table.add_row(class_no, str(c.total), *(str(c[m.key]) for m in MEASURES))
    console.print(table)
    if s.duplicates:
        console.print(styled("注意：", "yellow") + f"有 {s.duplicates} 行学生的身份证件号已在其他文件或行中出现，只统计了一次（请检查是否重复放入了文件）。")
    console.print(f"已保存统计表：{out}（{len(s.classes)} 个班级，{s.total.total} 名学生，无身份证 {len(s.no_id)} 人；A4 纸打印）")
    raise typer.Exit(EXIT_OK)
