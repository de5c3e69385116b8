"""Masking personal numbers for reports and lists shown in public (``--mask``)."""

from __future__ import annotations

import re

_ID = re.compile(r"(?<![0-9A-Za-z])(\d{6})(\d{8})(\d{3}[\dXx])(?![0-9A-Za-z])")
_ID15 = re.compile(r"(?<![0-9A-Za-z])(\d{6})(\d{6})(\d{3})(?![0-9A-Za-z])")
_MOBILE = re.compile(r"(?<!\d)(1[3-9]\d)(\d{4})(\d{4})(?!\d)")
_LANDLINE = re.compile(r"(?<!\d)(0\d{2})(\d{5,7})(\d{2})(?!\d)")  # 0xx(x) and 7–8 digits, written together
# Any number of four digits or more, and dates (2017-11-24, 2017年11月24日): in a finding about a
# personal column, each may be (part of) the ID, the birth date or a phone number.
_NUMBER = re.compile(r"\d{4,}(?:[-/.年月]\d{1,2}){0,2}日?")
# Columns of personal numbers, by words of their headers (学生、教师、家庭成员 tables alike).
PERSONAL_HEADER_WORDS = ("身份证", "证件号", "出生日期", "电话", "手机", "联系方式")


def mask_id(number: str) -> str:
    """110101201101011234 → 110101********1234 (keeps the region and the last four)."""
    if len(number) >= 10:
        return number[:6] + "*" * (len(number) - 10) + number[-4:]
    return number[:1] + "*" * max(len(number) - 2, 0) + number[-1:] if len(number) > 2 else "*" * len(number)


def mask_phone(number: str) -> str:
    """13812345678 → 138****5678."""
    if len(number) >= 7:
        return number[:3] + "*" * (len(number) - 7) + number[-4:]
    return "*" * len(number)


def mask_text(text: str) -> str:
    """Mask every ID, mobile or landline number that appears inside a free text."""
    text = _ID.sub(lambda m: m.group(1) + "*" * 8 + m.group(3)[-4:], text)
    text = _ID15.sub(lambda m: m.group(1) + "*" * 6 + m.group(3), text)
    text = _MOBILE.sub(lambda m: m.group(1) + "****" + m.group(3), text)
    return _LANDLINE.sub(lambda m: m.group(1) + "*" * len(m.group(2)) + m.group(3), text)


def mask_finding_text(text: str, header: str | None) -> str:
    """A finding's message, suggestion or fix for a report shown in public: IDs and phones masked
    everywhere; in a finding about a personal column every number and date too (“与身份证号中的
    20171124 不一致” quotes the birth digits of the ID; a 10-digit phone is no mobile number)."""
    text = mask_text(text)
    if header and any(w in header for w in PERSONAL_HEADER_WORDS):
        text = _NUMBER.sub(lambda m: m.group()[:2] + re.sub(r"\d", "*", m.group()[2:]), text)
    return text
