"""xueji validate / fix / demo."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Annotated, Optional

import typer

from xueji_addin.actions.collection import check_book, reference_rosters
from xueji_addin.actions.pipeline import CheckedBook, book_settings, check_source
from xueji_addin.actions.report import Input, Report, RunReport
from xueji_addin.cli.plain import styled
from xueji_addin.workbook.atomic import make_folder
from xueji_addin.cli.app import EXIT_FINDINGS, EXIT_OK, EXIT_UNUSABLE, app, console, err_console, fail
from xueji_addin.cli.output import FileProgress, json_on_stdout, print_report, write_json
from xueji_addin.gc_pause import gc_paused
from xueji_addin.rules.normalize import number_text
from xueji_addin.rules.roster import Roster
from xueji_addin.spec.profiles import Profile
from xueji_addin.spec.settings import Settings, SettingsError, load_settings
from xueji_addin.workbook.atomic import JSON, XLSX, expect_output
from xueji_addin.workbook.reader import Book, ReadError, expand_inputs
from xueji_addin.workbook.read_ahead import ahead_of

SettingsOpt = Annotated[Optional[Path], typer.Option("--settings", help="本校设置文件 xueji.toml（学校标识码、班级列表等）")]
ClassesOpt = Annotated[Optional[Path], typer.Option("--classes", help="班级信息表文件：学生的班号须是其中的班级（也可以把“班级信息”工作表放在同一工作簿中）")]
ProfileOpt = Annotated[Optional[str], typer.Option("--profile", help="指定表的种类：学生 / 班级 / 教师 / 学校 / 校区（默认按表头自动识别）")]


def checked_file(file: Path, base: Settings, doing: str = "检查", **kw: object) -> CheckedBook:
    """``check_source`` of a file, saying so when its own 学校设置 sheet changes what the command
    (``doing``: 检查, 打印 …) goes by, as the add-in reads it."""
    cb = check_source(file, base, doing=doing, **kw)  # type: ignore[arg-type]
    if cb.note:
        console.print(cb.note)
    return cb


def file_settings(contents: Book, base: Settings, doing: str = "检查") -> Settings:
    """The settings of a book already read (split reads the sheets itself), said as ``checked_file`` does."""
    settings, note = book_settings(contents, base, doing)
    if note:
        console.print(note)
    return settings


def profiles_option(name: str | None) -> list[Profile] | None:
    """The ``--profile`` choice as a candidate list for the reader (None: recognise from the header)."""
    from xueji_addin.spec.profiles import resolve_profile

    if name is None:
        return None
    profile = resolve_profile(name)
    if profile is None:
        err_console.print(styled("无法完成：", "bold red") + f"不认识的表种类“{name}”，可选：学生、班级、教师、学校、校区。")
        raise typer.Exit(EXIT_UNUSABLE)
    return [profile]


@app.command()
def validate(
    files: Annotated[list[Path], typer.Argument(help="要检查的文件或文件夹：.xlsx / .xlsm / .xls / .csv（可多个；文件夹中的表格文件按文件名顺序检查）")],
    json_out: Annotated[Optional[str], typer.Option("--json", help="把报告写成 JSON 文件（.json）；用 - 只把 JSON 输出到屏幕，其他文字改到错误输出")] = None,
    marked: Annotated[Optional[Path], typer.Option("--marked", help="另存一份标记了问题单元格的副本（只能检查一个文件时使用）")] = None,
    settings_path: SettingsOpt = None,
    mask: Annotated[bool, typer.Option("--mask", help="报告中隐藏身份证号和手机号的中间几位")] = False,
    classes: ClassesOpt = None,
    profile: ProfileOpt = None,
) -> None:
    """检查学籍表（学生、班级、教师、学校、校区各表按表头自动识别）：列出每个有问题的单元格、问题和改法。
    退出码：全部没有错误为 0，有错误为 1，有文件无法检查时为 2（其他文件照样检查）。"""
    json_on_stdout(json_out)
    settings = load_settings(settings_path)
    candidates = profiles_option(profile)
    references = reference_rosters((classes,) if classes else ())
    if json_out not in (None, "-"):
        expect_output(json_out, JSON)
    if marked:
        expect_output(marked, XLSX)
    inputs, found = _inputs(files)
    if marked and len(found) > 1:
        raise fail("--marked 一次只能用于一个文件。")
    # The collector is paused for the whole check: what it builds stays alive until the report is
    # written (reference counting still frees each file's cells), and walking it again and again
    # cost a tenth of a large school's check (gc_pause.py). Each file's cells are dropped inside the
    # pause (_check_one returns only its reports), so the collector has little to walk on resuming.
    with gc_paused(kept=True), FileProgress(len(found), "检查中") as progress:
        for ((slot, given), _), f in zip(found, ahead_of([f for _, f in found])):  # the next file is parsed while this one is checked
            inputs[slot] = _check_one(given, f, candidates, settings, references, marked=marked, mask=mask)
            progress.advance()
        run = RunReport.of(list(inputs.values()))
        if json_out:
            write_json(run.model_dump(mode="json"), json_out, protect=tuple(f for _, f in found))
    if len(run.inputs) > 1:
        t = run.totals
        console.print(styled(f"共 {t.inputs} 个文件", "bold") + f"：{t.ok} 个没有错误，{t.with_errors} 个有错误，{t.unusable} 个无法检查；"
                      f"{t.students} 名学生，{t.errors} 个错误，{t.warnings} 个提示。")
    raise typer.Exit(run.exit_code())


def _inputs(items: list[Path]) -> tuple[dict[int, Input | None], list[tuple[tuple[int, str], Path]]]:
    """Each input slot in the order given (a folder's files in its place), and the files to check:
    ((slot, path as given), file). A folder without spreadsheets is an unusable input of its own."""
    inputs: dict[int, Input | None] = {}
    found: list[tuple[tuple[int, str], Path]] = []
    for item in items:
        try:
            files = expand_inputs([item])
        except ReadError as e:
            err_console.print(styled("无法检查：", "bold red") + str(e))
            inputs[len(inputs)] = Input.unusable(str(item), str(e))
            continue
        for f in files:
            found.append(((len(inputs), str(f)), f))
            inputs[len(inputs)] = None
    return inputs, found


def _check_one(given: str, f: Path, candidates: list[Profile] | None, settings: Settings, references: list[Roster], *,
               marked: Path | None, mask: bool) -> Input:
    """Check one file: print the report of each of its tables (and save its marked copy when
    asked); a file that cannot be checked is said in one sentence and is an unusable input."""
    try:
        cb = checked_file(f, settings, profiles=candidates, references=references)
    except (ReadError, SettingsError) as e:
        err_console.print(styled("无法检查：", "bold red") + str(e))
        return Input.unusable(given, str(e))
    reports: list[Report] = []
    for checked in cb.tables:
        report = checked.report(given)
        reports.append(report.masked() if mask else report)
        print_report(reports[-1])
    if marked:
        from xueji_addin.actions.collection import write_marked_book  # openpyxl: only for a copy

        n = write_marked_book(f, cb.tables, marked, cb.settings)
        console.print(f"已保存标记副本：{marked}（{n} 个单元格标了颜色，问题清单在“校验结果”表）")
    return Input.checked(given, reports)


@app.command()
def fix(
    file: Annotated[Path, typer.Argument(help="要修正的文件（原文件不会被修改）")],
    out: Annotated[Path, typer.Option("--out", help="修正后的副本保存到哪里（.xlsx）")],
    settings_path: SettingsOpt = None,
    classes: ClassesOpt = None,
    profile: ProfileOpt = None,
) -> None:
    """自动修正：只改有把握的问题（如全角数字、多余空格、代码改名称、日期格式），保存为副本并列出改动。
    工作簿中的学生、班级、教师、学校、校区各表都会修正。"""
    expect_output(out, XLSX, protect=(file,))
    settings = load_settings(settings_path)
    # The same checks as validate with the same options: the copy is re-checked as the file was.
    how = {"profiles": profiles_option(profile), "references": reference_rosters((classes,) if classes else ())}
    with gc_paused(kept=True):  # as validate's check: the book stays alive to the end, and walking it again and again cost 0.1 s
        from xueji_addin.actions.fix import fix_book, fixed_book  # (openpyxl: its modules built under the pause too)

        cb = checked_file(file, settings, keep_contexts=True, **how)
        settings = cb.settings
        changes = fix_book(file, cb.tables, out, settings)
        # The copy as it reads back is the book with its fixes (reading 10,000 students again cost as
        # much as the first read); where that is not certain, the copy itself is read and checked.
        fixed = fixed_book(cb.book, [f for c in cb.tables for f in c.findings])
        # The columns no fix touched are the very lists checked before: their cell checks are taken over.
        again = (check_book(fixed, settings, references=how["references"], earlier=cb.tables) if fixed is not None  # type: ignore[arg-type]
                 else check_source(out, settings, **how).tables)  # type: ignore[arg-type]
    after = {c.roster.sheet: c for c in again}
    errors = warnings = 0
    for checked in cb.tables:
        sheet = checked.roster.sheet
        mine = [c for c in changes if c.sheet == sheet]
        left = after[sheet].report(out.name).summary if sheet in after else None
        tail = f"（还剩 {left.errors} 个错误、{left.warnings} 个提示）" if left else ""
        if left:
            errors, warnings = errors + left.errors, warnings + left.warnings
        console.print(styled(f"工作表“{sheet}”", "bold") + "：" + (f"修正 {len(mine)} 处" if mine else "没有可自动修正的问题") + tail)
        for c in mine:
            console.print(f"  {c.cell}【{c.header}】{change_text(c.old, c.new)}")
    console.print(f"共修正 {len(changes)} 处，已保存到 {out}；仍有 {errors} 个错误、{warnings} 个提示需要人工处理。")
    raise typer.Exit(EXIT_FINDINGS if errors else EXIT_OK)


def change_text(old: object, new: str) -> str:
    """“old” → “new”, quoted so that spaces show; a number that became the same digits as text says so."""
    if isinstance(old, (int, float)) and not isinstance(old, bool):
        shown = number_text(old)
        if shown == new:
            return f"数字 {shown} → 文本 {new}（看起来一样：改成了文本格式，Excel 不会再改动它）"
        return f"数字 {shown} → “{new}”"
    if isinstance(old, (dt.date, dt.datetime)):
        return f"日期 {old:%Y-%m-%d} → 文本 “{new}”"
    return f"“{'' if old is None else old}” → “{new}”"


@app.command()
def demo(
    out_dir: Annotated[Path, typer.Option("--out-dir", help="结果保存到哪个文件夹")] = Path("xueji-demo"),
) -> None:
    """演示：检查自带的示例班级文件，生成标记副本和 JSON 报告。"""
    from xueji_addin.actions.collection import write_marked_book
    from xueji_addin.samples import SAMPLE_NAME, build_sample

    make_folder(out_dir)
    src = out_dir / SAMPLE_NAME
    build_sample(src)  # the same file as workbook_template/示例班级_20240101.xlsx
    cb = check_source(src)
    report = cb.students().report(src.name)
    print_report(report, limit=50)
    marked = out_dir / "示例班级_20240101_已标记.xlsx"
    write_marked_book(src, cb.tables, marked, cb.settings)
    json_path = out_dir / "示例班级_20240101_报告.json"
    write_json(RunReport.of([Input.checked(src.name, [report])]).model_dump(mode="json"), str(json_path))
    console.print(f"\n标记副本：{marked}\nJSON 报告：{json_path}\n用 Excel 或 WPS 打开标记副本：红色是错误，黄色是提示，鼠标停在单元格上可看说明。")
    raise typer.Exit(EXIT_OK)
