"""The fast save streams data cells into openpyxl's sheet: every kind of value, style and mark survives."""

from __future__ import annotations

import datetime as dt

import openpyxl
from hypothesis import given, settings
from hypothesis import strategies as st

from xueji_addin.actions.mark import mark
from xueji_addin.rules.findings import ERROR, Finding
from xueji_addin.spec.profiles import default_profile
from xueji_addin.workbook.host import FileHost
from xueji_addin.workbook.reader import read_sheets
from xueji_addin.workbook.roster_file import roster_workbook

PROFILE = default_profile()


def test_values_styles_and_marks_survive_the_fast_save(tmp_path):
    row: list[object] = [None] * len(PROFILE.columns)
    row[:9] = ["a\x01b", " 两边空格 ", 12, 1.5e17, True, dt.datetime(2020, 1, 2), "=1+1", "a&<b>", "-3"]
    book = roster_workbook(PROFILE, [row, ["x"] * 3])
    finding = Finding(code="XJ113", severity=ERROR, sheet="学生基础信息", row=2, column="B", header="姓名",
                      message="示例问题", suggestion="示例改法")
    mark(FileHost(book.wb), "学生基础信息", [finding])
    path = tmp_path / "f.xlsx"
    book.save(path)
    sheet = read_sheets(path)[0]
    assert sheet.rows[0][:3] == ["学校标识码", "姓名", "性别"]
    assert sheet.rows[1][:9] == ["a\x01b", " 两边空格 ", 12.0, 1.5e17, True, dt.date(2020, 1, 2), "=1+1", "a&<b>", "-3"]
    assert sheet.rows[2][:4] == ["x", "x", "x", ""]
    ws = openpyxl.load_workbook(path)["学生基础信息"]
    assert ws["G2"].data_type == "s" and ws["G2"].value == "=1+1"  # text, never a formula
    assert ws["B2"].fill.fgColor.rgb.endswith("FFC7CE") and "示例问题" in ws["B2"].comment.text
    assert ws.column_dimensions["A"].number_format == "@"  # the styling's Text format kept (on the column)
    assert ws["F2"].number_format == "yyyy-mm-dd"
    assert ws["A2"].value == "a\x01b" or isinstance(ws["A2"].value, str)


def test_the_save_streams_rows_and_never_holds_the_sheet_whole(tmp_path):
    """A county's merged file is ~1 GB of sheet XML: the rows go out as they are written (the save
    built every cell's XML first, then the sheet as one string: 250 MB at its peak for 5,000 rows)."""
    import tracemalloc
    import zipfile

    rows = [[f"学生{i}-{c}" for c in range(len(PROFILE.columns))] for i in range(10_000)]
    book = roster_workbook(PROFILE, rows)
    path = tmp_path / "大.xlsx"
    tracemalloc.start()
    try:
        book.save(path)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    with zipfile.ZipFile(path) as z:
        sheet = z.getinfo("xl/worksheets/sheet1.xml").file_size
    assert peak < sheet / 2, f"{peak / 1e6:.0f} MB held to write {sheet / 1e6:.0f} MB of sheet XML"
    back = read_sheets(path)[0].rows
    assert len(back) == 10_001 and back[-1][:2] == ["学生9999-0", "学生9999-1"]


def _cell_by_cell(rows: list[list[object]], first_row: int, styles: dict[type, int]) -> bytes:
    """What rows_xml wrote for every row before its rows of plain text were written by template: each
    cell on its own (the writer's careful path, which any row may take)."""
    from openpyxl.utils.datetime import to_excel

    from xueji_addin.spec.columns import column_letter
    from xueji_addin.workbook.fast_save import _NEEDS_ESCAPE, cell_xml

    out = []
    for i, row in enumerate(rows):
        r, cells = first_row + i, []
        for c, v in enumerate(row):
            ref = f"{column_letter(c + 1)}{r}"
            if v is None or v == "" and isinstance(v, str):
                continue
            if isinstance(v, str) and type(v) is str and v == v.strip() and _NEEDS_ESCAPE.search(v) is None:
                cells.append(f'<c r="{ref}" t="inlineStr"><is><t>{v}</t></is></c>')
            elif v.__class__ in styles:
                cells.append(f'<c r="{ref}" s="{styles[v.__class__]}"><v>{to_excel(v)!r}</v></c>')
            else:
                cells.append(cell_xml(ref, "", v) or cell_xml(ref, "", str(v)))
        out.append(f'<row r="{r}">{"".join(cells)}</row>' if cells else "")
    return "".join(out).encode()


_texts = st.one_of(
    st.just(""), st.none(),
    st.sampled_from(["张三", "汉族", "110101201701010012", "a b", " 两边 ", "a\nb", "x\ty", "50%", "%s", "a&b", "<t>",
                     "\u3000全角空格", "末尾\xa0", "a\rb", "\x1f", "a\x1fb", "\x01", "😀", "=1+1", "-3"]),
    st.text(max_size=6),
)


@settings(max_examples=300, deadline=None)
@given(rows=st.lists(st.lists(st.one_of(_texts, st.integers(-5, 5), st.floats(allow_nan=True), st.booleans(),
                                        st.dates(dt.date(1901, 1, 1), dt.date(2099, 12, 31))), max_size=8),
                     max_size=6),
       text_only=st.booleans(), first_row=st.integers(1, 200_000))
def test_rows_of_plain_text_are_written_as_cell_by_cell(rows, text_only, first_row):
    """The template for a row of plain texts writes exactly what the careful path writes cell by
    cell: the same references, escapes and white space, for any mix of values."""
    from xueji_addin.workbook.fast_save import TEMPORAL_FORMATS, rows_xml

    if text_only:
        rows = [[v if v is None or isinstance(v, str) else str(v) for v in row] for row in rows]
    styles = {kind: 5 for kind in TEMPORAL_FORMATS}
    for chunk in (1, 2, 500):
        assert b"".join(rows_xml(rows, first_row, styles, chunk)) == _cell_by_cell(rows, first_row, styles)
