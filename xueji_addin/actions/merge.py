"""合并班级文件: many class (or grade) rosters into one school roster, every row traceable.

Each input sheet is mapped into the template by header (``workbook.layout``): what was remapped is
reported, an ambiguous header refuses that sheet with the exact differences. Rows are never
dropped: rows written = rows read for every merged sheet, and rows with errors are kept and
marked. Across files the merge reports duplicate ID numbers (which files and rows), the same
pupil in two classes, and whether the files share one 学校标识码.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from xueji_addin.actions.class_list import ClassList, class_list
from xueji_addin.actions.mark import mark
from xueji_addin.actions.outputs import free_path
from xueji_addin.actions.settings_sheet import read_settings
from xueji_addin.actions.split import text_of
from xueji_addin.rules.engine import check
from xueji_addin.rules.findings import Severity
from xueji_addin.rules.roster import Roster
from xueji_addin.spec.columns import Kind
from xueji_addin.spec.profiles import Profile, Role, default_profile, profiles_of
from xueji_addin.spec.headers import find_header, match_header
from xueji_addin.spec.settings import Settings
from xueji_addin.workbook.host import FileHost, Host
from xueji_addin.workbook.extra_sheet import SideSheet, add_extra_sheet, attach, read_extra_sheet
from xueji_addin.workbook.layout import EXTRA_SHEET, plan_layout
from xueji_addin.workbook.reader import ReadError, Sheet, expand_inputs, read_sheets, roster_from_sheet
from xueji_addin.workbook.roster_file import add_table_sheet, roster_workbook
from xueji_addin.workbook.streamed_book import Book
from xueji_addin.workbook.read_ahead import ahead_of

from xueji_addin.workbook.names import SOURCE_SHEET, is_ours  # noqa: E402
from xueji_addin.workbook.reader import is_blank  # noqa: E402
from xueji_addin.actions.merge_result import (  # noqa: E402,F401  (the merge's record; also this module's names)
    CLASS_LIST, MERGED, NOT_ROSTER, REFUSED, SOURCE_HEADER, UNREADABLE, Duplicate, FileReport, MergeResult, Place,
)


class Merger:
    """Collects sheets one file at a time (so the caller can show progress), then checks them once."""

    def __init__(self, profile: Profile | None = None) -> None:
        self.result = MergeResult(profile or default_profile())
        self._extra_index: dict[str, int] = {}
        self._extra_cells: list[dict[int, object]] = []
        self.class_rosters: list[Roster] = []  # 班级信息 sheets met among the inputs: the class list

    def unreadable(self, file: str, message: str) -> None:
        self.result.files.append(FileReport(file, None, UNREADABLE, problems=[message]))

    def add(self, file: str, sheets: list[Sheet]) -> None:
        """Merge every roster sheet of one workbook (a file, or the open workbook's class sheets)."""
        res = self.result
        reports: list[FileReport] = []
        skipped: list[str] = []
        classes_before = len(self.class_rosters)
        # A file we wrote (a split class file) keeps its columns outside the template in 模板外的列,
        # keyed by row and 姓名: they go back with the rows of its (first) roster sheet.
        kept = read_extra_sheet(sheets)
        for s in sheets:
            if is_ours(s.name):
                continue
            match = find_header(s.rows, profiles_of(Role.STUDENTS))
            if match is None:
                class_match = find_header(s.rows, profiles_of(Role.CLASSES))
                if class_match is not None:
                    self.class_rosters.append(roster_from_sheet(s, class_match, source=file))
                    skipped.append(f"工作表“{s.name}”是班级信息表，用作班级名单（不合并）")
                    continue
                if any(not is_blank(v) for row in s.rows for v in row):
                    skipped.append(f"工作表“{s.name}”不是学籍表，未合并")
                continue
            layout = plan_layout(s, match)
            rep = FileReport(file, s.name, MERGED, rows_read=len(layout), remapped=layout.remapped)
            if layout.profile is not res.profile:  # another version of the template (学籍接续版 …)
                own = "、".join(f"“{h}”" for h in layout.extra_headers(res.profile)[:len(layout.outside(res.profile)) - len(layout.extra)])
                rep.remapped.append(f"工作表是{layout.profile.title}，已按列名合并为{res.profile.title}"
                                    + (f"；{own}是该版本独有的列，放在“{EXTRA_SHEET}”表中" if own else ""))
            reports.append(rep)
            if not layout.ok:
                rep.status, rep.problems = REFUSED, layout.refused
                continue
            if not len(layout):
                rep.notes.append("没有学生数据（只有表头），合并了 0 行")
            side, kept = kept, SideSheet()  # the side sheet belongs to one roster sheet
            lost = attach(layout, side)
            if lost:
                rep.notes.append(lost)
            headers = layout.extra_headers(res.profile)  # a later version's own columns are kept there too
            slots = [self._extra_index.setdefault(h, len(self._extra_index)) for h in headers]
            for i, row in enumerate(layout.rows):
                res.rows.append(layout.template_row(i, res.profile))
                res.sources.append(Place(file, s.name, row, len(res.rows) + res.profile.header_row))
                self._extra_cells.append(dict(zip(slots, layout.extra_row(i, res.profile))) if slots else {})
            rep.rows_written = len(layout)
        if not reports and len(self.class_rosters) > classes_before:
            res.files.append(FileReport(file, self.class_rosters[-1].sheet, CLASS_LIST, notes=skipped))
            return
        if not reports:
            reason = "没有一个工作表的前10行含有足够多的模板列名（如“姓名”“身份证件号”）"
            res.files.append(FileReport(file, None, NOT_ROSTER, problems=[f"“{file}”中没有学籍表：{reason}"]))
            return
        reports[0].notes.extend(skipped)
        res.files.extend(reports)

    def finish(self, settings: Settings | None = None, class_names: ClassList | None = None) -> MergeResult:
        """Check the merged rows once, attribute findings to files, and compare across files."""
        res = self.result
        settings = settings or Settings()
        res.extra_headers = list(self._extra_index)
        if res.extra_headers:
            res.extra_rows = [[cells.get(j) for j in range(len(res.extra_headers))] for cells in self._extra_cells]
        roster = merged_roster(res.profile, res.rows)
        classes = sorted({text_of(v, Kind.CLASS_NO) for v in roster.cells["class_no"]} - {""})
        # A school file holds many classes by design: with the classes it holds as the class list,
        # the one-class-per-file warning is not raised, while settings that list classes still apply.
        # The class table (``class_names``, a 班级信息 sheet among the inputs, or the settings) says which
        # classes must send a file: those that sent none are reported, and 班号 outside it are errors.
        known = class_names if class_names and class_names.names else class_list(settings, self.class_rosters)
        if known.names:
            res.missing_classes, res.class_source = known.missing(classes), known.source
            classes = list(known.names)
        check_settings = settings if settings.classes else settings.model_copy(update={"classes": classes})
        res.findings = check(roster, check_settings)
        self._attribute()
        self._across()
        return res

    def _attribute(self) -> None:
        res = self.result
        by_place = {(f.file, f.sheet): f for f in res.files}
        first = res.profile.header_row + 1
        for f in res.findings:
            if f.row is None or f.row < first:
                continue
            src = res.sources[f.row - first]
            rep = by_place[(src.file, src.sheet)]
            if f.severity is Severity.ERROR:
                rep.errors += 1
            else:
                rep.warnings += 1

    def _across(self) -> None:
        res = self.result
        keys = res.profile.by_key
        order = {c.key: c.order - 1 for c in keys.values()}
        ids: dict[str, list[int]] = {}
        codes: dict[str, list[str]] = {}
        for i, row in enumerate(res.rows):
            number = text_of(row[order["id_number"]], Kind.ID_NUMBER).upper()
            if number:
                ids.setdefault(number, []).append(i)
            code = text_of(row[order["school_code"]], Kind.SCHOOL_CODE)
            if code and res.sources[i].file not in codes.setdefault(code, []):
                codes[code].append(res.sources[i].file)
        for number, idx in ids.items():
            if len(idx) > 1:
                classes = list(dict.fromkeys(text_of(res.rows[i][order["class_no"]], Kind.CLASS_NO) for i in idx))
                res.duplicates.append(Duplicate(number, [res.sources[i] for i in idx], [c for c in classes if c]))
        res.school_codes = codes


def merge_files(files: list[Path], settings: Settings | None = None, class_names: ClassList | None = None,
                done: Callable[[Path], None] | None = None) -> MergeResult:
    """Read and merge ``files`` in order (``done`` is told of each); a file that cannot be read is
    reported, not fatal."""
    merger = Merger()
    for f in ahead_of(files):  # the next file is parsed while this one is merged
        try:
            merger.add(f.name, read_sheets(f))
        except ReadError as e:
            merger.unreadable(f.name, str(e))
        if done is not None:
            done(f)
    return merger.finish(settings, class_names)


def host_sheets(host: Host) -> list[Sheet]:
    """Every sheet of an open workbook (the ribbon's 合并班级文件 on the workbook's class sheets)."""
    return [Sheet(name, host.read(name)) for name in host.sheet_names()]


def merged_roster(profile: Profile, rows: list[list[object]]) -> Roster:
    """The merged rows as a Roster in the template's layout (rows numbered as in the output sheet)."""
    header = match_header(profile, profile.headers, profile.header_row)
    columns = list(zip(*rows)) if rows else [()] * len(profile.columns)
    cells = {c.key: list(columns[c.order - 1]) for c in profile.columns}
    first = profile.header_row + 1
    return Roster(profile, profile.sheet_name, header, list(range(first, first + len(rows))), cells)


def school_code_summary(res: MergeResult, settings: Settings) -> list[str]:
    """Sentences about the 学校标识码 across files (empty when all files share the expected one)."""
    out = []
    if len(res.school_codes) > 1:
        parts = "；".join(f"{code}：{'、'.join(files)}" for code, files in res.school_codes.items())
        out.append(f"合并的文件中有{len(res.school_codes)}个不同的学校标识码（{parts}），一个学校文件只能有一个")
    if settings.school_code:
        other = [c for c in res.school_codes if c != settings.school_code]
        if other:
            out.append(f"学校标识码{'、'.join(other)}与设置中的本校标识码{settings.school_code}不同")
    return out


def write_merged(res: MergeResult, out: str | Path, *, settings: Settings | None = None,
                 protect: tuple[str | Path, ...] = ()) -> None:
    """The school file, written atomically, its big sheets' rows streamed (streamed_book.py)."""
    merged_book(res, settings).save(out, protect=protect)


def merged_book(res: MergeResult, settings: Settings | None = None) -> Book:
    """The school file: the template sheet (problem cells marked), 来源 and, when needed, 模板外的列."""
    profile = res.profile
    book = roster_workbook(profile, res.rows, settings=settings)
    host = FileHost(book.wb)
    if res.findings:
        mark(host, profile.sheet_name, res.findings)
    add_table_sheet(book, SOURCE_SHEET, [SOURCE_HEADER] + [[p.output_row, p.file, p.sheet, p.row] for p in res.sources],
                    widths={"A": 8, "B": 36, "C": 16, "D": 8})
    if res.extra_headers:
        name = profile.by_key["name"].order - 1
        places = ((p.output_row, p.file, p.row, row[name]) for p, row in zip(res.sources, res.rows))
        add_extra_sheet(book, res.extra_headers, places, res.extra_rows)
    return book


# --- the ribbon button ------------------------------------------------------------------------


@dataclass
class MergeDone:
    result: MergeResult
    path: Path
    folder: Path
    settings: Settings

    @property
    def opens(self) -> Path:
        return self.path

    def summary(self) -> str:
        res = self.result
        merged = sum(1 for f in res.files if f.status == MERGED)
        parts = [f"已把文件夹“{self.folder.name}”中 {merged} 个班级文件合并为“{self.path.name}”"
                 f"（读入 {res.rows_read} 行，写入 {res.rows_written} 行"
                 + ("，一行不少）" if not res.rows_not_merged else f"，{res.rows_not_merged} 行未合并）")]
        for f in res.files:
            if f.status not in (MERGED, CLASS_LIST):
                parts.append(f"{f.file}{f.status}：{'；'.join(f.problems) or '见“来源”表'}")
        if res.duplicates:
            two = len(res.two_classes)
            parts.append(f"{len(res.duplicates)} 个身份证件号重复" + (f"（其中 {two} 名学生出现在两个班）" if two else ""))
        parts += school_code_summary(res, self.settings)
        if res.missing_classes:
            parts.append(f"{len(res.missing_classes)} 个班级没有交文件：" + "、".join(n or c for c, n in res.missing_classes[:10]))
        errors = sum(1 for f in res.findings if f.severity is Severity.ERROR)
        parts.append(f"{errors} 个错误、{len(res.findings) - errors} 个提示已在合并后的文件中标出，"
                     "每一行来自哪个文件的第几行见“来源”表。已为你打开合并后的文件。")
        return "。\n".join(parts)


def merge_folder(host: Host, folder: Path, base: Settings | None = None) -> MergeDone:
    """合并班级文件 (the ribbon button): every class file in ``folder`` (the teacher picks it) into
    ``<文件夹名>_合并.xlsx`` beside that folder; the class files are only read."""
    settings = read_settings(host, base)
    files = expand_inputs([folder])
    res = merge_files(files, settings)
    if not res.rows and not any(f.status == MERGED for f in res.files):
        reasons = "；".join(f"{f.file}：{f.status}" for f in res.files[:5])
        raise ReadError(f"文件夹“{folder.name}”中没有一个文件可以合并（{reasons}）。")
    out = free_path(folder.parent / f"{folder.name}_合并.xlsx")
    write_merged(res, out, settings=settings, protect=tuple(files))
    return MergeDone(res, out, folder, settings)
