"""What a merge found and wrote: each input's report, the rows written and where each came from,
the duplicates across files (the merge's record, for the screen, the JSON report and the sheets)."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

from xueji_addin.rules.findings import Finding, Severity
from xueji_addin.spec.profiles import Profile

SOURCE_HEADER = ["输出行", "文件", "工作表", "原行号"]
# Sheets this tool writes beside a roster; merging a marked or merged file skips them quietly.

MERGED, REFUSED, NOT_ROSTER, UNREADABLE = "已合并", "未合并：表头有歧义", "未合并：不是学籍表", "未合并：无法读取"
CLASS_LIST = "班级名单（不合并）"  # a 班级信息表 among the inputs: the list of classes expected to send a file


@dataclass
class Place:
    file: str
    sheet: str
    row: int  # the row in its own sheet
    output_row: int | None  # the row in the merged sheet


@dataclass
class FileReport:
    file: str
    sheet: str | None
    status: str
    rows_read: int = 0
    rows_written: int = 0
    errors: int = 0
    warnings: int = 0
    remapped: list[str] = field(default_factory=list)  # what was mapped by header
    problems: list[str] = field(default_factory=list)  # why it was not merged
    notes: list[str] = field(default_factory=list)  # skipped sheets, no data


@dataclass
class Duplicate:
    id_number: str
    places: list[Place]
    classes: list[str]  # the distinct 班号 of those rows

    @property
    def across_files(self) -> bool:
        return len({p.file for p in self.places}) > 1


@dataclass
class MergeResult:
    profile: Profile
    rows: list[list[object]] = field(default_factory=list)  # template column order
    sources: list[Place] = field(default_factory=list)  # one per output row
    extra_headers: list[str] = field(default_factory=list)
    extra_rows: list[list[object]] = field(default_factory=list)  # one per output row
    files: list[FileReport] = field(default_factory=list)
    duplicates: list[Duplicate] = field(default_factory=list)
    school_codes: dict[str, list[str]] = field(default_factory=dict)  # code → files
    findings: list[Finding] = field(default_factory=list)
    missing_classes: list[tuple[str, str]] = field(default_factory=list)  # (班号, 班级名称) that sent no rows
    class_source: str = ""  # where the class list came from: 班级信息表 | 设置文件 | "" (none known)

    @property
    def rows_read(self) -> int:
        return sum(f.rows_read for f in self.files)

    @property
    def rows_written(self) -> int:
        return len(self.rows)

    @property
    def rows_not_merged(self) -> int:
        return sum(f.rows_read - f.rows_written for f in self.files)

    @property
    def two_classes(self) -> list[Duplicate]:
        """The same pupil (same ID number) in more than one class."""
        return [d for d in self.duplicates if len(d.classes) > 1]

    def to_json(self, output: str | None, *, mask: bool = False) -> dict[str, object]:
        """The merge report (``--json``); ``output`` is None when nothing could be merged (no file
        written); ``mask`` hides the middle of ID numbers."""
        from xueji_addin.rules.mask import mask_id

        shown = mask_id if mask else (lambda number: number)
        return {
            "output": output,
            "profile": self.profile.id,
            "rows_read": self.rows_read,
            "rows_written": self.rows_written,
            "rows_not_merged": self.rows_not_merged,
            "files": [asdict(f) for f in self.files],
            "duplicate_ids": [{"id_number": shown(d.id_number), "classes": d.classes, "places": [asdict(p) for p in d.places]}
                              for d in self.duplicates],
            "same_student_two_classes": [shown(d.id_number) for d in self.two_classes],
            "school_codes": self.school_codes,
            "classes_without_file": [{"class_no": no, "class_name": name} for no, name in self.missing_classes],
            "summary": {"errors": sum(f.severity is Severity.ERROR for f in self.findings),
                        "warnings": sum(f.severity is Severity.WARNING for f in self.findings)},
        }
