"""xueji template / dropdowns."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer

from xueji_addin.actions.dropdowns import refresh_file
from xueji_addin.actions.outputs import refuse_filled
from xueji_addin.cli.app import EXIT_OK, app, console
from xueji_addin.cli.validate import SettingsOpt, profiles_option
from xueji_addin.spec.profiles import Role
from xueji_addin.spec.settings import load_settings
from xueji_addin.workbook.template import TEMPLATE_NAME, write_template


@app.command()
def template(
    out: Annotated[Optional[Path], typer.Option("--out", help="模板保存到哪里（.xlsx；默认为“<表名>导入模板.xlsx”）")] = None,
    settings_path: SettingsOpt = None,
    class_no: Annotated[Optional[str], typer.Option("--class", help="本班班号：预先填入班号列（6位或8位数字）")] = None,
    profile: Annotated[Optional[str], typer.Option("--profile", help="生成哪种表的模板：学生 / 班级 / 教师 / 学校 / 校区（默认学生基础信息）")] = None,
) -> None:
    """生成学生基础信息导入模板：编码列有下拉列表，代码类列为文本格式，填错的单元格立即标红，另附“行政区划”查询表。"""
    settings = load_settings(settings_path)
    chosen = (profiles_option(profile) or [None])[0]
    students = chosen is None or chosen.role is Role.STUDENTS
    if out is None:
        out = Path(TEMPLATE_NAME if students else f"{chosen.sheet_name}导入模板.xlsx")
    refuse_filled(out, "模板")
    path = write_template(out, settings, class_no=class_no if students else None, profile=chosen)
    filled = [x for x in (settings.school_code and f"学校标识码 {settings.school_code}", class_no and f"班号 {class_no}") if x]
    console.print(f"已生成模板：{path}" + (f"（已预填{'、'.join(filled)}）" if filled else ""))
    console.print("用 Excel、WPS 或 LibreOffice 打开：红色表头为必填项，选中单元格可看填写说明，填错的单元格会变红。")
    raise typer.Exit(EXIT_OK)


@app.command()
def dropdowns(
    file: Annotated[Path, typer.Argument(help="已有的学籍表（.xlsx / .xls / .csv；原文件不会被修改）")],
    out: Annotated[Path, typer.Option("--out", help="加好下拉列表和格式的副本保存到哪里（.xlsx）")],
    settings_path: SettingsOpt = None,
) -> None:
    """刷新下拉：给已有的学籍表加上模板的下拉列表、文本格式、填写说明和自动标红，不改动任何内容。"""
    settings = load_settings(settings_path)
    roster, note = refresh_file(file, out, settings)
    if note:  # the file's own 学校设置, as the 刷新下拉 button takes the workbook's
        console.print(note)
    console.print(f"已保存：{out}（{len(roster)} 行学生，内容未改动；已加上下拉列表、文本格式和自动标红）")
    raise typer.Exit(EXIT_OK)
