"""What a value looks like on a printed page: dates with dashes, regions by name, masked numbers,
"同现住址" for a value equal to one printed above, the room left for a required field to be written
in by hand, and the guardian a parent's roster row names."""

from __future__ import annotations

import re

from xueji_addin.rules.mask import mask_id, mask_phone
from xueji_addin.spec.columns import Column, Kind, Required
from xueji_addin.spec.regions import full_name, is_known_county

_DATE = re.compile(r"^(\d{4})(\d{2})(\d{2})$")
_YM = re.compile(r"^(\d{4})(\d{2})$")
_RANGE = re.compile(r"^(\d{8})-(\d{8})$")


def shown(col: Column, text: str, *, mask: bool, with_code: bool = True) -> str:
    """A normalised cell text as a parent reads it: dates with dashes, regions by name, masked numbers."""
    if not text:
        return ""
    kind = col.kind
    if kind is Kind.DATE and (m := _DATE.match(text)):
        return "-".join(m.groups())
    if kind is Kind.YEAR_MONTH and (m := _YM.match(text)):
        return "-".join(m.groups())
    if kind is Kind.DATE_RANGE and (m := _RANGE.match(text)):
        a, b = (shown(col.model_copy(update={"kind": Kind.DATE}), x, mask=mask) for x in m.groups())
        return f"{a} 至 {b}"
    if kind is Kind.REGION and text.isdigit() and len(text) in (6, 12) and is_known_county(text[:6]):
        name = full_name(text[:6])
        return f"{name}（{text}）" if with_code else name
    if kind is Kind.ID_NUMBER and mask:
        return mask_id(text)
    if kind is Kind.PHONE and mask:
        return mask_phone(text)
    return text


def min_slots(col: Column, text: str, required: bool) -> int:
    """Room for a required field left blank, to be written in by hand (filled ones are measured)."""
    if text or not required:
        return 1
    if col.kind is Kind.ADDRESS:
        return 3
    if col.kind in (Kind.ID_NUMBER, Kind.REGION):
        return 2
    return 1


# Values equal to one printed above are shown as "同…", as paper forms do (rows saved for legibility).
SAME_AS = {
    "mailing_address": ("current_address", "同现住址"),
    "home_address": ("current_address", "同现住址"),
    "m1_address": ("current_address", "同学生现住址"),
    "m2_address": ("current_address", "同学生现住址"),
    "m1_hukou_region_code": ("hukou_region_code", "同学生户口所在地"),
    "m2_hukou_region_code": ("hukou_region_code", "同学生户口所在地"),
}


def field_label(col: Column) -> str:
    """Within a family member's section the "成员1" prefix says nothing."""
    return col.header[3:] if col.member and col.header.startswith(f"成员{col.member}") else col.header


def is_required(col: Column, two_members: bool) -> bool:
    return col.required is Required.YES or (col.required is Required.MEMBER2 and two_members)



def guardian(record: dict[str, str]) -> str:
    """The first family member marked as guardian (else member 1), with the relation."""
    members = [m for m in (1, 2) if record.get(f"m{m}_name")]
    guardians = [m for m in members if record.get(f"m{m}_is_guardian") == "是"] or members[:1]
    out = []
    for m in guardians:
        relation = record.get(f"m{m}_relation_note") if record.get(f"m{m}_relation") == "其他" else record.get(f"m{m}_relation")
        out.append(record[f"m{m}_name"] + (f"（{relation}）" if relation else ""))
    return "、".join(out)
