"""The roster of a sheet seen through a Host: the same reader the files use (``find_header`` +
``roster_from_sheet``), fed with the host's bulk read instead of a file."""

from __future__ import annotations

from xueji_addin.rules.roster import Roster
from xueji_addin.spec.profiles import HeaderMatch, find_header
from xueji_addin.workbook.host import Host
from xueji_addin.workbook.reader import ReadError, Sheet, roster_from_sheet

HEADER_SCAN = 10  # rows searched for the header, as the file reader does


def header_of(rows: list[list[object]]) -> HeaderMatch | None:
    return find_header(rows[:HEADER_SCAN])


def roster_from_host(host: Host, sheet: str) -> Roster:
    """The roster of ``sheet``; ReadError with one Chinese sentence when it is not a roster."""
    if sheet not in host.sheet_names():
        raise ReadError(f"工作簿中没有名为“{sheet}”的工作表。")
    rows = host.read(sheet)
    match = header_of(rows)
    if match is None:
        raise ReadError(
            f"工作表“{sheet}”不是学籍表：前{HEADER_SCAN}行中找不到模板的表头（如“姓名”“身份证件号”）。"
            "请切换到学生基础信息表后再点按钮。"
        )
    return roster_from_sheet(Sheet(sheet, rows), match, source=sheet)
