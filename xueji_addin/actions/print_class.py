"""打印本班确认表, the ribbon button's use case on a Host: check the open workbook, build the class's
confirmation sheets beside the sheet (``class_pages`` says what they hold, ``print_pages`` lays them
out), keep the record of what they print and open the print preview.
"""

from __future__ import annotations

from dataclasses import dataclass

from xueji_addin.actions import print_record
from xueji_addin.actions.class_pages import book_classes, class_sheets
from xueji_addin.actions.pipeline import check_source
from xueji_addin.actions.print_pages import Layout, builders
from xueji_addin.rules.findings import Severity
from xueji_addin.spec.settings import Settings
from xueji_addin.workbook.host import Host



@dataclass
class Printed:
    sheets: list[str]
    students: int
    errors: int

    def summary(self) -> str:
        if not self.sheets:
            return "这张表里没有学生，没有可打印的确认表。"
        tail = (f"表上还有 {self.errors} 处错误已用底色标出，请家长核对时一并改正后写回学籍表。"
                if self.errors else "家长核对无误后签字交回。")
        return (f"已生成“{'”“'.join(self.sheets)}”（{self.students} 名学生，每人一页），并已打开打印预览。{tail}")


def print_class(host: Host, sheet: str, settings: Settings | None = None, *, layout: Layout = "form",
                class_no: str | None = None, mask: bool = False) -> list[str]:
    """``print_sheets``, answering with the names of the sheets it built."""
    return print_sheets(host, sheet, settings, layout=layout, class_no=class_no, mask=mask).sheets


def print_sheets(host: Host, sheet: str, settings: Settings | None = None, *, layout: Layout = "form",
                 class_no: str | None = None, mask: bool = False) -> Printed:
    """Build the class's confirmation sheets beside ``sheet`` and open the first in print preview
    (the sheet's own students, or the workbook's student table when pressed on another table)."""
    cb = check_source(host, settings, keep_contexts=True)
    checked = cb.students_on(sheet)
    findings = checked.findings
    all_sheets = class_sheets(checked.roster, findings, cb.settings, class_no=class_no, mask=mask,
                              classes=book_classes(cb), context=checked.context)
    sheet = checked.roster.sheet
    names = []
    after = sheet
    for name, build in builders(all_sheets, layout):
        host.build_sheet(name, build, after=after)
        after = name
        names.append(name)
    if names:
        print_record.keep_record(host, print_record.printed_pages(all_sheets, layout))
        host.print_preview(names[0])
    students = sum(len(s.forms) for s in all_sheets)
    errors = sum(1 for f in findings if f.severity is Severity.ERROR)
    return Printed(names, students, errors)


def print_active(host: Host, base: Settings | None = None) -> Printed:
    """打印本班确认表 (the ribbon button): the active sheet, with the workbook's own settings."""
    return print_sheets(host, host.active_sheet(), base)
