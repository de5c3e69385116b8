"""xueji diff: what changed between two versions of a roster, or since the parents signed."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer
from rich.table import Table
from rich.text import Text

from xueji_addin.actions.diff import diff_rosters, diff_rows
from xueji_addin.actions.print_record import RECORD_SHEET, PrintedPage, read_record
from xueji_addin.actions.signed import check_signed, result_rows
from xueji_addin.cli.app import EXIT_FINDINGS, EXIT_OK, app, console
from xueji_addin.cli.output import json_on_stdout, write_json
from xueji_addin.cli.validate import file_settings
from xueji_addin.rules.roster import Roster
from xueji_addin.spec.settings import load_settings
from xueji_addin.workbook.errors import ReadError
from xueji_addin.workbook.reader import read_book, read_sheets

SCREEN_ROWS = 60


@app.command("diff")
def diff_command(
    old: Annotated[Path, typer.Argument(metavar="旧版本", help="旧版本的学籍表；用 --signed 时是 xueji print 生成的确认表 .xlsx")],
    new: Annotated[Path, typer.Argument(metavar="新版本", help="新版本的学籍表：.xlsx / .xlsm / .xls / .csv")],
    signed: Annotated[bool, typer.Option("--signed", help="第一个文件是家长已签字的确认表：列出信息已改动、须重新打印签字的学生")] = False,
    json_out: Annotated[Optional[str], typer.Option("--json", help="把比较结果写成 JSON 文件；用 - 只把 JSON 输出到屏幕，其他文字改到错误输出")] = None,
    mask: Annotated[bool, typer.Option("--mask", help="结果中隐藏身份证号和手机号的中间几位")] = False,
    settings_path: Annotated[Optional[Path], typer.Option("--settings", help="本校设置文件 xueji.toml（文件中的“学校设置”表优先）")] = None,
) -> None:
    """比较两个版本的学籍表（按身份证件号对应，不管行的顺序和格式）：新增、删除、换班、信息改动的学生。
    退出码：0 相同，1 有不同，2 文件无法使用。"""
    json_on_stdout(json_out)
    contents = read_book(new)
    students = contents.students(new.name)
    settings = file_settings(contents, load_settings(settings_path), "比较")
    if signed:
        result = check_signed(_record(old), students, settings, mask=mask)
        rows, data, equal, summary = result_rows(result), result.model_dump(mode="json"), result.equal, result.summary()
    else:
        diff = diff_rosters(_old_roster(old), students, settings, mask=mask)
        rows, data, equal, summary = diff_rows(diff), diff.model_dump(mode="json"), diff.equal, diff.summary()
    if json_out:
        write_json(data, json_out, protect=(old, new))
    _show(rows, summary)  # on stderr with --json -
    raise typer.Exit(EXIT_OK if equal else EXIT_FINDINGS)


def _old_roster(path: Path) -> Roster:
    try:
        return read_book(path).students(path.name)
    except ReadError:
        if any(s.name == RECORD_SHEET for s in read_sheets(path)):  # only on the way out: a second read
            raise ReadError(f"“{path.name}”是 xueji print 打印的确认表，不是学籍表；要找出家长签字后又改动过的学生，"
                            f"请用 xueji diff --signed {path.name} 新版学籍表.xlsx") from None
        raise


def _record(path: Path) -> list[PrintedPage]:
    """The 打印记录 that ``xueji print`` left in its output file."""
    sheet = next((s for s in read_sheets(path) if s.name == RECORD_SHEET), None)
    if sheet is None:
        raise ReadError(f"“{path.name}”里没有打印记录，不是 xueji print 生成的确认表文件；"
                        "--signed 的第一个文件须是当时打印用的确认表 .xlsx。")
    return read_record(sheet.rows, f"“{path.name}”")


def _show(rows: list[list[object]], summary: str) -> None:
    console.print(summary)
    if len(rows) <= 1:
        return
    table = Table(show_header=True, header_style="bold", box=None, pad_edge=False)
    for name in rows[0]:
        table.add_column(str(name), overflow="fold")
    for row in rows[1:SCREEN_ROWS + 1]:
        table.add_row(*(Text(str(v)) for v in row))  # cell texts never read as console markup
    console.print(table)
    if len(rows) - 1 > SCREEN_ROWS:
        console.print(f"……还有 {len(rows) - 1 - SCREEN_ROWS} 行，完整结果请用 --json 保存。")
