"""身份证件号: GB 11643 resident ID numbers (via python-stdnum) and other document numbers.

rules.md §1 and DECISIONS.md §8. A library lookup may fail in ways other than its documented
errors; every such failure becomes a finding, never a crash.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import NamedTuple

from stdnum.cn import ric

from xueji_addin.spec import regions
from xueji_addin.rules.findings import ERROR, WARNING, Issue, rule

RIC = "居民身份证"
NO_ID = "其他"

LENGTH = rule("XJ301", ERROR, "cell", "居民身份证号不是18位")
FORMAT = rule("XJ302", ERROR, "cell", "居民身份证号含有数字和末位 X 以外的字符")
CHECKSUM = rule("XJ303", ERROR, "cell", "居民身份证号校验位（最后一位）不对")
BAD_BIRTH = rule("XJ304", ERROR, "cell", "居民身份证号第7-14位不是有效日期")
UNKNOWN_PLACE = rule("XJ307", WARNING, "cell", "居民身份证号前6位不是已知的行政区划代码")
OLD_15 = rule("XJ308", ERROR, "cell", "学生或教职工使用了15位旧身份证号")
OLD_15_MEMBER = rule("XJ309", WARNING, "cell", "家庭成员使用了15位旧身份证号")
AS_NUMBER = rule("XJ310", ERROR, "cell", "证件号被 Excel 存成了数字，后几位已丢失")
LOWER_X = rule("XJ312", ERROR, "cell", "身份证号末位用了小写 x")
PERMIT = rule("XJ318", ERROR, "cell", "号码是港澳台居民居住证号码（81/82/83 开头），不是居民身份证号")
OTHER_FORMAT = rule("XJ313", ERROR, "cell", "其他证件号只能包含字母和数字")

_SCI = re.compile(r"^\d(\.\d+)?[eE]\+?\d+$")
_ALNUM = re.compile(r"^[0-9A-Za-z]+$")


class RicInfo(NamedTuple):
    """What a valid-shaped resident ID number says about its holder. A tuple rather than a class:
    a school makes thousands (two per birth date), and tuples of plain values are cheap to build
    and drop out of the garbage collector's walks."""

    birth: str  # YYYYMMDD
    male: bool
    born: int  # the birth date as the number YYYYMMDD, for age arithmetic on thousands of rows

    @classmethod
    def of(cls, birth: str, male: bool) -> RicInfo:
        return cls(birth, male, int(birth))


def _upgrade_15(number: str) -> str | None:
    """A 15-digit ID as its 18-digit form (insert 19, append the check digit)."""
    body = number[:6] + "19" + number[6:]
    try:
        return body + ric.calc_check_digit(body + "0")
    except Exception:
        return None


def old_15(holder: str) -> Issue:
    """XJ308 said of the row's own person: 学生 in the student table, 教职工 in the staff table."""
    return Issue(OLD_15, f"{holder}身份证号应为18位，这是15位旧号码", f"请对照户口簿或身份证填写{holder}的18位身份证号")


def check_id(text: str, raw: object, id_type: str, *, member: bool) -> tuple[list[Issue], RicInfo | None]:
    """Check one ID number given the row's document type (a canonical name, or "" when unknown)."""
    if not text:
        return [], None
    if (isinstance(raw, float) and abs(raw) >= 1e15) or _SCI.match(text):
        # The fix only turns the number into text with the digits it shows (nothing is lost, and
        # Excel stops rounding it); the lost last digits must still be typed from the document.
        return [
            Issue(
                AS_NUMBER,
                f"证件号被 Excel 存成了数字（{text}），第 16 位以后已经变成 0，无法还原",
                "先把该列设置为“文本”格式，再对照证件重新输入完整号码",
                fix=text if isinstance(raw, (int, float)) else None,
            )
        ], None
    looks_ric = id_type == RIC or (id_type not in FOREIGN_TYPES and len(text) in (15, 18) and text[:15].isdigit())
    if not looks_ric:
        if id_type == NO_ID or _ALNUM.match(text):
            return [], None
        return [Issue(OTHER_FORMAT, f"“{id_type or '该证件'}”号码只能包含字母和数字", "删除空格、横线等符号后重新输入")], None

    issues: list[Issue] = []
    if text.endswith("x") and len(text) == 18:
        text = text[:-1] + "X"
        issues.append(Issue(LOWER_X, "末位校验码应为大写 X", "把小写 x 改为大写 X", fix=text))
    if len(text) == 15 and text.isdigit():
        upgraded = _upgrade_15(text)
        if member:
            return issues + [
                Issue(OLD_15_MEMBER, "这是15位旧身份证号", "建议改填18位新号码", fix=upgraded)
            ], None
        return issues + [old_15("学生")], None
    if len(text) != 18:
        return issues + [Issue(LENGTH, f"居民身份证号应为18位，现在是{len(text)}位", "请对照户口簿核对，是否多输或漏输了数字")], None
    if not text[:17].isdigit() or text[17] not in "0123456789X":
        return issues + [Issue(FORMAT, "居民身份证号只能是数字，最后一位可以是 X", "删除其中的字母、空格或符号后重新核对")], None
    try:  # ric.get_birth_date, without its per-call clean-up of an already compact number
        birth = dt.date(int(text[6:10]), int(text[10:12]), int(text[12:14]))
    except ValueError:
        return issues + [Issue(BAD_BIRTH, "号码第7-14位不是有效的出生日期", "请对照户口簿核对身份证号")], None
    try:
        expected = ric.calc_check_digit(text)
    except Exception:
        expected = None
    if expected != text[17]:
        issues.append(
            Issue(CHECKSUM, "身份证号校验不通过（有数字抄错）", "请对照户口簿逐位核对，常见的是相邻两位颠倒或某一位抄错；不要只改最后一位")
        )
        return issues, None
    if text[:2] in PERMIT_PREFIXES:
        return issues + [_permit(text[:2], member)], RicInfo.of(birth.strftime("%Y%m%d"), int(text[16]) % 2 == 1)
    if not _known_birthplace(text[:6], birth.year):
        issues.append(Issue(UNKNOWN_PLACE, f"前6位 {text[:6]} 不是已知的行政区划代码", "请核对号码前6位；旧的区划代码也可能有效"))
    return issues, RicInfo.of(birth.strftime("%Y%m%d"), int(text[16]) % 2 == 1)


# 港澳台居民居住证 (2018): 18 digits of the resident-ID shape, first two 81 香港, 82 澳门, 83 台湾; the
# template's list has no such type: the holder's own document and 港澳台侨外 say who they are.
_PERMITS = {"81": ("香港", "香港特区护照/身份证明"), "82": ("澳门", "澳门特区护照/身份证明"), "83": ("台湾", "台湾居民来往大陆通行证")}
PERMIT_PREFIXES = frozenset(_PERMITS)


def _permit(prefix: str, member: bool) -> Issue:
    place, doc = _PERMITS[prefix]
    who = "" if member else f"，港澳台侨外选“{place}同胞”（或“{place}同胞亲属”）"
    return Issue(PERMIT, f"号码以 {prefix} 开头，是{place}居民居住证号码，不是居民身份证号",
                 f"身份证件类型选“{doc}”并填该证件的号码{who}")


def _known_birthplace(code6: str, year: int) -> bool:
    """stdnum's ric.get_birth_place test, over an index of the same cn/loc data (stdnum searches
    its data linearly, which costs seconds for a school's IDs). Tests hold the two to agreement."""
    county = regions.county(code6)
    return county is not None and county.valid_in(year)


# Per birth date: (female holder, male holder), or None for digits 7-14 that are not a date; per
# county and birth year (digits 1-10): whether the county existed. A school shares a few thousand
# of the one and a few hundred of the other. Plain dicts (a lookup is cheaper than lru_cache's
# call), emptied when they grow past _CACHE_LIMIT in a long-running add-in.
_HOLDERS: dict[str, tuple[RicInfo, RicInfo] | None] = {}
_PLACES: dict[str, bool] = {}
_CACHE_LIMIT = 65536


def _holders(birth: str) -> tuple[RicInfo, RicInfo] | None:
    try:
        dt.date(int(birth[:4]), int(birth[4:6]), int(birth[6:]))
        born = int(birth)
        pair = (RicInfo(birth, False, born), RicInfo(birth, True, born))
    except ValueError:
        pair = None
    if len(_HOLDERS) >= _CACHE_LIMIT:
        _HOLDERS.clear()
    _HOLDERS[birth] = pair
    return pair


def _place_known(code10: str) -> bool:
    # A 港澳台居民居住证 number is of this shape too, and stdnum knows 81/82/83: check_id names it.
    known = code10[:2] not in PERMIT_PREFIXES and _known_birthplace(code10[:6], int(code10[6:]))
    if len(_PLACES) >= _CACHE_LIMIT:
        _PLACES.clear()
    _PLACES[code10] = known
    return known


def fast_ric(number: str) -> RicInfo | None:
    """The holder's data of a fully valid 18-digit resident ID, or None (then ``check_id`` says why).

    Equivalent to stdnum's ``ric.is_valid`` (tests hold it to that) but cached per birth date and
    county, as a school checks thousands of numbers that share a few hundred of them.
    """
    return ric_of_shape(number) if _RIC_SHAPE(number) else None


RIC_SHAPE = r"\d{17}[\dX]"  # with re.ASCII
_RIC_SHAPE = re.compile(RIC_SHAPE, re.ASCII).fullmatch
NOT_A_RIC = "0" * 18  # of the right shape but never valid (its check digit would be 1): a stand-in


def ric_of_shape(number: str) -> RicInfo | None:
    """``fast_ric`` of a number already known to match RIC_SHAPE (the engine tests a whole column's
    shape at once). The check digit is stdnum's ``calc_check_digit`` turned round, to spare a slice
    and the arithmetic on the 17 digits: with X read as 10, the 18 characters read in base 13 are 1
    mod 11 (13 ≡ 2 mod 11, so this is GB 11643's Σ aᵢ·2¹⁸⁻ⁱ ≡ 1)."""
    if (int(number, 13) if number[17] != "X" else int(number[:17], 13) * 13 + 10) % 11 != 1:
        return None
    known = _PLACES.get(number[:10])
    if known is None:
        known = _place_known(number[:10])
    if not known:
        return None
    birth = number[6:14]
    pair = _HOLDERS.get(birth) or _holders(birth)  # (None for digits 7-14 that are no date: rare)
    return pair and pair[number[16] in "13579"]


FOREIGN_TYPES = frozenset({"香港特区护照/身份证明", "澳门特区护照/身份证明", "台湾居民来往大陆通行证", "境外永久居住证", "护照"})


def ric_birth(info: RicInfo | None) -> dt.date | None:
    if info is None:
        return None
    return dt.date(int(info.birth[:4]), int(info.birth[4:6]), int(info.birth[6:]))
