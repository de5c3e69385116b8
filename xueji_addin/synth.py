"""Synthetic but realistic student records, for the bundled sample, the tests and the benchmarks.

Every record this module makes passes every rule (the property tests hold it to that); mistakes
are then put in on purpose. Names and numbers are invented: no real person's data is used.
"""

from __future__ import annotations

import datetime as dt
import random
from functools import cache

from stdnum.cn import ric

from xueji_addin.spec import regions

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
GIVEN = "子涵浩然欣怡宇轩梓萱一诺思源佳怡雨泽博文可馨俊杰诗涵浩宇若曦明轩雅琪天佑紫涵晨曦嘉懿梦琪皓轩静怡家豪"
STREETS = ["建设路", "解放路", "人民路", "长安路", "文化街", "朝阳街", "幸福路", "育才路", "和平路", "光明路"]
EMPLOYERS = ["个体经营", "县第一中学", "市人民医院", "某某建筑公司", "务农", "镇政府", "物流公司", "超市"]
DEFAULT_TODAY = dt.date(2026, 9, 30)


@cache
def _counties() -> list[regions.PickerEntry]:
    # Counties without a start year, so any birth year is valid for them in stdnum's data.
    return [e for e in regions.picker_entries() if _valid_for(e.code12[:6], 1975)]


def _valid_for(code6: str, year: int) -> bool:
    body = f"{code6}{year}0101001"
    return ric.is_valid(body + ric.calc_check_digit(body + "0"))


def make_id(rng: random.Random, code6: str, birth: dt.date, male: bool) -> str:
    seq = rng.randrange(0, 500) * 2 + (1 if male else 0)
    body = f"{code6}{birth:%Y%m%d}{seq:03d}"
    return body + ric.calc_check_digit(body + "0")


def _name(rng: random.Random, surname: str | None = None) -> str:
    s = surname or rng.choice(SURNAMES)
    k = rng.choice((1, 2, 2))
    return s + "".join(rng.choice(GIVEN) for _ in range(k))


def _phone(rng: random.Random) -> str:
    return rng.choice(("13", "15", "17", "18", "19")) + f"{rng.randrange(10**9):09d}"


def _date(rng: random.Random, start: dt.date, end: dt.date) -> dt.date:
    return start + dt.timedelta(days=rng.randrange((end - start).days))


# What every generated pupil has in common (the fields above vary).
_USUAL = {
    "nationality": "中国", "id_type": "居民身份证", "gatqw": "否", "health": "健康或良好", "political_status": "群众",
    "enroll_mode": "就近入学", "postcode": "710061", "preschool": "是", "left_behind": "非留守儿童", "needs_aid": "否",
    "one_subsidy": "否", "orphan": "否", "martyr_child": "否", "school_bus": "否", "former_name": "", "id_validity": "",
    "blood_type": "", "specialty": "", "aux_roll_no": "", "student_source": "正常入学", "email": "", "homepage": "",
    "disability_type": "无残疾", "gov_funded_place": "否", "inclusive_class": "非随班就读", "migrant_child": "否",
}
_PARENTS = (("父亲", True, (26, 40)), ("母亲", False, (24, 38)))  # relation, male, age at the child's birth


def student(
    rng: random.Random,
    *,
    school_code: str = "2161010001",
    class_no: str = "20240101",
    entry_year: int = 2024,
    seat: int = 1,
    county: regions.PickerEntry | None = None,
) -> dict[str, str]:
    """One valid record of a pupil who entered 小学 in September of ``entry_year``."""
    place = county or rng.choice(_counties())
    male = rng.random() < 0.5
    birth = _date(rng, dt.date(entry_year - 7, 9, 1), dt.date(entry_year - 6, 8, 31))
    surname = rng.choice(SURNAMES)
    town = place.province + (place.city if place.city != place.province else "") + place.county
    home = f"{town}{rng.choice(STREETS)}{rng.randrange(1, 300)}号{rng.randrange(1, 20)}栋{rng.randrange(1, 6)}0{rng.randrange(1, 4)}室"
    boarding = rng.random() < 0.1
    rec = {
        "school_code": school_code,
        "name": _name(rng, surname),
        "gender": "男" if male else "女",
        "birth_date": f"{birth:%Y%m%d}",
        "birthplace_code": place.code12,
        "native_place": town,
        "ethnicity": "汉族" if rng.random() < 0.9 else rng.choice(("回族", "满族", "蒙古族", "壮族", "土家族")),
        "id_number": make_id(rng, place.code12[:6], birth, male),
        "hukou_type": rng.choice(("农业户口", "非农业户口")),
        "hukou_region_code": place.code12,
        "class_no": class_no,
        "enroll_ym": f"{entry_year}09",
        "study_mode": "住校" if boarding else "走读",
        "current_address": home,
        "mailing_address": home,
        "home_address": home,
        "phone": _phone(rng),
        "only_child": rng.choice(("是", "否")),
        "commute_km": f"{rng.randrange(1, 60) / 10:.1f}",
        "commute_mode": rng.choice(("步行", "家长自行接送", "公共交通（含城市公交、农村客运、地铁）")),
        "seat_no": f"{seat:02d}",
        **_USUAL,
    }
    for n, parent in enumerate(_PARENTS, start=1):
        rec |= _parent(rng, n, *parent, birth=birth, surname=surname, home=home, place=place, ethnicity=rec["ethnicity"])
    return rec


def _parent(rng: random.Random, n: int, relation: str, male: bool, years: tuple[int, int], *, birth: dt.date,
            surname: str, home: str, place: regions.PickerEntry, ethnicity: str) -> dict[str, str]:
    """Family member ``n``: a parent living with the child, a guardian, born ``years`` before it."""
    born = _date(rng, dt.date(birth.year - years[1], 1, 1), dt.date(birth.year - years[0], 1, 1))
    return {
        f"m{n}_name": _name(rng, surname if male else None),
        f"m{n}_relation": relation,
        f"m{n}_relation_note": "",
        f"m{n}_address": home,
        f"m{n}_hukou_region_code": place.code12,
        f"m{n}_phone": _phone(rng),
        f"m{n}_is_guardian": "是",
        f"m{n}_id_type": "居民身份证",
        f"m{n}_id_number": make_id(rng, place.code12[:6], born, male),
        f"m{n}_ethnicity": ethnicity,
        f"m{n}_employer": rng.choice(EMPLOYERS),
        f"m{n}_job_title": "",
    }


def class_roster(seed: int, size: int = 45, **kw: object) -> list[dict[str, str]]:
    """A class of ``size`` valid pupils, seats numbered from 1, all born in one county's region."""
    rng = random.Random(seed)
    county = rng.choice(_counties())
    out: list[dict[str, str]] = []
    seen: set[tuple[str, str]] = set()
    while len(out) < size:
        rec = student(rng, seat=len(out) + 1, county=county if rng.random() < 0.8 else None, **kw)  # type: ignore[arg-type]
        key = (rec["name"], rec["birth_date"])
        if key in seen or any(rec["id_number"] == r["id_number"] for r in out):
            continue
        seen.add(key)
        out.append(rec)
    return out


def school_roster(seed: int, classes: int, size: int) -> list[dict[str, str]]:
    """A school: ``classes`` classes of ``size`` pupils, class numbers 20240101, 20240102, …"""
    out: list[dict[str, str]] = []
    ids: set[str] = set()
    pairs: set[tuple[str, str]] = set()
    for c in range(classes):
        grade = c % 6
        for rec in class_roster(seed * 1000 + c, size, class_no=f"{2024 - grade}01{c // 6 + 1:02d}", entry_year=2024 - grade):
            if rec["id_number"] in ids or (rec["name"], rec["birth_date"]) in pairs:
                continue
            ids.add(rec["id_number"])
            pairs.add((rec["name"], rec["birth_date"]))
            out.append(rec)
    return out
