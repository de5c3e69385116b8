"""The 行政区划 sheet: a region-code picker a teacher can use without knowing any code.

Top: pick 省, then 市, then 县/区 from three cascading dropdowns; the 12-digit code appears
below them. A search box finds the first county whose name contains what is typed
(雁塔 → 陕西省西安市雁塔区 610113000000). Below: every current county (full name and code) under
an AutoFilter, for Ctrl+F and filtering. All from ``spec.regions.picker_entries()``.

The list below is also the cascade's data: counties are grouped by province and city, so a
city's counties are one block; a city table on the hidden 代码表 gives each block's first row and
size, and plain defined names cut it out with OFFSET — a list-validation source that Excel, WPS and
LibreOffice all accept (INDIRECT of a city name would need one defined name per city, and names
cannot hold every character city names use). The sheet is protected (filtering allowed, sorting
not) so the blocks stay in order.
"""

from __future__ import annotations

from openpyxl.styles import Alignment, Border, Font, PatternFill, Protection, Side
from openpyxl.utils import get_column_letter
from openpyxl.workbook.workbook import Workbook
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from xueji_addin.spec.regions import PickerEntry, picker_entries
from xueji_addin.workbook import names
from xueji_addin.workbook.cells import set_text
from xueji_addin.workbook.print_setup import a4_one_page_wide
from xueji_addin.workbook.validation import _quoted, define

# Rows of a sheet left out of openpyxl's model for the writer to stream in: title → (first row, rows).
Later = dict[str, tuple[int, list[list[object]]]]
LIST_HEADER_ROW = 12  # the full list's header row on the picker sheet
PICK_PROVINCE, PICK_CITY, PICK_COUNTY, PICK_CODE = "B4", "B5", "B6", "B7"
SEARCH, SEARCH_NAME, SEARCH_CODE = "B9", "C9", "D9"
CITY_ROW = "XJ_REGION_CITY_ROW"  # the picked city's row in the city table (1-based)
CITY_COUNT = "XJ_REGION_CITY_COUNT"
_INPUT = PatternFill("solid", fgColor="FFF2CC")
_THIN = Side(style="thin", color="BFBFBF")


def grouped_entries() -> list[PickerEntry]:
    """Counties grouped by (province, city) in first-appearance order, so each city is one block."""
    entries = picker_entries()  # (built anew on each call: once here)
    order: dict[tuple[str, str], int] = {}
    for e in entries:
        order.setdefault((e.province, e.city), len(order))
    return sorted(entries, key=lambda e: order[(e.province, e.city)])


def full_name(e: PickerEntry) -> str:
    """省 + 市 + 县 as a teacher reads it (the city is left out where it repeats the province)."""
    return e.province + (e.city if e.city != e.province else "") + e.county


def _abs(cell: str) -> str:
    return f"${cell[0]}${cell[1:]}"


def write_region_picker(wb: Workbook, code_ws: Worksheet, later: Later | None = None) -> Worksheet:
    """(Re)build the visible 行政区划 sheet (right after the roster sheet) and the cascade's names;
    the province list and the city table (province, city, first list row, county count) go on the
    hidden 代码表 ``code_ws``. ``later``: the county list's rows go there, for a writer that streams
    them into the saved sheet (2,849 rows of openpyxl cells were half the template's build)."""
    entries = grouped_entries()
    blocks: dict[tuple[str, str], list[int]] = {}
    for i, e in enumerate(entries, start=1):
        blocks.setdefault((e.province, e.city), []).append(i)
    provinces = list(dict.fromkeys(p for p, _ in blocks))
    columns = _city_table(code_ws, blocks, provinces)
    if names.REGION_SHEET in wb.sheetnames:
        del wb[names.REGION_SHEET]
    ws = wb.create_sheet(names.REGION_SHEET, index=1)
    h = LIST_HEADER_ROW
    first, last = h + 1, h + len(entries)
    _define_cascade(wb, ws, code_ws, columns, len(blocks) + 1, len(provinces), first)
    _picker_cells(ws, first, last)
    _county_list(ws, entries, h, last, later)
    # Printing the whole workbook gives the picker on one page, not the county list's 60-odd pages
    # (the list is for filtering and searching on screen).
    ws.print_area = f"A1:D{SEARCH[1:]}"
    a4_one_page_wide(ws, landscape=False)
    ws.protection.sheet = True
    ws.protection.autoFilter = False  # filtering allowed
    ws.protection.sort = True  # sorting not: the cascade reads the list's blocks in order
    ws.protection.selectLockedCells = False
    return ws


def _city_table(code_ws: Worksheet, blocks: dict[tuple[str, str], list[int]], provinces: list[str]) -> tuple[str, ...]:
    """The city table (province, city, first list row, county count) and the province list on the
    hidden 代码表, right of what it holds; their column letters."""
    start = code_ws.max_column + 2
    for i, title in enumerate(("省（城市表）", "市", "县在总表中的起始行", "县的个数", "省")):
        set_text(code_ws.cell(1, start + i), title)
    for r, ((p, c), rows) in enumerate(blocks.items(), start=2):
        for i, v in enumerate((p, c, rows[0], len(rows))):
            code_ws.cell(r, start + i).value = v  # place names and counts from our own data
    for r, p in enumerate(provinces, start=2):
        code_ws.cell(r, start + 4).value = p
    return tuple(get_column_letter(start + i) for i in range(5))


def _define_cascade(wb: Workbook, ws: Worksheet, code_ws: Worksheet, columns: tuple[str, ...], n: int, provinces: int,
                    first: int) -> None:
    """The names the cascade's dropdowns read: provinces, the picked province's cities, its counties."""
    pc, cc, fc, nc, gc = columns
    q, s = _quoted(ws.title), _quoted(code_ws.title)
    prov, city = f"{q}!{_abs(PICK_PROVINCE)}", f"{q}!{_abs(PICK_CITY)}"
    of_city = f"{s}!${pc}$2:${pc}${n}"
    define(wb, names.REGION_PROVINCES, f"{s}!${gc}$2:${gc}${provinces + 1}")
    define(wb, names.REGION_CITIES, f"OFFSET({s}!${cc}$1,MATCH({prov},{of_city},0),0,COUNTIF({of_city},{prov}),1)")
    define(wb, CITY_ROW, f"MATCH({prov},{of_city},0)+MATCH({city},{names.REGION_CITIES},0)-1")
    define(wb, CITY_COUNT, f"INDEX({s}!${nc}$2:${nc}${n},{CITY_ROW})")
    define(wb, names.REGION_COUNTIES,
           f"OFFSET({q}!$A${first},INDEX({s}!${fc}$2:${fc}${n},{CITY_ROW})-1,0,{CITY_COUNT},1)")


def _picker_cells(ws: Worksheet, first: int, last: int) -> None:
    """The three dropdowns, the code they give, the search box and the hints."""
    set_text(ws["A1"], "行政区划代码查询")
    ws["A1"].font = Font(bold=True, size=14)
    set_text(ws["A2"], "方法一：在黄色格中依次选择省、市、县/区，下面显示12位代码。方法二：在“搜索”格输入县/区名中的几个字"
                       "（如 雁塔）。方法三：在下面的总表中筛选或按 Ctrl+F 查找。把代码复制到学生表时请用“选择性粘贴→数值”，或照着输入。")
    ws["A2"].alignment = Alignment(wrap_text=True, vertical="top")
    ws.merge_cells("A2:D2")
    ws.row_dimensions[2].height = 64
    for label, cell in (("省", PICK_PROVINCE), ("市", PICK_CITY), ("县/区", PICK_COUNTY), ("12位代码", PICK_CODE),
                        ("搜索", SEARCH)):
        set_text(ws[f"A{cell[1:]}"], label)
        ws[f"A{cell[1:]}"].font = Font(bold=True)
    for cell in (PICK_PROVINCE, PICK_CITY, PICK_COUNTY, SEARCH):
        ws[cell].fill = _INPUT
        ws[cell].border = Border(_THIN, _THIN, _THIN, _THIN)
        ws[cell].protection = Protection(locked=False)
    picked = f"OFFSET({names.REGION_COUNTIES},0,1)"  # the codes beside the picked city's counties
    ws[PICK_CODE] = f'=IFERROR(INDEX({picked},MATCH({PICK_COUNTY},{names.REGION_COUNTIES},0)),"")'
    ws[PICK_CODE].font = Font(bold=True, size=13, color="1F4E79")
    # The first county whose name contains the search text (MATCH with wildcards: Excel, WPS, LibreOffice).
    found = f'MATCH("*"&{SEARCH}&"*",$A${first}:$A${last},0)'
    ws[SEARCH_NAME] = f'=IF({SEARCH}="","",IFERROR(INDEX($A${first}:$A${last},{found}),"没有找到，请少输几个字"))'
    ws[SEARCH_CODE] = f'=IF({SEARCH}="","",IFERROR(INDEX($B${first}:$B${last},{found}),""))'
    ws[SEARCH_CODE].font = Font(bold=True, color="1F4E79")
    for cell, hint in (("C4", "← 先选省"), ("C5", "← 再选市（列表随省变化）"), ("C6", "← 最后选县/区（显示全称）"),
                       ("C7", "← 复制这个代码")):
        set_text(ws[cell], hint)
        ws[cell].font = Font(color="808080")
    for source, cell in ((names.REGION_PROVINCES, PICK_PROVINCE), (names.REGION_CITIES, PICK_CITY),
                         (names.REGION_COUNTIES, PICK_COUNTY)):
        dv = DataValidation(type="list", formula1=source, allow_blank=True, showErrorMessage=True, errorStyle="stop",
                            errorTitle="请从列表中选择", error="请从下拉列表中选择；市和县/区的列表随上一格变化。")
        dv.add(cell)
        ws.add_data_validation(dv)


def _county_list(ws: Worksheet, entries: list[PickerEntry], h: int, last: int, later: Later | None) -> None:
    """Every county under its header row: filterable, searchable, the codes as text."""
    set_text(ws.cell(h - 1, 1), "全部县级行政区划（可筛选、可按 Ctrl+F 查找）")
    ws.cell(h - 1, 1).font = Font(bold=True)
    for i, title in enumerate(("省、市、县/区", "12位代码"), start=1):
        set_text(ws.cell(h, i), title)
        ws.cell(h, i).font = Font(bold=True)
        ws.cell(h, i).fill = PatternFill("solid", fgColor="DDEBF7")
    rows: list[list[object]] = [[full_name(e), e.code12] for e in entries]  # place names and digit strings
    if later is not None:
        later[ws.title] = (h + 1, rows)
    else:
        for row in rows:  # (nothing that could read as a formula)
            ws.append(row)
    ws.auto_filter.ref = f"A{h}:B{last}"
    for letter, width in (("A", 34), ("B", 30), ("C", 30), ("D", 18)):
        ws.column_dimensions[letter].width = width
    ws.column_dimensions["B"].number_format = "@"
    ws.freeze_panes = ws.cell(h + 1, 1)
