"""xueji split / merge / import / export: the school registrar's tools."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn
from rich.table import Table

from xueji_addin.actions.class_list import ClassList, class_list
from xueji_addin.actions.collection import reference_rosters
from xueji_addin.actions.export import export_rows, stale_parts, write_export
from xueji_addin.actions.importer import import_rows, load_mapping, plan_import, write_imported
from xueji_addin.actions.merge import (
    CLASS_LIST, MERGED, MergeResult, expand_inputs, merge_files, school_code_summary, write_merged,
)
from xueji_addin.actions.split import BY_CLASS, BY_GRADE, roster_layout, split_to_files, split_to_sheet_copy
from xueji_addin.cli.plain import styled
from xueji_addin.workbook.atomic import make_folder
from xueji_addin.cli.app import EXIT_FINDINGS, EXIT_OK, app, console, err_console, fail
from xueji_addin.cli.output import json_on_stdout, write_json
from xueji_addin.cli.validate import ClassesOpt, checked_file, file_settings
from xueji_addin.rules.mask import mask_id
from xueji_addin.spec.profiles import default_profile
from xueji_addin.spec.settings import Settings, load_settings
from xueji_addin.workbook.atomic import JSON, XLSX, expect_output
from xueji_addin.workbook.layout import Layout
from xueji_addin.workbook.reader import SPREADSHEET_SUFFIXES, ReadError, book_of, read_sheets

SettingsOpt = Annotated[Optional[Path], typer.Option("--settings", help="本校设置文件 xueji.toml（学校名称、学校标识码、班级列表）")]


# --- split ------------------------------------------------------------------------------------


@app.command()
def split(
    file: Annotated[Path, typer.Argument(help="全校（或全年级）的学籍表")],
    out_dir: Annotated[Path, typer.Option("--out-dir", help="拆分结果保存到哪个文件夹（不存在时自动建立）")],
    by: Annotated[str, typer.Option("--by", help="按“班号”或“年级”拆分；年级取8位班号的前4位（入学年份），如 2024级")] = BY_CLASS,
    sheets: Annotated[bool, typer.Option("--sheets", help="不拆成多个文件，而是在一个副本里每班一个工作表")] = False,
    settings_path: SettingsOpt = None,
    classes: ClassesOpt = None,
) -> None:
    """拆分：把全校名单按班（或按年级）拆成模板文件，文件名为“学校名_班号.xlsx”。原文件不会被修改。"""
    if by not in (BY_CLASS, BY_GRADE):
        raise fail(f"--by 只能是“{BY_CLASS}”或“{BY_GRADE}”，不能是“{by}”。")
    if out_dir.exists() and not out_dir.is_dir():
        raise fail(f"“{out_dir}”是一个文件，不是文件夹。")
    sheets_read = read_sheets(file)  # once: for the class names and settings, and for the split itself
    contents = book_of(file, sheets_read)
    settings = file_settings(contents, load_settings(settings_path), "拆分")  # the file's 学校设置, as the button uses
    make_folder(out_dir)
    # Class names (for file and sheet names) from --classes, a 班级信息 sheet of the file, or the settings.
    names = class_list(settings, [*reference_rosters((classes,) if classes else ()), *contents.rosters])
    layout = roster_layout(sheets_read, file.name)
    for sentence in layout.remapped:  # (into files or into sheets: the same columns, said the same way)
        console.print(styled("按列名对应：", "yellow") + str(sentence))
    for sentence in layout.notes:
        err_console.print(styled("注意：", "yellow") + sentence)
    if sheets:
        _split_sheets(file, layout, out_dir, by, settings, names)
        return
    written = split_to_files(layout, out_dir, by=by, settings=settings, protect=(file,), classes=names, source=file.name)
    strangers = names.unknown(f.key for f in written) if by == BY_CLASS else []
    if strangers:  # split all the same (nothing is left out), but never silently
        err_console.print(styled("注意：", "yellow") + f"班号 {'、'.join(strangers)} 不在{names.source}的班级列表中，"
                          "也已拆成文件；请核对这些学生的班号，或先在班级列表中建班。")
    table = Table("文件", "学生数", box=None)
    for f in written:
        table.add_row(str(f.path), str(f.rows))
    console.print(table)
    total = sum(f.rows for f in written)
    console.print(f"共 {len(layout)} 名学生，拆成 {len(written)} 个文件（{total} 行，一行不少）。")
    raise typer.Exit(EXIT_OK)


def _split_sheets(file: Path, layout: Layout, out_dir: Path, by: str, settings: Settings,
                  names: ClassList | None = None) -> None:
    out = out_dir / f"{file.stem}_按{by}分表.xlsx"
    made = split_to_sheet_copy(file, layout, out, by=by, settings=settings, classes=names, protect=(file,))
    for s in made:
        console.print(f"工作表“{s.name}”：{s.rows} 名学生")
    console.print(f"已保存：{out}（{len(made)} 个工作表，共 {sum(s.rows for s in made)} 行；原工作表“{layout.sheet.name}”已由拆分出的工作表代替）")
    raise typer.Exit(EXIT_OK)


# --- merge ------------------------------------------------------------------------------------


@app.command()
def merge(
    inputs: Annotated[list[Path], typer.Argument(help="各班文件或文件夹（文件夹中的 .xlsx/.xls/.csv 按文件名顺序合并）")],
    out: Annotated[Path, typer.Option("--out", help="合并后的全校文件（.xlsx）")],
    json_out: Annotated[Optional[str], typer.Option("--json", help="把合并报告写成 JSON 文件；用 - 只把 JSON 输出到屏幕，其他文字改到错误输出")] = None,
    mask: Annotated[bool, typer.Option("--mask", help="JSON 报告中隐藏身份证件号的中间几位（屏幕上总是隐藏）")] = False,
    settings_path: SettingsOpt = None,
    classes: ClassesOpt = None,
) -> None:
    """合并：把各班文件合成一个全校文件，逐个文件报告读入和写入的行数、问题，并跨文件查重。

    表头不同（改名、挪动、缺列、多列）时按列名对应并说明；无法确定时拒绝该文件并列出差异。
    有错误的行照样保留并标出；“来源”表记录每一行来自哪个文件的第几行。
    """
    json_on_stdout(json_out)
    settings = load_settings(settings_path)
    files = expand_inputs(inputs, exclude=out)
    expect_output(out, XLSX)
    if json_out not in (None, "-"):
        expect_output(json_out, JSON)
    columns = (TextColumn("合并中"), BarColumn(), MofNCompleteColumn(), TextColumn("{task.fields[name]}", markup=False))  # a file name is text
    with Progress(*columns, console=err_console, transient=True, disable=len(files) < 5) as progress:
        task = progress.add_task("合并", total=len(files), name="")
        names = class_list(settings, reference_rosters((classes,))) if classes else None
        res = merge_files(files, settings, names, done=lambda f: progress.update(task, advance=1, name=f.name))
    if not res.rows and not any(f.status == MERGED for f in res.files):
        _print_files(res)
        if json_out:  # a tool still learns why each file was refused; no output file was written
            write_json(res.to_json(None, mask=mask), json_out)
        raise fail("没有一个文件可以合并。")
    write_merged(res, out, settings=settings, protect=tuple(files))
    _print_files(res)
    _print_across(res, settings)
    console.print(
        f"已保存：{out}  读入 {res.rows_read} 行，写入 {res.rows_written} 行"
        + (f"，{res.rows_not_merged} 行所在的工作表未合并（见上）" if res.rows_not_merged else "（一行不少）")
        + f"；{sum(f.errors for f in res.files)} 个错误，{sum(f.warnings for f in res.files)} 个提示已在文件中标出。"
    )
    if json_out:
        write_json(res.to_json(out.name, mask=mask), json_out)
    problems = res.rows_not_merged or any(f.status not in (MERGED, CLASS_LIST) for f in res.files) or any(f.errors for f in res.files)
    raise typer.Exit(EXIT_FINDINGS if problems or res.duplicates or len(res.school_codes) > 1 else EXIT_OK)


def _print_files(res: MergeResult) -> None:
    table = Table("文件", "工作表", "读入", "写入", "错误", "提示", "结果", box=None)
    for f in res.files:
        colour = "green" if f.status in (MERGED, CLASS_LIST) else "red"
        table.add_row(f.file, f.sheet or "", str(f.rows_read), str(f.rows_written), str(f.errors), str(f.warnings),
                      styled(f.status, colour))
    console.print(table)
    for f in res.files:
        where = f"{f.file}" + (f"（{f.sheet}）" if f.sheet else "")
        for s in f.remapped if f.status == MERGED else []:
            console.print(styled(f"{where} 按列名对应：", "yellow") + str(s))
        for s in f.problems:
            console.print(styled(f"{where} 未合并：", "red") + str(s))
        for s in f.notes:
            console.print(styled(f"{where}：", "yellow") + str(s))


def _print_across(res: MergeResult, settings: Settings) -> None:
    for d in res.duplicates:
        places = "、".join(f"{p.file} 第{p.row}行（合并后第{p.output_row}行）" for p in d.places)
        what = "同一学生出现在不同班级" if len(d.classes) > 1 else "身份证件号重复"
        classes = f"，班号 {'、'.join(d.classes)}" if len(d.classes) > 1 else ""
        console.print(styled(f"{what}：", "red") + f"{mask_id(d.id_number)} 出现在 {places}{classes}")
    for s in school_code_summary(res, settings):
        console.print(styled("学校标识码：", "red") + str(s))
    if res.missing_classes:
        shown = "、".join(f"{name}（{no}）" if name else no for no, name in res.missing_classes)
        console.print(styled(f"{res.class_source}中有 {len(res.missing_classes)} 个班级没有交文件：", "yellow") + str(shown))


# --- import -----------------------------------------------------------------------------------


@app.command("import")
def import_command(
    file: Annotated[Path, typer.Argument(help="其他系统导出的表或自制的名单（.xlsx/.xls/.csv）")],
    out: Annotated[Path, typer.Option("--out", help="转换成模板格式后保存到哪里（.xlsx）")],
    map_path: Annotated[Optional[Path], typer.Option("--map", help="列对应关系文件 mapping.toml（“原列名” = “模板列名”）")] = None,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="只显示列的对应关系，不写文件")] = False,
    settings_path: SettingsOpt = None,
) -> None:
    """导入其他格式：按列名（含常见写法，如“身份证号”→“身份证件号”）把各列放进模板，代码改为名称。

    写文件前先显示列的对应关系；对应不上的列放在“模板外的列”表中，不会丢掉。
    """
    settings = load_settings(settings_path)
    mapping = load_mapping(map_path)
    plan = plan_import(read_sheets(file), file.name, mapping)
    table = Table("原列", "→", "模板列", "依据", box=None)
    for c in plan.columns:
        if c.column is not None:
            table.add_row(f"{c.letter}列 {c.header}", "→", f"{c.column.letter}列 {c.column.header}", c.how)
        else:
            table.add_row(f"{c.letter}列 {c.header}", "→", styled("“模板外的列”表", "yellow"), c.how)
    console.print(f"工作表“{plan.sheet.name}”，表头在第{plan.header_row}行，{len(plan.rows)} 名学生。列的对应关系：")
    console.print(table)
    missing = plan.missing(default_profile())
    if missing:
        console.print(f"模板中这些列在原表中没有，将留空：{'、'.join(c.header for c in missing)}")
    imp = import_rows(plan)
    for conv in imp.conversions:
        examples = "，".join(f"{a}→{b}" for a, b in conv.examples)
        console.print(f"“{conv.column.header}”列：{conv.count} 个值{conv.how}（如 {examples}）")
    if dry_run:
        console.print("（--dry-run：没有写文件）")
        raise typer.Exit(EXIT_OK)
    expect_output(out, XLSX)
    write_imported(imp, out, settings=settings, protect=(file,))
    side = f"，{len(plan.unmapped)} 个对应不上的列在“模板外的列”表" if plan.unmapped else ""
    console.print(f"已保存：{out}（{len(imp.rows)} 行，与原表相同{side}）。下一步：xueji validate {out}")
    raise typer.Exit(EXIT_OK)


# --- export -----------------------------------------------------------------------------------


@app.command()
def export(
    file: Annotated[Path, typer.Argument(help="已检查好的学籍表（全校或班级）")],
    out: Annotated[Path, typer.Option("--out", help="导入文件保存到哪里：.xlsx 或 .xls（.xls 需要 LibreOffice）")],
    max_rows: Annotated[Optional[int], typer.Option("--max-rows", help="每个文件最多多少名学生；超过时分成多个文件（_1、_2…）")] = None,
    force: Annotated[bool, typer.Option("--force", help="仍有错误时也导出（不建议）")] = False,
    settings_path: SettingsOpt = None,
) -> None:
    """导出：生成给国家学籍系统导入的干净文件——工作表名、列名和顺序与模板完全一致，只有值，全部为文本。

    仍有错误时拒绝导出（退出码 1）并列出错误，除非加 --force。
    """
    if max_rows is not None and max_rows < 1:
        raise fail("--max-rows 须是正整数。")
    if out.suffix.lower() not in (".xlsx", ".xls"):
        raise fail(f"导入文件只能是 .xlsx 或 .xls，“{out.name}”的扩展名不对。")
    cb = checked_file(file, load_settings(settings_path), "导出", keep_contexts=True)  # the file's 学校设置, as the button uses
    exp = export_rows(cb.students(), cb.settings)
    if not exp.rows:  # an import file of no students is no export: say so, write nothing
        raise fail(f"“{file.name}”中没有学生数据，没有可导出的内容，没有生成导入文件。")
    errors = exp.errors
    if errors and not force:
        err_console.print(styled("不能导出：", "bold red") + f"“{file.name}”还有 {len(errors)} 个错误，请先改正（或加 --force 强制导出）：")
        table = Table("单元格", "列名", "问题", box=None)
        for f in errors[:50]:
            table.add_row(f.cell, f.header or "", f.message)
        err_console.print(table)
        if len(errors) > 50:
            err_console.print(f"……还有 {len(errors) - 50} 个，完整列表：xueji validate {file} --marked 已标记.xlsx")
        raise typer.Exit(EXIT_FINDINGS)
    written = write_export(exp, out, max_rows=max_rows, protect=(file,))
    for path, n in written:
        console.print(f"已保存：{path}（{n} 名学生）")
    stale = stale_parts(out, written)
    if stale:
        console.print(styled("注意：", "yellow") + f"同一文件夹里还有以前导出的 {'、'.join(p.name for p in stale)}，"
                      f"不属于这一次（这次共 {len(written)} 个文件），导入时不要带上它们，或先删除。")
    if errors:
        console.print(styled("注意：", "yellow") + f"按 --force 导出，其中仍有 {len(errors)} 个错误，导入时可能被拒绝。")
    raise typer.Exit(EXIT_OK)
