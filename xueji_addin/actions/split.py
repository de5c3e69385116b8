"""拆分班级: one school (or grade) roster into one file per class, or one sheet per class.

Rows keep their order inside each class; classes come in the order they first appear; rows with
no 班号 are not dropped but gathered under 未填班号. The grouping is plain data so that the ribbon
(live workbook) and the command line (files) share it.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from xueji_addin.rules.normalize import half_width, normalise
from xueji_addin.spec.columns import Kind
from xueji_addin.actions.class_list import ClassList, class_list
from xueji_addin.actions.outputs import free_path, workbook_folder
from xueji_addin.actions.pipeline import book_settings
from xueji_addin.spec.profiles import Role, profiles_of
from xueji_addin.spec.headers import find_header
from xueji_addin.spec.settings import Settings
from xueji_addin.workbook.atomic import whole_set
from xueji_addin.workbook.host import Host
from xueji_addin.workbook.layout import Layout, plan_layout
from xueji_addin.workbook.names import EXTRA_SHEET, is_ours
from xueji_addin.workbook.reader import ReadError, Sheet, read_book
from xueji_addin.workbook.extra_sheet import KEY, WIDTHS, attach, extra_rows, read_extra_sheet
from xueji_addin.workbook.roster_file import distinct, file_part, sheet_title
from xueji_addin.workbook.template_parts import Table, covered_rows, write_roster_file

BY_CLASS, BY_GRADE = "班号", "年级"
NO_CLASS, NO_GRADE = "未填班号", "未知年级"


class SplitRefused(ReadError):
    """The roster's header is ambiguous; ``reasons`` lists the exact differences."""

    def __init__(self, where: str, reasons: list[str]) -> None:
        self.reasons = reasons
        super().__init__(f"{where}的表头无法安全地对应到模板：" + "；".join(reasons) + "。请先按模板修改表头。")


@dataclass
class Group:
    key: str  # 20240101, 2024级 or 未填班号
    indexes: list[int] = field(default_factory=list)  # data rows (0-based), in sheet order


def text_of(raw: object, kind: Kind) -> str:
    """A cell as the digits a person typed (20240101.0 → 20240101, full-width digits → half-width)."""
    return half_width(normalise(raw, kind)[0]).strip()


def texts_of(kind: Kind) -> Callable[[object], str]:
    """``text_of`` for one kind, each distinct value worked out once: a school's 10,000 rows hold a
    few hundred 班号 and one 学校标识码 (type and value: 1 and True are one key to a dict)."""
    memo: dict[tuple[type, object], str] = {}

    def text(raw: object) -> str:
        key = (raw.__class__, raw)
        found = memo.get(key)
        if found is None:
            found = memo[key] = text_of(raw, kind)
        return found

    return text


def grade_of(class_no: str, enroll_ym: str) -> str:
    """The entry cohort (年级) of a pupil, as ``2024级``.

    In version A files an 8-digit 班号 starts with the class's entry year (20240101 → 2024级). When
    the 班号 has another form, the year of 入学年月 is used (202409 → 2024级); else 未知年级.
    """
    if re.fullmatch(r"(19|20)\d{6}", class_no):
        return f"{class_no[:4]}级"
    if re.fullmatch(r"(19|20)\d\d(0[1-9]|1[0-2])", enroll_ym):
        return f"{enroll_ym[:4]}级"
    return NO_GRADE


def group_rows(layout: Layout, by: str = BY_CLASS) -> list[Group]:
    """The data rows grouped by 班号 (or 年级), groups in order of first appearance."""
    if by not in (BY_CLASS, BY_GRADE):
        raise ValueError(by)
    # The class as the template names it: 班号, or 年级 + 班级号 (version B); blank where a part is.
    parts = [(layout.source_index[k], texts_of(layout.profile.by_key[k].kind)) for k in layout.profile.class_keys
             if k in layout.source_index]
    ym, ym_text = layout.source_index.get("enroll_ym"), texts_of(Kind.YEAR_MONTH)
    groups: dict[str, Group] = {}
    for i, cells in enumerate(layout.cells):
        texts = [text(cells[j]) if j < len(cells) else "" for j, text in parts]
        class_no = "".join(texts) if texts and all(texts) else ""
        if by == BY_CLASS:
            key = class_no or NO_CLASS
        else:
            enroll = ym_text(cells[ym]) if ym is not None and ym < len(cells) else ""
            key = grade_of(class_no, enroll)
        groups.setdefault(key, Group(key)).indexes.append(i)
    return list(groups.values())


def school_label(layout: Layout, settings: Settings) -> str:
    """The school part of file names: the settings' school name, else the 学校标识码 (settings or data)."""
    if settings.school_name:
        return settings.school_name
    if settings.school_code:
        return settings.school_code
    index, text = layout.source_index.get("school_code"), texts_of(Kind.SCHOOL_CODE)
    codes = Counter(text(cells[index]) for cells in layout.cells if index is not None and index < len(cells))
    codes.pop("", None)
    return codes.most_common(1)[0][0] if codes else "学校"


def roster_layout(sheets: list[Sheet], source: str, *, what: str = "拆分") -> Layout:
    """The one roster sheet of a workbook, mapped into the template.

    A workbook with several roster sheets (one per class, say) is refused rather than split from
    its first sheet only: the other sheets' pupils would be missing from the result.
    """
    # Student sheets only: a 班级信息 (or 教师 …) sheet beside them is not a roster to split.
    students = profiles_of(Role.STUDENTS)
    found = [(s, m) for s in sheets if not is_ours(s.name) and (m := find_header(s.rows, students)) is not None]
    if not found:
        raise ReadError(f"在“{source}”中找不到学籍表的表头，请确认这是学生基础信息表。")
    if len(found) > 1:
        names = "、".join(s.name for s, _ in found)
        raise ReadError(f"“{source}”中有{len(found)}个学籍工作表（{names}），{what}只能处理一个："
                        f"请先用 xueji merge {source} --out 合并后.xlsx 合成一个，再{what}。")
    s, match = found[0]
    layout = plan_layout(s, match, what=what)
    if not layout.ok:
        raise SplitRefused(f"“{source}”中工作表“{s.name}”", layout.refused)
    # A file we wrote (a merged school file) keeps columns outside the template in its 模板外的列
    # sheet: they go on with their pupils, into each class file's own 模板外的列.
    lost = attach(layout, read_extra_sheet(sheets), what)
    if lost:
        layout.notes.append(lost)
    return layout


def class_labels(keys: list[str], classes: ClassList | None) -> dict[str, str]:
    """What each group is called in file and sheet names: its 班级名称 when the class list knows it,
    else its 班号; two classes of one name keep their 班号 beside it, so no file overwrites another."""
    labels = {k: classes.label(k) if classes else k for k in keys}
    seen = Counter(labels.values())
    return {k: (f"{v}_{k}" if seen[v] > 1 and v != k else v) for k, v in labels.items()}


@dataclass
class SplitFile:
    path: Path
    key: str
    rows: int


def split_to_files(layout: Layout, out_dir: Path, *, by: str = BY_CLASS, settings: Settings | None = None,
                   protect: tuple[Path, ...] = (), classes: ClassList | None = None, source: str = "") -> list[SplitFile]:
    """One template file per group, ``<学校名>_<班号>.xlsx``, rows in the template's layout.

    Columns the template does not have go to the file's 模板外的列 sheet, keyed by row (merge brings
    them back), so nothing is lost and the class file still has the template's columns only.
    ``source``: the school file's name, said in that sheet (the sheet's name by default).
    """
    settings = settings or Settings()
    school = file_part(school_label(layout, settings))
    written: list[SplitFile] = []
    groups = group_rows(layout, by)
    labels = class_labels([g.key for g in groups], classes if by == BY_CLASS else None)
    # 2024/01 and 2024_01, or 20240101. and 20240101, are one name once safe for a file: told apart
    names = distinct([f"{school}_{labels[g.key]}" for g in groups], lambda t, n: file_part(t, f"{n}.xlsx"))
    with whole_set(out_dir / UNFINISHED, "拆分", lambda: [f.path for f in written]):
        for g, name in zip(groups, names):
            rows = [layout.template_row(i) for i in g.indexes]
            path = out_dir / name
            if layout.extra:
                _with_side_sheet(layout, g.indexes, rows, path, settings, protect, source or layout.sheet.name)
            else:
                write_roster_file(path, layout.profile, rows, settings=settings, protect=protect)
            written.append(SplitFile(path, g.key, len(rows)))
    return written


def _with_side_sheet(layout: Layout, indexes: list[int], rows: list[list[object]], path: Path, settings: Settings,
                     protect: tuple[Path, ...], source: str) -> None:
    """A class file whose rows have columns the template lacks: those go to its 模板外的列 sheet,
    keyed by row and 姓名 (merge puts them back), the roster sheet keeps the template's columns.
    Both sheets are streamed into the template's parts (built with that sheet once per process)."""
    first, who = layout.profile.header_row + 1, layout.profile.by_key["name"].order - 1
    places = [(first + n, source, layout.rows[i], row[who]) for n, (i, row) in enumerate(zip(indexes, rows))]
    table = Table(EXTRA_SHEET, (*KEY, *layout.extra_headers()), tuple(WIDTHS.items()))
    write_roster_file(path, layout.profile, rows, settings=settings, table=table,
                      table_rows=extra_rows(places, [layout.extra_row(i) for i in indexes]), protect=protect)


UNFINISHED = "拆分未完成.txt"


@dataclass
class SplitSheet:
    name: str
    key: str
    rows: int


def sheet_groups(layout: Layout, taken: list[str], *, by: str = BY_CLASS,
                 classes: ClassList | None = None) -> list[tuple[SplitSheet, list[list[object]]]]:
    """Each group's sheet (its name never one of ``taken``, the workbook's other sheets, nor another
    class's: Excel ignores case) and its rows: the rows above and including the header, then the
    group's rows, exactly as they were (same columns, same values)."""
    top = [list(r) for r in layout.sheet.rows[: layout.match.header_row]]
    groups = group_rows(layout, by)
    labels = class_labels([g.key for g in groups], classes if by == BY_CLASS else None)
    names = distinct([labels[g.key] for g in groups], sheet_title, taken=set(taken) - {layout.sheet.name})
    return [(SplitSheet(name, g.key, len(g.indexes)), top + [layout.cells[i] for i in g.indexes])
            for g, name in zip(groups, names)]


def split_to_sheets(host: Host, sheet: str, *, by: str = BY_CLASS, remove_source: bool = True,
                    classes: ClassList | None = None) -> list[SplitSheet]:
    """One sheet per group in the host's workbook (``sheet_groups``). The source sheet is removed when
    ``remove_source`` (so that merging the copy does not count every pupil twice)."""
    layout = roster_layout([Sheet(sheet, host.read(sheet))], sheet)  # refuses an unsafe header itself
    out: list[SplitSheet] = []
    for made, rows in sheet_groups(layout, host.sheet_names(), by=by, classes=classes):
        host.replace_sheet(made.name, rows)
        out.append(made)
    if remove_source:
        host.delete_sheet(sheet)
    return out


def split_to_sheet_copy(path: Path, layout: Layout, out: Path, *, by: str = BY_CLASS, settings: Settings | None = None,
                        classes: ClassList | None = None, protect: tuple[Path, ...] = ()) -> list[SplitSheet]:
    """``xueji split --sheets``: a copy of ``path`` with its roster sheet replaced by one sheet per
    group (``sheet_groups``), each given the template's help when the header is the template's.

    The copy is made as fix's is: the roster sheet goes to openpyxl as its header rows alone, the
    groups' rows are streamed into their sheets at save, the helper sheets are built once for all
    of them, and the help once for each number of rows it covers: a class sheet of the same number
    is written as a copy of the styled one (sheet_copies.py). openpyxl's whole load, 200 restylings
    and save took 50 s of a 10,000-pupil school; styling and writing each sheet, 10 s."""
    from xueji_addin.workbook.light_copy import open_light
    from xueji_addin.workbook.region_picker import Later
    from xueji_addin.workbook.streamed_book import Book, DeferredRows
    from xueji_addin.workbook.styling import style_roster_sheet

    sheet, header = layout.sheet.name, layout.match.header_row
    host = open_light(path, {}, {}, replaced=frozenset({sheet}))  # (its rows come from the layout)
    groups = sheet_groups(layout, host.sheet_names(), by=by, classes=classes)
    # The template's own layout: each class sheet gets the template's help, which differs only in
    # the rows it covers; one sheet per number is styled (a model), the others copy its part.
    models: dict[int, str] = {}
    copies: dict[str, str] = {}
    for group, _ in groups if layout.match.exact else ():
        covered = covered_rows(group.rows)
        if covered in models:
            copies[group.name] = models[covered]
        else:
            models[covered] = group.name
    deferred: dict[str, DeferredRows] = {}
    for group, rows in groups:  # (a copy's header rows are its model's: openpyxl need not hold them)
        host.replace_sheet(group.name, [] if group.name in copies else rows[:header])
        deferred[group.name] = DeferredRows(header + 1, rows[header:])
    host.delete_sheet(sheet)
    later: Later = {}
    for i, (covered, name) in enumerate(models.items()):  # the helper sheets with the first
        style_roster_sheet(host.wb, host.wb[name], layout.profile, settings, data_rows=covered, later=later,
                           helpers=i == 0)
    deferred.update((title, DeferredRows(start, rows)) for title, (start, rows) in later.items())
    made = [group for group, _ in groups]
    if made:
        host.activate(made[0].name)
    Book(host.wb, deferred, copies).save(out, protect=protect)
    return made


# --- the ribbon button ------------------------------------------------------------------------


@dataclass
class SplitDone:
    folder: Path
    files: list[SplitFile]
    students: int
    strangers: list[str] = field(default_factory=list)  # 班号 not in the class list (split all the same)
    list_source: str = ""

    @property
    def opens(self) -> Path:
        return self.folder

    def summary(self) -> str:
        tail = (f"注意：班号 {'、'.join(self.strangers)} 不在{self.list_source}的班级列表中，也已拆成文件；"
                "请核对这些学生的班号，或先在班级列表中建班。" if self.strangers else "")
        return (f"{self.students} 名学生已按班号拆成 {len(self.files)} 个班级文件（一行不少），"
                f"放在文件夹“{self.folder}”中，原工作簿没有改动。把各班文件发给班主任填写即可。{tail}")


def split_active(host: Host, base: Settings | None = None) -> SplitDone:
    """拆分班级 (the ribbon button): the workbook's students (those of the active sheet, else its student
    table) into class files, in a new folder beside the workbook; the settings and class names as
    ``xueji split`` takes them (the workbook's 学校设置 and 班级信息 sheets)."""
    folder = workbook_folder(host, "拆分班级")
    book = read_book(host)
    settings, _ = book_settings(book, base, "拆分")
    names = class_list(settings, book.rosters)
    sheet = book.students_on(host.active_sheet()).sheet
    layout = roster_layout([Sheet(sheet, host.read(sheet))], sheet)
    out_dir = free_path(folder / f"{file_part(school_label(layout, settings))}_班级文件")
    out_dir.mkdir(parents=True)
    written = split_to_files(layout, out_dir, settings=settings, classes=names)
    return SplitDone(out_dir, written, len(layout), names.unknown(f.key for f in written), names.source)
