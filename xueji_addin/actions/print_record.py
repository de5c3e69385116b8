"""打印记录: the print's own record of what each page and each roster row printed, and its 确认码.

``xueji print`` and the 打印本班确认表 button keep it in a hidden sheet beside the pages, so that
``xueji diff --signed`` and the 核对签字版 button can later tell which signed pages no longer match
the data, and what changed on them. It holds the printed values (nothing the page does not show:
a --mask print keeps the masked numbers) and a digest of each student's key, not the key.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

from pydantic import BaseModel, ValidationError

from xueji_addin.rules.records import CODE_LABEL, key_digest
from xueji_addin.workbook.errors import ReadError
from xueji_addin.workbook.host import Host

if TYPE_CHECKING:  # print_pages writes the record: it imports this module
    from xueji_addin.actions.class_pages import ClassSheets
    from xueji_addin.actions.print_pages import Layout

from xueji_addin.workbook.names import RECORD_SHEET  # noqa: E402 (declared once there)
FORM, ROSTER = "确认表", "核对名单"  # which kind of page a record is of
HEADERS = ("版式", "班号", "姓名", "学生标识", CODE_LABEL, "隐藏号码", "所印内容")


class PrintedPage(BaseModel):
    """One student's page (or roster row) as printed."""

    page: str  # FORM | ROSTER
    class_no: str
    name: str
    key: str  # key_digest of the student's key
    code: str
    masked: bool
    fields: list[tuple[str, str]]


def printed_pages(all_sheets: list[ClassSheets], layout: Layout) -> list[PrintedPage]:
    """What the pages of ``all_sheets`` print, one entry per student and kind of page."""
    out = []
    for s in all_sheets:
        keys = [key_digest(k) for k in s.keys]
        if layout in ("form", "both"):
            out += [PrintedPage(page=FORM, class_no=s.heading.class_no, name=name, key=k, code=f.code,
                                masked=s.masked, fields=f.fields())
                    for f, name, k in zip(s.forms, s.names, keys)]
        if layout in ("roster", "both"):
            out += [PrintedPage(page=ROSTER, class_no=s.heading.class_no, name=name, key=k, code=s.roster.code(i),
                                masked=s.masked, fields=s.roster.fields(i))
                    for i, (name, k) in enumerate(zip(s.names, keys))]
    return out


def record_rows(pages: list[PrintedPage]) -> list[list[object]]:
    """The record sheet's cells: a header row, then one row per printed page."""
    return [list(HEADERS)] + [
        [p.page, p.class_no, p.name, p.key, p.code, "是" if p.masked else "否",
         json.dumps(p.fields, ensure_ascii=False)] for p in pages
    ]


def read_record(rows: list[list[object]], where: str) -> list[PrintedPage]:
    """The pages a record sheet lists; ReadError when the sheet is not one we wrote."""
    if not rows or tuple(str(v or "") for v in rows[0][:len(HEADERS)]) != HEADERS:
        raise ReadError(f"{where}的“{RECORD_SHEET}”表不是学籍助手写的打印记录（表头不对），无法核对签字版；请重新打印确认表。")
    out = []
    for n, row in enumerate(rows[1:], start=2):
        cells = [str(v if v is not None else "") for v in row[:len(HEADERS)]] + [""] * len(HEADERS)
        if not any(cells[:len(HEADERS)]):
            continue
        try:
            out.append(PrintedPage(page=cells[0], class_no=cells[1], name=cells[2], key=cells[3], code=cells[4],
                                   masked=cells[5] == "是", fields=[tuple(f) for f in json.loads(cells[6])]))
        except (ValueError, TypeError, ValidationError):
            raise ReadError(f"{where}的“{RECORD_SHEET}”表第 {n} 行已损坏，无法核对签字版；请重新打印确认表。") from None
    return out


def merged_record(old: list[PrintedPage], new: list[PrintedPage]) -> list[PrintedPage]:
    """The record after a print of some classes: their pages of the kinds printed replaced, the rest kept."""
    reprinted = {(p.class_no, p.page) for p in new}
    return [p for p in old if (p.class_no, p.page) not in reprinted] + new


def keep_record(host: Host, pages: list[PrintedPage]) -> None:
    """The open workbook's 打印记录 with these pages (those of classes and kinds not printed now kept;
    a damaged record is replaced: the new print is what will be signed)."""
    old: list[PrintedPage] = []
    if RECORD_SHEET in host.sheet_names():
        try:
            old = read_record(host.read(RECORD_SHEET), "本工作簿")
        except ReadError:
            pass
    host.replace_sheet(RECORD_SHEET, record_rows(merged_record(old, pages)), hidden=True)
