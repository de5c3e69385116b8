"""The defined names of the template's helper sheets, shared by dropdowns and conditional formats.

Excel drops inline validation lists over 255 characters and, before 2010, refused references to
other sheets in validations and conditional formats: every list goes through a workbook name.
"""

from __future__ import annotations

CODE_SHEET = "代码表"  # hidden, protected: code lists and lookup columns
REGION_SHEET = "行政区划"  # visible: the province → city → county picker and the searchable list
SETTINGS_SHEET = "学校设置"  # hidden: the settings the template was built with
HELPER_SHEETS = (REGION_SHEET, CODE_SHEET, SETTINGS_SHEET)  # removed by the registrar's export

PREFIX = "XJ_"
# Columns a template may prefill for a class (DECISIONS.md §6–7): a row holding nothing else is not
# a student yet, for the conditional formats and for the reader alike.
PREFILL_KEYS = ("school_code", "class_no")
SCHOOL_TYPES = "XJ_SCHOOL_TYPES"  # 学校标识码 digits 1–2
PROVINCE_CODES = "XJ_PROVINCE_CODES"  # 学校标识码 digits 3–4
COUNTIES = "XJ_COUNTIES"  # every known 6-digit county code, current or historical
CLASSES = "XJ_CLASSES"  # the school's classes from the settings
REGION_PROVINCES = "XJ_REGION_PROVINCES"
REGION_CITIES = "XJ_REGION_CITIES"  # the cities of the picked province (OFFSET)
REGION_COUNTIES = "XJ_REGION_COUNTIES"  # the counties of the picked city (OFFSET)


def code_list(table_id: str) -> str:
    """The name of a code table's list of names, e.g. XJ_CODE_MZ."""
    return f"XJ_CODE_{table_id}"
