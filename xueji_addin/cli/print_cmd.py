"""xueji print: the printable confirmation sheets of a class (打印本班确认表)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer

from xueji_addin.actions.class_pages import book_classes, class_sheets
from xueji_addin.actions.print_pages import write_confirm_file
from xueji_addin.cli.plain import styled
from xueji_addin.cli.app import EXIT_OK, app, console, fail
from xueji_addin.cli.validate import checked_file
from xueji_addin.spec.settings import load_settings
from xueji_addin.workbook.atomic import PDF, XLSX, expect_output
from xueji_addin.workbook.pdf import to_pdf

_LAYOUTS = ("form", "roster", "both")


@app.command("print")
def print_command(
    file: Annotated[Path, typer.Argument(help="班级学籍表：.xlsx / .xlsm / .xls / .csv（原文件不会被修改）")],
    out: Annotated[Path, typer.Option("--out", help="确认表保存到哪里（.xlsx，用 Excel 或 WPS 打开即可打印）")],
    pdf: Annotated[Optional[Path], typer.Option("--pdf", help="同时生成 PDF（需要安装 LibreOffice）")] = None,
    class_no: Annotated[Optional[str], typer.Option("--class", help="只打印这个班号的学生（全校文件时使用）")] = None,
    layout: Annotated[str, typer.Option("--layout", help="form：每生一页确认表；roster：全班签字名单；both：两种都要")] = "form",
    mask: Annotated[bool, typer.Option("--mask", help="隐藏身份证号和电话号码的中间几位（用于公示张贴）")] = False,
    settings_path: Annotated[Optional[Path], typer.Option("--settings", help="本校设置文件 xueji.toml（学校名称用于标题；文件中的“学校设置”表优先）")] = None,
) -> None:
    """打印本班确认表：每个学生一页 A4，全部信息分栏列出，有问题的栏目标出，底部留签字处；或全班一张签字名单。"""
    if layout not in _LAYOUTS:
        raise fail(f"--layout 只能是 form（每生一页）、roster（签字名单）或 both，而不是“{layout}”。")
    expect_output(out, XLSX, protect=(file,))  # both outputs before any work: no xlsx saved for a --pdf that cannot be
    if pdf is not None:
        expect_output(pdf, PDF, protect=(file,))
    cb = checked_file(file, load_settings(settings_path), "打印", keep_contexts=True)  # the file's 学校设置, as the button uses
    checked, settings = cb.students(), cb.settings
    if not len(checked.roster):
        raise fail(f"“{file.name}”中没有学生数据，没有可打印的内容。")
    sheets = class_sheets(checked.roster, checked.findings, settings, class_no=class_no, mask=mask,
                          classes=book_classes(cb), context=checked.context)
    names = write_confirm_file(out, sheets, layout, protect=(file,))  # type: ignore[arg-type]
    students = sum(len(s.forms) for s in sheets)
    classes = "、".join(s.heading.label or "未填班号的" for s in sheets)
    flagged = sum(1 for s in sheets for f in s.forms if f.problems)
    console.print(f"已保存 {out}：{classes} {students} 名学生，工作表 {'、'.join(names)}。")
    if flagged:
        where = {"form": "已在确认表上用 ※ 和底色标出", "roster": "已在核对名单上用底色标出",
                 "both": "已在确认表上用 ※ 和底色、在核对名单上用底色标出"}[layout]
        console.print(styled(f"其中 {flagged} 名学生的信息有需核对的项目，{where}。", "yellow"))
    if pdf is not None:
        to_pdf(out, pdf)
        console.print(f"已生成 PDF：{pdf}")
    raise typer.Exit(EXIT_OK)

