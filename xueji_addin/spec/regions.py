"""Administrative-division codes (行政区划代码).

DECISIONS.md §5: a region cell holds 12 digits whose first 6 are a county code known to
python-stdnum's ``cn/loc`` data (current or historical). The same data gives the province →
city → county tree for the template's region picker.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from importlib import resources

_SPAN = re.compile(r"^\[(\d*)-(\d*)\](.*)$")


@dataclass(frozen=True)
class County:
    code: str  # 6 digits
    name: str  # the latest name
    current: bool  # still in use (no end year)
    spans: tuple[tuple[int | None, int | None], ...] = ()  # (from, to) years; () = always

    def valid_in(self, year: int) -> bool:
        """Whether the code was assigned in ``year`` (the test stdnum's ric.get_birth_place makes)."""
        if not self.spans:
            return True
        return any((lo is None or year >= lo) and (hi is None or year <= hi) for lo, hi in self.spans)


@cache
def _loc() -> tuple[dict[str, str], dict[str, str]]:
    """(province code(2) -> name, county code(6) -> its quoted names), read once from stdnum's data.

    Only indexed here: a check meets a few hundred of the ~6,000 counties, so each County is built
    when first asked for (building them all took a fresh ``xueji validate`` some 50 ms)."""
    text = resources.files("stdnum").joinpath("cn/loc.dat").read_text("utf-8")
    provinces: dict[str, str] = {}
    counties: dict[str, str] = {}
    prov = ""
    for line in text.splitlines():
        if not line or line[0] == "#":
            continue
        if line[0] != " ":
            prov, _, rest = line.partition(" ")
            provinces[prov] = rest.split('"')[1]
            continue
        sub, _, rest = line.strip().partition(" ")
        counties[prov + sub] = rest
    return provinces, counties


_COUNTIES: dict[str, County] = {}


def _county(code6: str, rest: str) -> County:
    """The County of a data line's quoted names: "[1983-1995]旧名,[1995-]新名" or a plain name."""
    names = rest.split('"')[1].split(",")
    spans: list[tuple[int | None, int | None]] = []
    for name in names:
        m = _SPAN.match(name)
        if not m:  # a name without years: valid in every year
            spans = []
            break
        spans.append((int(m.group(1)) if m.group(1) else None, int(m.group(2)) if m.group(2) else None))
    latest = names[-1]
    m = _SPAN.match(latest)
    current = True
    if m:
        current = m.group(2) == ""
        latest = m.group(3)
    c = _COUNTIES[code6] = County(code6, latest, current, tuple(spans))
    return c


def province_name(code2: str) -> str | None:
    return _loc()[0].get(code2)


def county(code6: str) -> County | None:
    if code6 in _COUNTIES:
        return _COUNTIES[code6]
    rest = _loc()[1].get(code6)
    return None if rest is None else _county(code6, rest)


def known_codes() -> list[str]:
    """Every 6-digit code the data knows (current or historical), in code order: what
    ``is_known_county`` accepts, as a list for the template's lookup column."""
    return sorted(_loc()[1])


def is_known_county(code6: str) -> bool:
    return code6 in _loc()[1]


def full_name(code6: str) -> str:
    """省 + 市 + 县 of a county code, as far as the data knows it (for messages and the picker)."""
    parts = [_loc()[0].get(code6[:2], "")]
    city = county(code6[:4] + "00")
    if city and code6[4:] != "00" and city.name not in ("市辖区", "县"):
        parts.append(city.name)
    here = county(code6)
    if here and here.name not in parts:
        parts.append(here.name)
    return "".join(p for p in parts if p)


@dataclass(frozen=True)
class PickerEntry:
    province: str
    city: str
    county: str
    code12: str


@cache
def picker_entries() -> list[PickerEntry]:
    """Every current county as (省, 市, 县, 12-digit code), for cascading dropdowns."""
    provinces = _loc()[0]
    out: list[PickerEntry] = []
    for code in _loc()[1]:
        c = county(code)
        assert c is not None
        if not c.current or code.endswith("00") or c.name in ("市辖区", "县", "省直辖县级行政区划"):
            continue
        city = county(code[:4] + "00")
        city_name = city.name if city and city.current else provinces[code[:2]]
        if city_name in ("市辖区", "县"):
            city_name = provinces[code[:2]]
        out.append(PickerEntry(provinces[code[:2]], city_name, c.name, code + "000000"))
    return out
