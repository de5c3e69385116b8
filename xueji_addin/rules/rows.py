"""Row rules: required and conditionally required fields, and fields that must agree (rules.md §1–§8)."""

from __future__ import annotations

from xueji_addin.rules import ids
from xueji_addin.rules.codes import ALIAS
from xueji_addin.rules.context import Context
from xueji_addin.rules.dates import parse_ym, parse_ymd
from xueji_addin.rules.findings import ERROR, WARNING, Issue, rule
from xueji_addin.spec.columns import Required
from xueji_addin.rules.registry import Scope, checks
from xueji_addin.spec.profiles import Role

REQUIRED = rule("XJ101", ERROR, "cell", "必填项为空")
MEMBER2 = rule("XJ102", WARNING, "cell", "第二位家庭成员的必填项为空（设置要求两位成员时为错误）")
CONDITIONAL = rule("XJ103", ERROR, "cell", "按其他列的内容，此项必须填写")
NO_ID_MEMBER = rule("XJ104", ERROR, "cell", "学生没有身份证件号时，家庭成员的证件类型和号码必填")
ID_BIRTH = rule("XJ305", ERROR, "row", "出生日期与身份证号中的出生日期不一致")
ID_SEX = rule("XJ306", ERROR, "row", "性别与身份证号第17位的奇偶不一致")
BIRTHPLACE_ID = rule("XJ603", WARNING, "row", "出生地行政区划代码与身份证号前6位不同")
AGE = rule("XJ404", WARNING, "row", "按出生日期和入学年月算出的年龄不合常理")
ENROLL_BEFORE_BIRTH = rule("XJ408", ERROR, "row", "入学年月早于出生日期")

_STUDENT_ID = ("id_type", "id_number")
MEMBERS = (1, 2)


def _member_keys(n: int, suffix: str) -> str:
    return f"m{n}_{suffix}"


def _blank_rows(ctx: Context, *keys: str) -> list[int]:
    """The rows where any of the columns is empty, in order (most rows have every field filled)."""
    rows: set[int] = set()
    for key in keys:
        rows.update(ctx.rows_with(key, _BLANK))
    return sorted(rows)


_BLANK = {""}


@checks(Scope.ROW, roles=(Role.STUDENTS,), emits=("XJ101", "XJ102", "XJ103", "XJ104"),
        reads=("id_number", "id_type", "m1_id_number", "m1_id_type"))
def required(ctx: Context) -> None:
    profile = ctx.roster.profile
    two = ctx.settings.two_members_required
    member2 = [c for c in profile.columns if c.required is Required.MEMBER2 and ctx.has(c.key)]
    for col in profile.columns:
        if col.required is not Required.YES or not ctx.has(col.key):
            continue
        rows = ctx.rows_with(col.key, _BLANK)
        if not rows:
            continue
        issue = Issue(REQUIRED, "必填项为空", _hint(col.help))
        for i in rows:
            ctx.add(issue, i, col.key)
    if member2:
        m2_all = [c.key for c in profile.columns if c.member == 2]
        columns = [ctx.v(c.key) for c in member2]
        for i in _blank_rows(ctx, *(c.key for c in member2)):
            starred = [values[i] for values in columns]
            empty = [c for c, text in zip(member2, starred) if not text]
            if len(empty) == len(member2) and not any(ctx.v(k)[i] for k in m2_all) and not two:
                ctx.add(Issue(MEMBER2, "未填写第二位家庭成员或监护人", "国家要求填写两位家庭成员；确实只有一位时可不填"), i, member2[0].key)
                continue
            for c in empty:
                sev = ERROR if two else WARNING
                ctx.add(Issue(MEMBER2, "第二位家庭成员的此项为空", _hint(c.help), severity=sev), i, c.key)
    _conditional(ctx)


def _hint(help_text: str) -> str:
    return ("请填写：" + help_text) if help_text else "请填写此项"


def _conditional(ctx: Context) -> None:
    # Each rule looks only at the rows where it can apply: an empty number, a relation of 其他 …
    id_types = ctx.names("id_type")
    if ctx.has("id_number"):
        for i in ctx.rows_with("id_number", _BLANK):
            t = id_types[i]
            if t and t != ids.NO_ID:
                ctx.add(Issue(CONDITIONAL, f"证件类型为“{t}”，证件号必须填写", "填写证件号；确实没有证件时把证件类型改为“其他”"), i, "id_number")
    for n in MEMBERS:
        rel, note = _member_keys(n, "relation"), _member_keys(n, "relation_note")
        if ctx.has(rel) and ctx.has(note):
            notes = ctx.v(note)
            for i in ctx.rows_with(rel, {"其他"}, names=True):
                if not notes[i]:
                    ctx.add(Issue(CONDITIONAL, "关系选了“其他”，须说明具体关系", "如 舅舅、姑姑、养父"), i, note)
        tkey, nkey = _member_keys(n, "id_type"), _member_keys(n, "id_number")
        if ctx.has(tkey) and ctx.has(nkey):
            types, numbers = ctx.names(tkey), ctx.v(nkey)
            for i in _blank_rows(ctx, tkey, nkey):
                t, num = types[i], numbers[i]
                if t and t != ids.NO_ID and not num:
                    ctx.add(Issue(CONDITIONAL, f"已选证件类型“{t}”，证件号必须填写", "填写证件号，或清空证件类型"), i, nkey)
                elif num and not t:
                    ctx.add(Issue(CONDITIONAL, "填了证件号，须同时选择证件类型", "从下拉列表选择证件类型"), i, tkey)
    # A student without an ID number: at least one member's ID type and number (填报说明 item 6).
    for i in ctx.rows_with("id_type", {ids.NO_ID}, names=True):
        if ctx.v("id_number")[i]:
            continue
        if any(ctx.v(_member_keys(n, "id_type"))[i] and ctx.v(_member_keys(n, "id_number"))[i] for n in MEMBERS):
            continue
        for key in ("m1_id_type", "m1_id_number"):
            if ctx.has(key) and not ctx.v(key)[i]:
                ctx.add(Issue(NO_ID_MEMBER, "学生没有身份证件号，家庭成员的证件类型和号码必须填写", "填写成员1（或成员2）的证件类型和证件号"), i, key)


_HUKOU_BOOK = frozenset({"户口簿", "户口薄"})  # refused as a type (codes/aliases.csv), yet it holds a 居民身份证号


def _hukou_book(ctx: Context) -> None:
    """身份证件类型 户口簿 with a valid 居民身份证号: the certain fix is 居民身份证."""
    for key in ("id_number", "m1_id_number", "m2_id_number"):
        type_key, infos = key.replace("id_number", "id_type"), ctx.ric.get(key)
        if not infos or not ctx.has(type_key):
            continue
        for i in ctx.rows_with(type_key, _HUKOU_BOOK):
            if infos[i] is not None and ctx.v(key)[i][:2] not in ids.PERMIT_PREFIXES:
                ctx.add(Issue(ALIAS, "证件号是有效的居民身份证号（户口簿上的公民身份号码就是居民身份证号）",
                              "证件类型改为“居民身份证”", fix=ids.RIC), i, type_key)


@checks(Scope.ROW, roles=(Role.STUDENTS,), emits=("XJ305", "XJ306", "XJ603"),
        reads=("birth_date", "birthplace_code", "gender", "id_number"))
def id_agreement(ctx: Context) -> None:
    """居民身份证: digits 7–14 = 出生日期, digit 17 parity = 性别, digits 1–6 ≈ 出生地."""
    _hukou_book(ctx)
    infos = ctx.ric.get("id_number")
    if not infos:
        return
    births, sexes, places = ctx.v("birth_date"), ctx.names("gender"), ctx.v("birthplace_code")
    numbers = ctx.v("id_number")
    for i, info in enumerate(infos):
        if info is None:
            continue
        b = births[i]
        if b != info.birth and parse_ymd(b):
            ctx.add(
                Issue(ID_BIRTH, f"出生日期与身份证号中的 {info.birth} 不一致", f"对照户口簿核对；若身份证号无误，出生日期改为 {info.birth}"),
                i, "birth_date",
            )
        sex = sexes[i]
        if (sex == "男") != info.male and sex in ("男", "女"):
            want = "男" if info.male else "女"
            ctx.add(Issue(ID_SEX, f"身份证号第17位表示“{want}”，与性别“{sex}”不一致", "核对性别和身份证号"), i, "gender")
        place = places[i]
        if place[:6] != numbers[i][:6] and len(place) == 12 and place.isdigit():
            ctx.add(Issue(BIRTHPLACE_ID, "与身份证号前6位的地区不同", "出生后迁过户口的可以不改；否则请核对"), i, "birthplace_code")


@checks(Scope.ROW, roles=(Role.STUDENTS,), emits=("XJ404", "XJ408"), reads=("birth_date", "enroll_ym", "school_code"))
def dates_agree(ctx: Context) -> None:
    if not (ctx.has("birth_date") and ctx.has("enroll_ym")):
        return
    stage = ctx.settings.effective_stage(next((s for s in ctx.v("school_code") if s), None))
    seen: set[tuple[str, str]] = set()  # pairs known to pass: a class shares few of them
    for i, (b, e) in enumerate(zip(ctx.v("birth_date"), ctx.v("enroll_ym"))):
        if (b, e) in seen:
            continue
        born, ym = parse_ymd(b), parse_ym(e)
        found = len(ctx.findings)
        if not (born and ym):
            continue
        if ym <= (born.year, born.month):
            ctx.add(Issue(ENROLL_BEFORE_BIRTH, "入学年月不晚于出生日期", "核对入学年月和出生日期"), i, "enroll_ym")
            continue
        age = ym[0] - born.year - (1 if ym[1] < born.month else 0)
        lo, hi = _AGE_AT_ENTRY.get(stage or "", (3, 25))
        if not lo <= age <= hi:
            where = f"{stage}入学" if stage else "入学"
            ctx.add(Issue(AGE, f"按出生日期和入学年月，{where}时{age}岁，通常为{lo}-{hi}岁", "核对出生日期和入学年月（入学年月是进入本学段一年级的年月）"), i, "enroll_ym")
        if len(ctx.findings) == found:
            seen.add((b, e))


# Age at entry to the stage's first grade (rules.md §2.1), with a year's margin either side.
_AGE_AT_ENTRY = {"小学": (5, 9), "初中": (10, 15), "高中": (13, 18)}
