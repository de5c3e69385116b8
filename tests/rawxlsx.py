"""Build .xlsx files byte by byte, for inputs that Excel or WPS write but openpyxl cannot
(formulas with cached values, error cells, DTDs, bombs) and for 100,000-row files in seconds."""

from __future__ import annotations

import zipfile
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from xml.sax.saxutils import escape

from openpyxl.utils import get_column_letter

NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"


@dataclass(frozen=True)
class Formula:
    """A formula cell; ``cached`` is the value Excel saved with it (None: never calculated)."""

    formula: str
    cached: object = None


@dataclass(frozen=True)
class Error:
    """An error cell such as #N/A or #REF!."""

    text: str


def cell_xml(ref: str, v: object) -> str:
    if v is None or v == "":
        return ""
    if isinstance(v, Formula):
        f = f"<f>{escape(v.formula)}</f>"
        if v.cached is None:
            return f'<c r="{ref}">{f}</c>'
        if isinstance(v.cached, str):
            return f'<c r="{ref}" t="str">{f}<v>{escape(v.cached)}</v></c>'
        return f'<c r="{ref}">{f}<v>{v.cached}</v></c>'
    if isinstance(v, Error):
        return f'<c r="{ref}" t="e"><v>{escape(v.text)}</v></c>'
    if isinstance(v, bool):
        return f'<c r="{ref}" t="b"><v>{int(v)}</v></c>'
    if isinstance(v, (int, float)):
        return f'<c r="{ref}"><v>{v}</v></c>'
    return f'<c r="{ref}" t="inlineStr"><is><t xml:space="preserve">{escape(str(v))}</t></is></c>'


def sheet_xml(rows: Iterable[list[object]], *, hidden_rows: set[int] = frozenset(), hidden_cols: set[int] = frozenset(),
              merged: list[str] = (), doctype: str = "") -> Iterable[str]:
    """The worksheet XML in pieces (rows 1-based; ``hidden_cols`` 1-based column numbers)."""
    yield f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n{doctype}<worksheet xmlns="{NS}" xmlns:r="{REL}">'
    if hidden_cols:
        yield "<cols>" + "".join(f'<col min="{c}" max="{c}" width="9" hidden="1" customWidth="1"/>' for c in sorted(hidden_cols)) + "</cols>"
    yield "<sheetData>"
    letters = [get_column_letter(i) for i in range(1, 200)]
    for r, row in enumerate(rows, start=1):
        hidden = ' hidden="1"' if r in hidden_rows else ""
        yield f'<row r="{r}"{hidden}>' + "".join(cell_xml(f"{letters[c]}{r}", v) for c, v in enumerate(row)) + "</row>"
    yield "</sheetData>"
    if merged:
        yield f'<mergeCells count="{len(merged)}">' + "".join(f'<mergeCell ref="{m}"/>' for m in merged) + "</mergeCells>"
    yield "</worksheet>"


def write_xlsx(path: str | Path, rows: Iterable[list[object]], *, sheet: str = "学生基础信息", sheet_doc: Iterable[str] | None = None,
               workbook_doctype: str = "", compresslevel: int = 6, **sheet_options: object) -> Path:
    """A minimal, valid .xlsx with one sheet (inline strings, no styles)."""
    path = Path(path)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=compresslevel) as z:
        z.writestr("[Content_Types].xml", (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
            '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
            "</Types>"))
        z.writestr("_rels/.rels", (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>'
            "</Relationships>"))
        z.writestr("xl/workbook.xml", (
            f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n{workbook_doctype}'
            f'<workbook xmlns="{NS}" xmlns:r="{REL}"><sheets><sheet name="{escape(sheet)}" sheetId="1" r:id="rId1"/></sheets></workbook>'))
        z.writestr("xl/_rels/workbook.xml.rels", (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>'
            "</Relationships>"))
        with z.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as fh:
            for piece in sheet_doc if sheet_doc is not None else sheet_xml(rows, **sheet_options):  # type: ignore[arg-type]
                fh.write(piece.encode("utf-8"))
    return path
