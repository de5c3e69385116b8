"""The rule engine: a roster in, findings out. Nothing here touches a file or Excel.

Each column's *distinct* values are checked once and the verdicts mapped back to rows (most
columns hold a handful of values); columns of per-student values (names, phones, ID numbers) are
tested in one regex pass over the joined column instead. Row and roster rules then run on the
normalised texts, visiting only the rows where they can fire where the distinct values tell.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection
from pathlib import PurePath

from xueji_addin.gc_pause import gc_paused
from xueji_addin.rules import ids, sheet  # noqa: F401 (sheet: catalogue)
from xueji_addin.rules.cells import SEP, CellCheck, cell_checker, column_pattern, fast_check, fast_pattern
from xueji_addin.rules.context import Context, positions
from xueji_addin.rules.findings import ERROR, WARNING, Finding, Issue, Severity, rule
from xueji_addin.rules.roster import Roster
from xueji_addin.rules.registry import Scope, run_list
from xueji_addin.rules.reuse import record, reusable, taken
from xueji_addin.spec.codes import code_table
from xueji_addin.spec.columns import Kind
from xueji_addin.spec.settings import Settings

HEADER = rule("XJ001", ERROR, "table", "表头与模板不一致（缺列、多列、改名或顺序不同）")
SHEET_NAME = rule("XJ003", WARNING, "table", "工作表名称与模板不同")
NO_DATA = rule("XJ004", WARNING, "table", "表中没有学生数据")
HEADER_NEAR = rule("XJ005", WARNING, "table", "列名与模板的写法略有不同（全角符号、空格、单位或一个字），已按模板的列读取")

# Kinds whose values differ from student to student: a set of them costs more than the checks.
_PER_PERSON = frozenset({Kind.PERSON_NAME, Kind.PHONE, Kind.ID_NUMBER})
NOT_TEXT = "\x01"  # stands for a value that is not text when a column is joined: no fast pattern matches it

def check(roster: Roster, settings: Settings | None = None) -> list[Finding]:
    """Every finding for the roster, in sheet order (row, then column)."""
    return sort_findings(checked(roster, settings).findings, roster)


def checked(roster: Roster, settings: Settings | None = None, earlier: Context | None = None) -> Context:
    """The context of a full check: its findings (unsorted) and the normalised texts, which the
    cross-table checks reuse instead of normalising the roster a second time. ``earlier``: a
    check of the same table before some of its columns were replaced (reuse.py)."""
    ctx = Context(roster, settings or Settings())
    with gc_paused():  # thousands of small objects per column, none of them garbage
        _run(ctx, reusable(ctx, earlier))
    return ctx


def _run(ctx: Context, earlier: Context | None = None) -> None:
    _table(ctx)
    _cells(ctx, earlier=earlier)
    profile = ctx.roster.profile
    for scope in (Scope.ROW, Scope.ROSTER):
        for record in run_list(profile, scope):
            record.fn(ctx)


def normalised(roster: Roster, settings: Settings | None = None, keys: Collection[str] | None = None) -> Context:
    """The normalised texts without the row rules (for readers of clean values: print, export);
    only the columns ``keys`` when given (the others read as blank): a count of a few columns
    need not normalise all 71."""
    ctx = Context(roster, settings or Settings())
    _cells(ctx, keys)
    return ctx


def sort_findings(findings: list[Finding], roster: Roster) -> list[Finding]:
    order = {c.key: c.order for c in roster.profile.columns}
    by_header = {c.header: order[c.key] for c in roster.profile.columns}
    return sorted(findings, key=lambda f: (f.row or 0, by_header.get(f.header or "", 0), f.code))


def _table(ctx: Context) -> None:
    r = ctx.roster
    sheet, hrow = r.sheet, r.header.header_row
    ctx.findings.extend(r.read_findings)
    for kind, sentence in r.header.differences():
        ctx.findings.append(Finding(code=HEADER, severity=ERROR, sheet=sheet, row=hrow, column=None, header=None,
                                    message=sentence, suggestion=_header_hint(kind, r.source)))
    for c, written, letter in r.header.near_columns():
        ctx.findings.append(Finding(code=HEADER_NEAR, severity=WARNING, sheet=sheet, row=hrow, column=letter, header=c.header,
                                    message=f"列名写作“{written}”，与模板列名“{c.header}”不完全相同，已按“{c.header}”读取；全国学籍系统导入时可能不认",
                                    suggestion=f"把列名改为“{c.header}”（自动修正会改）", fix=c.header))
    if r.sheet_named and r.sheet != r.profile.sheet_name:
        ctx.findings.append(Finding(code=SHEET_NAME, severity=WARNING, sheet=sheet, row=None, column=None, header=None,
                                    message=f"工作表名称是“{r.sheet}”，模板为“{r.profile.sheet_name}”",
                                    suggestion=f"把工作表改名为“{r.profile.sheet_name}”后再导入"))
    if not r.rows:
        noun = r.profile.noun
        ctx.findings.append(Finding(code=NO_DATA, severity=WARNING, sheet=sheet, row=None, column=None, header=None,
                                    message=f"表中没有{noun}数据", suggestion=f"从第2行起逐行填写{noun}信息"))


def _header_hint(kind: str, source: str | None) -> str:
    """Columns in another order need no retyping: ``xueji import`` puts them back by name."""
    if kind == "moved":
        name = PurePath(source).name if source else "原文件.xlsx"
        return f"运行 xueji import {name} --out 按模板排好.xlsx，按列名把各列放回模板的顺序（原文件不会被修改）"
    return "按模板恢复表头：列名、列数和顺序都不能改"


def _cells(ctx: Context, keys: Collection[str] | None = None, earlier: Context | None = None) -> None:
    r = ctx.roster
    profile = r.profile
    columns = list(r.cells) if keys is None else [k for k in r.cells if k in keys]
    # Columns with the same check (five address columns, four phone columns…) are checked together,
    # each distinct value once; only values that fail the fast test get the full check.
    groups: dict[tuple[object, ...], list[str]] = {}
    for key in columns:
        col = profile.by_key[key]
        groups.setdefault((col.kind, col.code_table, col.max_length), []).append(key)
    for group in groups.values():
        fresh = [k for k in group if not taken(ctx, earlier, "cells", k)]
        if not fresh:
            continue
        since = len(ctx.findings)
        col = profile.by_key[fresh[0]]
        check_one = cell_checker(col, ctx.settings)
        one = fast_pattern(col, ctx.settings) if col.kind in _PER_PERSON else None
        if one is not None:
            _cells_by_pattern(ctx, fresh, check_one, one)
        else:
            _cells_by_distinct(ctx, fresh, check_one, fast_check(col, ctx.settings))
        record(ctx, "cells", fresh, since)
    for key in columns:
        if profile.by_key[key].kind is Kind.ID_NUMBER and not taken(ctx, earlier, "ids", key, (_type_key(key),)):
            since = len(ctx.findings)
            _ids(ctx, key)
            record(ctx, "ids", [key], since)


def _cells_by_pattern(ctx: Context, keys: list[str], check_one: CellCheck, one: re.Pattern[str]) -> None:
    """Columns of names, phones and ID numbers: as many different values as students, where a set
    and a Python call per distinct value cost more than one regex pass over the joined column."""
    done: dict[object, tuple[str, list[Issue]]] = {}  # raw value → full check, across the group
    run = column_pattern(one)
    for k in keys:
        raw_values = ctx.roster.cells[k]
        texts = raw_values
        failing, filled = _failing(raw_values, run, one.fullmatch)
        for i in failing:
            raw = raw_values[i]
            try:
                text, issues = done[raw]
            except KeyError:
                text, issues = done[raw] = check_one(raw)
            except TypeError:  # an unhashable value from an unusual reader
                text, issues = check_one(raw)
            if text is not raw:
                if texts is raw_values:
                    texts = list(raw_values)
                texts[i] = text
            filled = filled and text != ""
            for issue in issues:
                ctx.add(issue, i, k)
        ctx.put(k, texts, filled=filled)  # type: ignore[arg-type]  # every value left as it was is clean text


def _failing(values: list[object], run: re.Pattern[str], one: Callable[[str], object]) -> tuple[list[int], bool]:
    """The indexes of the values that fail the column's fast pattern (in order), and whether no
    value is blank text: ``run`` matches the joined values up to the first failing one; each
    failure costs one step of Python. The blanks show in the joined text (SEP at its start or two
    SEPs together), which spares the row rules a pass to look for them (most columns have none)."""
    try:
        joined = SEP.join(values)  # type: ignore[arg-type]
    except TypeError:  # numbers, dates, None: not text, so they fail (NOT_TEXT matches no pattern)
        joined = SEP.join([v if v.__class__ is str else NOT_TEXT for v in values])  # type: ignore[misc]
    joined += SEP
    if joined.count(SEP) != len(values):  # a value holds SEP itself: test value by value
        failing = [i for i, v in enumerate(values) if v.__class__ is not str or not one(v)]  # type: ignore[arg-type]
        return failing, "" not in values
    filled = not joined.startswith(SEP) and SEP + SEP not in joined
    failing: list[int] = []
    pos = index = 0
    end = len(joined)
    match = run.match
    while (stop := match(joined, pos).end()) != end:  # type: ignore[union-attr]  # matches at least ""
        index += joined.count(SEP, pos, stop)
        failing.append(index)
        pos = joined.index(SEP, stop) + 1
        index += 1
    return failing, filled


def _cells_by_distinct(ctx: Context, keys: list[str], check_one: CellCheck, fast: Callable[[str], bool] | None) -> None:
    """Columns of codes, dates, regions, addresses …: values that repeat, each distinct one checked once."""
    r = ctx.roster
    try:
        distinct_by_key = {k: set(r.cells[k]) for k in keys}
    except TypeError:  # an unhashable value from an unusual reader: check cell by cell
        for k in keys:
            _cells_one_by_one(ctx, k, check_one)
        return
    changed: dict[object, tuple[str, list[Issue]]] = {}
    for raw in set().union(*distinct_by_key.values()):
        if fast is not None and raw.__class__ is str and fast(raw):
            continue
        res = check_one(raw)
        if res[1] or res[0] is not raw:
            changed[raw] = res
    for k, distinct in distinct_by_key.items():
        raw_values = r.cells[k]
        if not changed or distinct.isdisjoint(changed):
            ctx.put(k, raw_values, distinct)  # type: ignore[arg-type]  # every value is clean text
            continue
        texts = list(raw_values)
        for i in positions(raw_values, changed):
            text, issues = changed[raw_values[i]]
            texts[i] = text
            for issue in issues:
                ctx.add(issue, i, k)
        ctx.put(k, texts, {changed[v][0] if v in changed else v for v in distinct})  # type: ignore[misc]


def _cells_one_by_one(ctx: Context, key: str, check_one: "CellCheck") -> None:
    results = [check_one(raw) for raw in ctx.roster.cells[key]]
    ctx.put(key, [t for t, _ in results])
    for i, (_, issues) in enumerate(results):
        for issue in issues:
            ctx.add(issue, i, key)


def _type_key(key: str) -> str:
    """The document-type column of an ID column (its check depends on it)."""
    return key.replace("id_number", "id_type")


def _ids(ctx: Context, key: str) -> None:
    """ID numbers depend on the row's document type, so they are cached per (type, value)."""
    type_key = _type_key(key)
    types = ctx.names(type_key) if ctx.has(type_key) else [""] * len(ctx.roster)
    table = code_table("SFZJLX")
    member = key != "id_number"
    raw_values = ctx.roster.cells[key]
    texts = ctx.values[key]
    # Most rows: a valid resident ID, settled by the fast test; the others (foreign documents,
    # blanks, numbers it rejects) get the full check, cached per (type, value).
    infos: list[ids.RicInfo | None] = list(map(ids.ric_of_shape, _ric_shaped(texts)))
    ric = ids.RIC
    cache: dict[tuple[str, str, bool], tuple[list[Issue], ids.RicInfo | None]] = {}
    fixed: dict[int, str] = {}
    # check_id reads a number under any type but the foreign ones as a resident ID, so a valid one
    # needs no second look there either (unless Excel stored it as a number, whose digits now read
    # as an ID's: check_id says it is damaged).
    foreign = ids.FOREIGN_TYPES
    slow = [i for i, (t, info) in enumerate(zip(types, infos))
            if info is None or raw_values[i].__class__ is float or (t != ric and t in foreign)]
    for i in slow:
        t = types[i]
        id_type = t if t in table else ""
        raw = raw_values[i]
        ck = (id_type, texts[i], raw.__class__ is float)
        try:
            issues, info = cache[ck]
        except KeyError:
            issues, info = cache[ck] = ids.check_id(texts[i], raw, id_type, member=member)
        infos[i] = info
        for issue in issues:
            ctx.add(issue, i, key)
            if issue.code == ids.LOWER_X and issue.fix:
                fixed[i] = issue.fix
    if fixed:
        texts = list(texts)
        for i, fix in fixed.items():
            texts[i] = fix
        ctx.put(key, texts, filled=ctx.filled(key))  # a fixed x is no blank
    ctx.ric[key] = infos


_RIC_ONE = re.compile(ids.RIC_SHAPE, re.ASCII).fullmatch
_RIC_RUN = column_pattern(re.compile(ids.RIC_SHAPE, re.ASCII), blanks=False)  # a blank is no resident ID


def _ric_shaped(texts: list[str]) -> list[str]:
    """The column with blanks and numbers not of the resident-ID shape replaced by a stand-in that
    is never valid: one regex pass for the shape instead of one per row."""
    shaped = list(texts)
    for i in _failing(texts, _RIC_RUN, _RIC_ONE)[0]:
        shaped[i] = ids.NOT_A_RIC
    return shaped


def summary(findings: list[Finding]) -> dict[str, object]:
    by_code: dict[str, int] = {}
    for f in findings:
        by_code[f.code] = by_code.get(f.code, 0) + 1
    return {
        "errors": sum(1 for f in findings if f.severity is Severity.ERROR),
        "warnings": sum(1 for f in findings if f.severity is Severity.WARNING),
        "by_code": dict(sorted(by_code.items())),
    }
