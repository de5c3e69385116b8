"""Masking personal numbers for reports and lists shown in public (``--mask``)."""

from __future__ import annotations

import re

_ID = re.compile(r"(?<![0-9A-Za-z])(\d{6})(\d{8})(\d{3}[\dXx])(?![0-9A-Za-z])")
_ID15 = re.compile(r"(?<![0-9A-Za-z])(\d{6})(\d{6})(\d{3})(?![0-9A-Za-z])")
_MOBILE = re.compile(r"(?<!\d)(1[3-9]\d)(\d{4})(\d{4})(?!\d)")


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
    """Mask every ID or mobile number that appears inside a free text."""
    text = _ID.sub(lambda m: m.group(1) + "*" * 8 + m.group(3)[-4:], text)
    text = _ID15.sub(lambda m: m.group(1) + "*" * 6 + m.group(3), text)
    return _MOBILE.sub(lambda m: m.group(1) + "****" + m.group(3), text)
