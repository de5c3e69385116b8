"""Synthetic but valid records of the 学校/校区/班级/教师 tables, matching ``synth.school_roster``.

Every record passes every rule of its table (tests hold it to that); tests then put mistakes in on
purpose. Names and numbers are invented.
"""

from __future__ import annotations

import datetime as dt
import random

from xueji_addin import synth
from xueji_addin.spec.codes import TABLES_PREFIX, code_table

SCHOOL_CODE = "2161010001"  # 21 小学, 61 陕西 — the default of synth.student
ADMIN = "610113"  # 陕西省西安市雁塔区


def school(*, school_code: str = SCHOOL_CODE, name: str = "雁塔区实验小学") -> dict[str, str]:
    """The one row of a 小学's 学校基本信息表 (六三制)."""
    return {
        "school_code": school_code, "school_name": name, "school_name_en": "无",
        "school_address": "陕西省西安市雁塔区长安路88号", "admin_division_code": ADMIN, "postcode": "710061",
        "school_type": "小学", "school_founder": "县级教育部门", "supervising_dept": "县级教育部门",
        "school_ownership": "公办", "urban_rural_type": "主城区", "economic_attribute": "非贫困县",
        "ethnic_autonomy": "否", "principal_name": "王建国", "principal_mobile": "13912345678",
        "office_phone": "029-88886666", "fax": "", "email": "office@example.com", "homepage": "www.example.com",
        "primary_years": "6", "primary_entry_age": "6", "junior_years": "", "junior_entry_age": "", "senior_years": "",
        "main_teaching_language": "汉语", "aux_teaching_language": "", "org_code": "无", "legal_person_cert_no": "无",
        "land_ownership": "国有划拨", "land_cert_no": "无", "boarding_mode": "走读", "founded_ym": "195609",
        "anniversary": "9月1日", "history": "", "enrollment_radius": "长安路街道",
    }


def campuses(n: int = 2, *, school_code: str = SCHOOL_CODE) -> list[dict[str, str]]:
    names = ["本部", "东校区", "西校区", "南校区", "北校区"]
    return [{
        "school_code": school_code, "campus_no": f"{k + 1:02d}", "campus_name": f"雁塔区实验小学{names[k % 5]}{'' if k < 5 else k}",
        "campus_address": f"陕西省西安市雁塔区长安路{88 + k}号", "campus_admin_division_code": ADMIN,
        "campus_postcode": "710061", "campus_phone": f"029-8888{6666 + k}", "campus_fax": "", "campus_head": "李明",
        "campus_email": "",
    } for k in range(n)]


def class_no(c: int) -> str:
    """The 班号 of class ``c`` in ``synth.school_roster`` (grade c % 6, one more class every 6)."""
    grade = c % 6
    return f"{2024 - grade}01{c // 6 + 1:02d}"


def classes(n: int, *, school_code: str = SCHOOL_CODE, teachers: list[dict[str, str]] | None = None) -> list[dict[str, str]]:
    """The 班级信息表 rows of ``synth.school_roster(…, classes=n, …)`` in the school year 2024/25."""
    grades = [g for g in code_table(TABLES_PREFIX + "NJ").names][:6]
    out = []
    for c in range(n):
        grade = c % 6
        head = teachers[c % len(teachers)] if teachers else None
        out.append({
            "school_code": school_code, "campus_no": "", "grade": grades[grade], "class_no": class_no(c),
            "class_name": f"{grades[grade]}（{c // 6 + 1}）班", "class_start_ym": f"{2024 - grade}09", "class_years": "6",
            "head_teacher_staff_no": head["staff_no"] if head else "", "head_teacher_name": head["name"] if head else "",
            "monitor_student_no": "", "class_honor": "", "class_type": "普通小学班", "arts_science": "",
            "graduation_date": f"{2024 - grade + 6}0630", "is_bilingual_class": "否", "bilingual_mode": "",
            "is_multigrade": "否",
        })
    return out


def teachers(seed: int, n: int) -> list[dict[str, str]]:
    """``n`` valid staff records: in 编, with 教职工号 T001…"""
    rng = random.Random(seed)
    county = synth._counties()[rng.randrange(len(synth._counties()))]
    out: list[dict[str, str]] = []
    ids: set[str] = set()
    while len(out) < n:
        male = rng.random() < 0.4
        birth = synth._date(rng, dt.date(1966, 1, 1), dt.date(1998, 12, 31))
        number = synth.make_id(rng, county.code12[:6], birth, male)
        if number in ids:
            continue
        ids.add(number)
        start = (birth.year + 22 + rng.randrange(0, 3), 9)
        joined = (min(start[0] + rng.randrange(0, 10), 2025), 9)
        out.append({
            "name": synth._name(rng), "former_name": "", "gender": "男" if male else "女", "staff_no": f"T{len(out) + 1:03d}",
            "nationality": "中国", "id_type": "居民身份证", "id_number": number, "birth_date": birth.isoformat(),
            "native_place": county.province, "birthplace": county.province + county.county, "ethnicity": "汉族",
            "political_status": rng.choice(("中共党员", "群众", "群众")), "marital_status": rng.choice(("未婚", "初婚", "初婚")),
            "health": "健康或良好", "work_start": f"{start[0]}-{start[1]:02d}", "joined_school": f"{joined[0]}-{joined[1]:02d}",
            "staff_source": "录用毕业生", "staff_category": "专任教师", "on_establishment": "是", "employment_form": "",
            "contract_status": "聘用合同", "fulltime_normal_grad": "是", "special_ed_trained": "否", "special_ed_cert": "否",
            "it_ability": "熟练", "free_normal_student": "否", "grassroots_service": "否", "grassroots_start": "",
            "grassroots_end": "", "master_teacher": "否", "backbone_teacher": rng.choice(("是", "否")),
            "mental_health_teacher": "否", "staff_status": "在岗", "remark": "",
        })
    return out
