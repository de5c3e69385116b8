"""A column of a template, declared once as data and read into a typed record."""

from __future__ import annotations

from enum import Enum

from pydantic import BaseModel, ConfigDict


class Kind(str, Enum):
    """What a column holds; decides its checks, its cell format and its native formula."""

    TEXT = "text"
    PERSON_NAME = "person_name"
    ADDRESS = "address"
    CODE = "code"  # a name from a code table
    ID_NUMBER = "id_number"
    DATE = "date"  # YYYYMMDD
    YEAR_MONTH = "year_month"  # YYYYMM
    DATE_RANGE = "date_range"  # YYYYMMDD-YYYYMMDD
    REGION = "region"  # 12-digit 行政区划代码
    SCHOOL_CODE = "school_code"  # 10-digit 学校标识码
    CLASS_NO = "class_no"  # 6 or 8 digits
    DIGITS = "digits"  # digits with leading zeros (班内学号)
    TEXT_CODE = "text_code"  # a code of letters and digits (学籍辅号)
    PHONE = "phone"
    POSTCODE = "postcode"
    EMAIL = "email"
    URL = "url"
    DECIMAL = "decimal"
    # kinds of the 学校/校区/班级/教师 tables (spec/tables)
    NUMBER = "number"  # a plain number (学制, 入学年龄)
    MOBILE = "mobile"  # an 11-digit mobile number only (校长手机号码)
    REGION_ANY = "region_any"  # 行政区划 as 6 (GB/T 2260) or 12 digits
    ORG_CODE = "org_code"  # 组织机构代码 (GB 11714) or 统一社会信用代码 (GB 32100), or 无
    DATE_ANY = "date_any"  # YYYYMMDD or YYYY-MM-DD (the teacher template)
    DATE_PLANNED = "date_planned"  # YYYYMMDD that may lie in the future (毕业日期)
    YEAR_MONTH_ANY = "year_month_any"  # YYYYMM, YYYY-MM or YYYY-MM-DD, may lie in the future

    @property
    def is_text_format(self) -> bool:
        """Columns that Excel must keep as Text (@), or it turns them into numbers or dates."""
        return self in _TEXT_FORMAT


_TEXT_FORMAT = {
    Kind.ID_NUMBER, Kind.DATE, Kind.YEAR_MONTH, Kind.DATE_RANGE, Kind.REGION, Kind.SCHOOL_CODE,
    Kind.CLASS_NO, Kind.DIGITS, Kind.TEXT_CODE, Kind.PHONE, Kind.POSTCODE,
    Kind.MOBILE, Kind.REGION_ANY, Kind.ORG_CODE, Kind.DATE_ANY, Kind.DATE_PLANNED, Kind.YEAR_MONTH_ANY,
}


class Required(str, Enum):
    YES = "yes"
    NO = "no"
    UNLESS_NO_ID = "unless_no_id"  # 身份证件号: required unless 身份证件类型 = 其他
    MEMBER2 = "member2"  # member 2's starred fields: warning unless settings require two members
    WHEN_RELATION_OTHER = "when_relation_other"  # 关系说明 when 关系 = 其他
    MEMBER_ID = "member_id"  # member ID: required when the student has no ID, or its pair is filled
    CONDITIONAL = "conditional"  # required by another cell of the row; the table's row rules say when


class Column(BaseModel):
    model_config = ConfigDict(frozen=True)

    order: int  # 1-based position in the template
    header: str
    key: str
    section: str
    required: Required
    kind: Kind
    max_length: int | None = None
    code_table: str | None = None
    help: str = ""
    header_aliases: tuple[str, ...] = ()
    header_if_values: tuple[str, ...] = ()  # headers of other exports, taken when the values fit (xueji import)
    header_near: tuple[str, ...] = ()  # aliases that are near-misses of the header (profiles' "~…")
    header_variants: tuple[str, ...] = ()  # the same header as another template writes it (not a rename)
    confidence: str = "high"  # of the researched spec; "low": every finding on the column is a warning

    @property
    def low_confidence(self) -> bool:
        return self.confidence == "low"

    @property
    def letter(self) -> str:
        """The Excel column letter of this column in the template."""
        return column_letter(self.order)

    @property
    def member(self) -> int | None:
        """1 or 2 for a family member's column, else None."""
        if self.key[:1] == "m" and self.key[1:2].isdigit() and self.key[2:3] == "_":
            return int(self.key[1])
        return None


def column_letter(index: int) -> str:
    """1 → A, 27 → AA."""
    letters = ""
    while index:
        index, rem = divmod(index - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


def column_index(letters: str) -> int:
    """A → 1, AA → 27."""
    n = 0
    for ch in letters:
        n = n * 26 + ord(ch) - 64
    return n
