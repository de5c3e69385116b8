"""split --sheets writes one styled class sheet per number of rows its help covers and the other
class sheets as copies of its part (workbook/sheet_copies.py); a roster sheet the command replaces
is opened without its rows (light_copy.open_light ``replaced``)."""

from __future__ import annotations

import datetime as dt
import re
import tempfile
import zipfile
from pathlib import Path

import openpyxl
import pytest
from openpyxl.worksheet.datavalidation import DataValidation
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.lo import convert, needs_libreoffice
from tests.registrar_files import HEADERS, KEYS, records, rows_of, write_file
from xueji_addin.actions.split import roster_layout, sheet_groups, split_to_sheet_copy
from xueji_addin.spec.settings import Settings
from xueji_addin.workbook.light_copy import LightHost, open_light
from xueji_addin.workbook.reader import read_sheets
from xueji_addin.workbook.region_picker import Later
from xueji_addin.workbook.streamed_book import Book, DeferredRows
from xueji_addin.workbook.styling import style_roster_sheet
from xueji_addin.workbook.template_parts import covered_rows

SETTINGS = Settings()


def _school(path: Path, sizes: list[int], dated: bool = False, other: bool = False) -> Path:
    """Classes of these sizes, interleaved as a school's export may be; ``dated``: every third birth
    date a date cell (which openpyxl writes itself in a streamed sheet); ``other``: a sheet of the school's own."""
    rows = [r for n, size in enumerate(sizes) for r in rows_of(records(n, size, class_no=f"2024{n + 1:04d}"))]
    rows = rows[::2] + rows[1::2]
    born = KEYS.index("birth_date")
    for r in rows[::3] if dated else ():
        r[born] = dt.datetime(2017, 3, 4)
    return write_file(path, HEADERS, rows, other_sheets={"说明": [["本表由教导处维护"]]} if other else None)


def _styled_each(path: Path, out: Path) -> None:
    """The openpyxl path: every class sheet styled and written by openpyxl (as split --sheets did)."""
    layout = roster_layout(read_sheets(path), path.name)
    sheet, header = layout.sheet.name, layout.match.header_row
    host = open_light(path, {}, {}, replaced=frozenset({sheet}))
    groups = sheet_groups(layout, host.sheet_names())
    deferred = {}
    for group, rows in groups:
        host.replace_sheet(group.name, rows[:header])
        deferred[group.name] = DeferredRows(header + 1, rows[header:])
    host.delete_sheet(sheet)
    later: Later = {}
    for i, (group, _) in enumerate(groups):
        style_roster_sheet(host.wb, host.wb[group.name], layout.profile, SETTINGS,
                           data_rows=covered_rows(group.rows), later=later, helpers=i == 0)
    deferred.update((t, DeferredRows(start, rows)) for t, (start, rows) in later.items())
    host.activate(groups[0][0].name)
    Book(host.wb, deferred).save(out)


def _parts(path: Path) -> dict[str, bytes]:
    """Every part of the package, the save time out; a sheet's notes and their drawing named by the
    sheet (openpyxl numbers them in sheet order, the copies' are numbered after openpyxl's); the
    content types as the set of what they declare (the copies' are added after openpyxl's)."""
    with zipfile.ZipFile(path) as z:
        parts = {n: z.read(n) for n in z.namelist() if n != "docProps/core.xml"}
    named: dict[bytes, bytes] = {}
    for rels in (n for n in parts if n.startswith("xl/worksheets/_rels/")):
        for target in re.findall(rb'Target="/([^"]+)"', parts[rels]):
            named[target] = rels.encode() + b"#" + target.rsplit(b".", 1)[-1]
    def rename(data: bytes) -> bytes:
        return re.sub(rb'(?<=")/?(xl/(?:comments|drawings)/[^"]+)"', lambda m: named[m.group(1)] + b'"', data)
    parts = {named.get(n.encode(), n.encode()).decode(): rename(data) for n, data in parts.items()}
    parts["[Content_Types].xml"] = b"\n".join(sorted(re.findall(rb"<(?:Default|Override)\b[^>]*>", parts["[Content_Types].xml"])))
    return parts


@settings(max_examples=6, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(sizes=st.lists(st.sampled_from([1, 2, 3, 99, 101]), min_size=1, max_size=5), dated=st.booleans(),
       other=st.booleans())
def test_copied_class_sheets_are_the_sheets_openpyxl_styled_and_wrote(sizes, dated, other):
    """Whatever the classes' sizes (over and under the 100 rows the help covers at least), a date in
    the data, a sheet of the school's own: the copy is the one the openpyxl path wrote, part for
    part, byte for byte (the notes, dropdowns, formats, print titles of every class sheet, and only
    the first one the selected tab)."""
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        src = _school(folder / "全校.xlsx", sizes, dated, other)
        layout = roster_layout(read_sheets(src), src.name)
        fast, slow = folder / "fast.xlsx", folder / "slow.xlsx"
        made = split_to_sheet_copy(src, layout, fast, settings=SETTINGS)
        _styled_each(src, slow)
        assert _parts(fast) == _parts(slow)
        assert {m.key: m.rows for m in made} == {f"2024{n + 1:04d}": size for n, size in enumerate(sizes)}
        with zipfile.ZipFile(fast) as z:
            copies = [n for n in z.namelist() if n.startswith("xl/comments/")]
        assert len(copies) == len(sizes)  # every class sheet its own notes part


def test_a_copied_class_sheet_keeps_its_own_rows_and_dates(tmp_path):
    """The copies hold their own pupils (not the model's), a date cell as a date."""
    src = _school(tmp_path / "全校.xlsx", [3, 2, 3], dated=True)
    out = tmp_path / "分表.xlsx"
    split_to_sheet_copy(src, roster_layout(read_sheets(src), src.name), out, settings=SETTINGS)
    wb = openpyxl.load_workbook(out)
    name, born = KEYS.index("name") + 1, KEYS.index("birth_date") + 1
    source = openpyxl.load_workbook(src)["学生基础信息"]
    copied_dates = 0
    for n, cls in enumerate(("20240001", "20240002", "20240003")):
        ws = wb[cls]
        want = [r[name - 1].value for r in source.iter_rows(min_row=2) if r[KEYS.index("class_no")].value == cls]
        assert [ws.cell(r, name).value for r in range(2, ws.max_row + 1)] == want
        dates = [r[born - 1].value for r in source.iter_rows(min_row=2) if r[KEYS.index("class_no")].value == cls]
        assert [ws.cell(r, born).value for r in range(2, ws.max_row + 1)] == dates
        copied_dates += dates.count(dt.datetime(2017, 3, 4)) if n else 0
        assert ws.cell(1, 1).comment is not None and ws.cell(1, 1).fill.fgColor.rgb.endswith("DDEBF7")
        assert ws.sheet_view.tabSelected == (n == 0)
    assert copied_dates  # (the sheets after the first are copies)


@needs_libreoffice
def test_libreoffice_reads_every_copied_class_sheet_with_its_notes_and_dropdowns(tmp_path):
    """A second engine opens the copy: each class sheet has its header notes, dropdowns and
    conditional formats, and its pupils."""
    src = _school(tmp_path / "全校.xlsx", [3, 2, 4])
    out = tmp_path / "分表.xlsx"
    split_to_sheet_copy(src, roster_layout(read_sheets(src), src.name), out, settings=SETTINGS)
    (again,) = convert([out], "xlsx:Calc MS Excel 2007 XML", tmp_path / "lo")
    wb = openpyxl.load_workbook(again)
    for cls, size in (("20240001", 3), ("20240002", 2), ("20240003", 4)):
        ws = wb[cls]
        assert sum(ws.cell(1, c).comment is not None for c in range(1, len(HEADERS) + 1)) == len(HEADERS), cls
        assert any(dv.type == "list" for dv in ws.data_validations.dataValidation), cls
        assert len(list(ws.conditional_formatting)) > 10, cls
        assert sum(ws.cell(r, 2).value is not None for r in range(2, 200)) == size, cls


@pytest.mark.parametrize("cut", [1, 6, 11, None])
def test_a_replaced_sheet_is_opened_without_its_rows_wherever_the_chunks_are_cut(tmp_path, monkeypatch, cut):
    """The roster split --sheets replaces is opened as its head and tail alone (its view, its
    dropdowns), however the chunks cut its end tag; the other sheets are whole; and such a host
    cannot save the sheet it never loaded the rows of."""
    from xueji_addin.workbook import sheet_rows

    src = _school(tmp_path / "全校.xlsx", [3, 2], other=True)
    wb = openpyxl.load_workbook(src)
    wb["学生基础信息"].freeze_panes = "C2"  # (in the head)
    wb["学生基础信息"].add_data_validation(DataValidation(type="list", formula1='"是,否"', sqref="Z2:Z9"))  # (in the tail)
    wb.save(src)
    if cut is not None:  # a chunk ends ``cut`` bytes into </sheetData>
        with zipfile.ZipFile(src) as z:
            at = z.read("xl/worksheets/sheet1.xml").index(b"</sheetData>")
        monkeypatch.setattr(sheet_rows, "_CHUNK", at + cut)
    host = open_light(src, {}, {}, replaced=frozenset({"学生基础信息"}))
    assert isinstance(host, LightHost)
    ws = host.wb["学生基础信息"]
    assert ws.max_row == 1 and ws["A1"].value is None and ws.freeze_panes == "C2"
    assert [str(dv.sqref) for dv in ws.data_validations.dataValidation] == ["Z2:Z9"]
    assert host.wb["说明"]["A1"].value == "本表由教导处维护"
    with pytest.raises(ValueError):
        host.save(tmp_path / "lost.xlsx")
    assert not (tmp_path / "lost.xlsx").exists()
    host.delete_sheet("学生基础信息")
    host.save(tmp_path / "kept.xlsx")
    assert openpyxl.load_workbook(tmp_path / "kept.xlsx").sheetnames == ["说明"]
