"""Our own sheet names (declared here once) and the defined names of the template's helper sheets,
shared by dropdowns and conditional formats.

Excel drops inline validation lists over 255 characters and, before 2010, refused references to
other sheets in validations and conditional formats: every list goes through a workbook name.
"""

from __future__ import annotations

CODE_SHEET = "代码表"  # hidden, protected: code lists and lookup columns
REGION_SHEET = "行政区划"  # visible: the province → city → county picker and the searchable list
SETTINGS_SHEET = "学校设置"  # hidden: the settings the template was built with
HELPER_SHEETS = (REGION_SHEET, CODE_SHEET, SETTINGS_SHEET)  # removed by the registrar's export
# The template's generated lookups, never read back for their values: the reader checks their size
# but does not parse their XML for formulas and error cells (行政区划's 600 KB of picker formulas
# took four fifths of reading a class file).
LOOKUP_SHEETS = frozenset({REGION_SHEET, CODE_SHEET})
RESULT_SHEET = "校验结果"  # the findings of the last check, with links to their cells
MARKS_SHEET = "_xueji_marks"  # hidden: the fills and notes our marks replaced, to restore them
FIXES_SHEET = "_xueji_fixes"  # hidden: what 自动修正 changed, to undo it
LOG_SHEET = "自动修正记录"  # what 自动修正 changed, for the teacher
SOURCE_SHEET = "来源"  # a merged file: where each row came from
EXTRA_SHEET = "模板外的列"  # a merged or split file: the columns the template does not have
SUMMARY_SHEET = "学生情况统计表"
NO_ID_SHEET = "无身份证学生名单"
RECORD_SHEET = "打印记录"  # hidden: what the last print showed of each student (its 确认码)
SIGNED_SHEET = "签字版核对"  # the students whose signed page no longer matches
FORM_SHEET = "确认表"  # the print's pages, one per student: "确认表", or "<班号>班确认表" for several classes
ROSTER_SHEET = "核对名单"  # the print's signature roster, named likewise
# Every sheet the tool writes beside the tables: never a table, never "不是学籍表" to anyone.
OUR_SHEETS = frozenset({*HELPER_SHEETS, RESULT_SHEET, MARKS_SHEET, FIXES_SHEET, LOG_SHEET, SOURCE_SHEET, EXTRA_SHEET,
                        SUMMARY_SHEET, NO_ID_SHEET, RECORD_SHEET, SIGNED_SHEET})


def is_ours(sheet: str) -> bool:
    """A sheet the tool itself wrote (a helper, a result, a record), as opposed to one of the tables."""
    return sheet in OUR_SHEETS or sheet.endswith((FORM_SHEET, ROSTER_SHEET))

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
