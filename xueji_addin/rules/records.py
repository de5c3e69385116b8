"""A student's identity across versions of a roster, and the 确认码 of what a page printed of them.

The 确认码 is a digest of the (label, printed value) pairs a page shows, in page order: the same
page gives the same code on every print, and any printed value that changes changes it. Short
enough to read aloud and to compare by eye (8 Crockford base32 characters: no I, L, O, U).
"""

from __future__ import annotations

import base64
import hashlib
import json
from collections.abc import Sequence

CODE_LABEL = "确认码"
# RFC 4648's base32 alphabet → Crockford's (digits first, no letters that read as digits).
_CROCKFORD = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567", "0123456789ABCDEFGHJKMNPQRSTVWXYZ")


def canonical(fields: Sequence[tuple[str, str]]) -> bytes:
    """The record hashed: JSON of the pairs (unambiguous whatever a label or value holds)."""
    return json.dumps([[label, value] for label, value in fields], ensure_ascii=False,
                      separators=(",", ":")).encode("utf-8")


def confirm_code(fields: Sequence[tuple[str, str]]) -> str:
    """The first 40 bits of the record's SHA-256 in Crockford base32, as XXXX-XXXX."""
    digest = hashlib.sha256(canonical(fields)).digest()[:5]  # 40 bits: 8 characters, no padding
    text = base64.b32encode(digest).decode("ascii").translate(_CROCKFORD)
    return f"{text[:4]}-{text[4:]}"


def student_key(id_number: str, name: str, birth_date: str) -> str:
    """Who a row is, in any version of the file: the 身份证件号, else 姓名 + 出生日期."""
    id_number = id_number.strip().upper()
    if id_number:
        return id_number
    return f"{name.strip()}（{birth_date.strip()}）" if name.strip() or birth_date.strip() else ""


def key_digest(key: str) -> str:
    """What a print's record keeps of the key: enough to match a student, no number in clear."""
    return hashlib.sha256(key.encode("utf-8")).hexdigest()[:20]


def unique_keys(keys: Sequence[str]) -> list[str]:
    """The keys with a second (third …) row of the same key told apart as 键#2, in row order."""
    seen: dict[str, int] = {}
    out = []
    for k in keys:
        seen[k] = seen.get(k, 0) + 1
        out.append(k if seen[k] == 1 else f"{k}#{seen[k]}")
    return out
