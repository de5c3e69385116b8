"""国籍/地区 names from ISO 3166 (pycountry, with its Chinese names): the template's list is a 2013
dropdown built on an older GB/T 2659, so a country's current or official name, or a country that
came later, is recognised by its ISO code instead of being "not in the list"."""

from __future__ import annotations

import gettext
from typing import TYPE_CHECKING

import pycountry

if TYPE_CHECKING:
    from xueji_addin.spec.codes import CodeTable

def _chinese() -> gettext.NullTranslations:
    return gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=["zh_CN"], fallback=True)


def add_countries(table: CodeTable) -> None:
    """ISO 3166 names as aliases of the template's option of the same code, and the countries
    the list has no option for as refusals (aliases.csv, read before, names the nearest one)."""
    from xueji_addin.spec.codes import Refusal, fold

    zh = _chinese().gettext
    for country in pycountry.countries:
        names = {zh(n) for n in (country.name, getattr(country, "official_name", ""), getattr(country, "common_name", "")) if n}
        keys = {fold(n) for n in names if not n.isascii()} - set(table._folded)
        # only codes the research is sure of (not those inferred from a list position: SRB, ROM …)
        name = table.codes.get(country.alpha_3) if country.alpha_3 not in table.uncertain_codes else None
        known = [table.refused[k] for k in keys if k in table.refused]
        refusal = known[0] if known else Refusal("", f"ISO 3166 代码 {country.alpha_3}（编号 {country.numeric}）的国家或地区，模板的国籍/地区列表中没有：请向县级学籍管理部门确认填法")
        for key in keys - set(table.aliases) - set(table.refused):
            if name is not None:
                table.aliases[key] = name
            elif not any(fold(n) in table._folded for n in names):
                table.refused[key] = refusal
