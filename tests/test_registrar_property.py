"""Property tests: split then merge gives back the school roster; export then read gives back its values as text."""

from __future__ import annotations

import tempfile
from pathlib import Path

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from tests.registrar_files import HEADERS, KEYS, rows_of, write_file
from xueji_addin import synth
from xueji_addin.actions.export import export_rows, write_export
from xueji_addin.actions.pipeline import check_source
from xueji_addin.actions.merge import Merger, write_merged
from xueji_addin.actions.split import roster_layout, split_to_files
from xueji_addin.spec.settings import Settings
from xueji_addin.spec.headers import find_header
from xueji_addin.workbook.layout import plan_layout
from xueji_addin.workbook.reader import read_roster, read_sheets

# Any text a teacher may type in a free-text column (control characters cannot be stored in .xlsx).
TEXT = st.text(st.characters(blacklist_categories=("Cc", "Cs", "Cn")), max_size=12)
FREE_TEXT = ["specialty", "m1_employer", "m2_job_title", "former_name", "aux_roll_no"]


def _roster(seed: int, classes: int, size: int, texts: list[str], order: list[int]) -> list[list[object]]:
    rows = rows_of([dict(r) for r in synth.school_roster(seed, classes, size)])
    for n, t in enumerate(texts):
        rows[n % len(rows)][KEYS.index(FREE_TEXT[n % len(FREE_TEXT)])] = t
    # Any order of the rows, classes interleaved or not.
    ranked = sorted(range(len(rows)), key=lambda i: order[i % len(order)] if order else 0)
    return [rows[i] for i in ranked]


def _template_rows(path: Path) -> list[list[object]]:
    sheet = next(s for s in read_sheets(path) if s.name == "学生基础信息")
    layout = plan_layout(sheet, find_header(sheet.rows, [read_roster(path).profile]))
    return [layout.template_row(i) for i in range(len(layout))]


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(seed=st.integers(0, 10_000), classes=st.integers(1, 4), size=st.integers(1, 4),
       texts=st.lists(TEXT, max_size=6), order=st.lists(st.integers(0, 3), max_size=8))
@example(seed=1, classes=3, size=2, texts=["=SUM(A1:A9)", " 前后有空格 ", "-5", "@x", "0012", "a&b<c>"], order=[2, 0, 1])
def test_split_then_merge_gives_back_the_same_rows_values_and_order(seed, classes, size, texts, order):
    rows = _roster(seed, classes, size, texts, order)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        school = write_file(folder / "school.xlsx", HEADERS, rows)
        source = _template_rows(school)
        layout = roster_layout(read_sheets(school), school.name)
        out = folder / "classes"
        out.mkdir()
        files = split_to_files(layout, out)
        merger = Merger()
        for f in files:  # in the order split wrote them: classes in order of first appearance
            merger.add(f.path.name, read_sheets(f.path))
        res = merger.finish(Settings())
        write_merged(res, folder / "merged.xlsx")
        back = _template_rows(folder / "merged.xlsx")
    # Rows of one class stay together, classes in order of first appearance, rows in order within a class.
    cls = KEYS.index("class_no")
    first_seen = {r[cls]: None for r in source}
    expected = [r for c in first_seen for r in source if r[cls] == c]
    assert back == expected
    assert res.rows_read == res.rows_written == len(source)
    assert sum(f.rows for f in files) == len(source)


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(seed=st.integers(0, 10_000), size=st.integers(0, 6), texts=st.lists(TEXT, max_size=6),
       max_rows=st.one_of(st.none(), st.integers(1, 4)))
@example(seed=1, size=5, texts=["=SUM(A1:A9)", " 前后有空格 ", "-5", "@x", "0012"], max_rows=2)
def test_export_then_read_gives_back_the_same_values_as_text(seed, size, texts, max_rows):
    rows = _roster(seed, 1, max(size, 1), texts, [])[:size]
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        src = write_file(folder / "class.xlsx", HEADERS, rows)
        exp = export_rows(check_source(src, Settings()).students(), Settings())
        kept = export_rows(check_source(src, Settings(), keep_contexts=True).students(), Settings())  # as xueji export
        assert kept.rows == exp.rows  # the check's kept texts are the texts normalised anew
        written = write_export(exp, folder / "out.xlsx", max_rows=max_rows)
        back: list[list[object]] = []
        for path, n in written:
            sheets = read_sheets(path)
            assert [s.name for s in sheets] == ["学生基础信息"]
            assert sheets[0].rows[0] == HEADERS
            body = [r for r in sheets[0].rows[1:] if any(v != "" for v in r)]
            assert len(body) == n
            back += [[("" if v is None else v) for v in r] + [""] * (len(HEADERS) - len(r)) for r in body]
    assert all(isinstance(v, str) for r in back for v in r)
    assert back == exp.rows
    # What the file held, as text: untouched values come back exactly; typed text only loses the
    # edge spaces and invisible characters the importer itself would strip.
    for got, raw in zip(back, rows):
        for k, (g, v) in enumerate(zip(got, raw)):
            if KEYS[k] not in FREE_TEXT:
                assert g == v


@settings(max_examples=200, deadline=None)
@given(data=st.data(), own=st.sampled_from(["student_A", "student_B"]), into=st.sampled_from([None, "student_A", "student_B"]))
def test_a_row_in_the_template_order_is_each_column_by_its_key(data, own, into):
    """template_row (a getter built once per target) takes each column from where the sheet has it,
    None where the sheet lacks it or the row is shorter, for any mapping and row length."""
    from xueji_addin.spec.headers import HeaderMatch
    from xueji_addin.spec.profiles import load_profile
    from xueji_addin.workbook.layout import Layout
    from xueji_addin.workbook.sheets import Sheet

    profile = load_profile(own)
    keys = data.draw(st.lists(st.sampled_from([c.key for c in profile.columns]), unique=True, max_size=len(profile.columns)))
    places = data.draw(st.lists(st.integers(0, 90), min_size=len(keys), max_size=len(keys), unique=True))
    cells = data.draw(st.lists(st.lists(st.one_of(st.none(), st.text(max_size=2), st.integers()), max_size=95), max_size=5))
    index = dict(zip(keys, places))
    layout = Layout(Sheet("s", []), HeaderMatch(profile, 1, index), index, [], list(range(2, 2 + len(cells))), cells)
    target = load_profile(into) if into else None
    for _ in range(2):  # the getter made on first use gives the same the second time
        for i, row in enumerate(cells):
            columns = (target or profile).columns
            assert layout.template_row(i, target) == [row[index[c.key]] if c.key in index and index[c.key] < len(row) else None
                                                       for c in columns]


@settings(max_examples=150, deadline=None)
@given(data=st.data(), own=st.sampled_from(["student_A", "student_B"]), by=st.sampled_from(["班号", "年级"]))
def test_split_groups_rows_by_the_text_of_each_value(data, own, by):
    """group_rows works out each distinct value's text once; the groups are those of text_of on every
    row (1, 1.0, True and "1" each by its own text; a value of another type never takes another's)."""
    from xueji_addin.actions.split import NO_CLASS, grade_of, group_rows, text_of
    from xueji_addin.spec.headers import HeaderMatch
    from xueji_addin.spec.profiles import load_profile
    from xueji_addin.workbook.layout import Layout
    from xueji_addin.workbook.sheets import Sheet

    profile = load_profile(own)
    keys = [*profile.class_keys, "enroll_ym"]
    index = {k: j for j, k in enumerate(keys)}
    value = st.one_of(st.none(), st.sampled_from(["", "20240101", "２０２４０１０１", " 20240102 ", "202409", "1", "01"]),
                      st.sampled_from([1, 1.0, True, 20240101, 20240101.0, 202409.0, False, 0]), st.text(max_size=3))
    cells = data.draw(st.lists(st.lists(value, max_size=len(keys)), max_size=12))
    layout = Layout(Sheet("s", []), HeaderMatch(profile, 1, index), index, [], list(range(2, 2 + len(cells))), cells)
    expected: dict[str, list[int]] = {}
    for i, row in enumerate(cells):
        texts = [text_of(row[index[k]], profile.by_key[k].kind) if index[k] < len(row) else "" for k in profile.class_keys]
        class_no = "".join(texts) if all(texts) else ""
        ym = text_of(row[index["enroll_ym"]], profile.by_key["enroll_ym"].kind) if index["enroll_ym"] < len(row) else ""
        expected.setdefault((class_no or NO_CLASS) if by == "班号" else grade_of(class_no, ym), []).append(i)
    assert [(g.key, g.indexes) for g in group_rows(layout, by)] == list(expected.items())


_IMPORT_VALUES = st.one_of(st.none(), st.booleans(), st.integers(-3, 30), st.sampled_from([1.0, 0.0, 2.5, float("nan")]),
                           st.sampled_from(["1", "01", "汉", "汉族", "男", "NULL", "无", "'2161010001", " 女 ", "2019.9", "2018-5-4"]))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(rows=st.lists(st.lists(_IMPORT_VALUES, min_size=len(HEADERS), max_size=len(HEADERS)), min_size=1, max_size=8))
@example(rows=[[" 女 "] * len(HEADERS), ["男"] * len(HEADERS)])  # columns of texts alone; a code trimmed, nothing said
def test_import_converts_each_distinct_value_once_as_it_converts_each_cell(rows):
    """import converts each distinct value of a column once: what it gives, and what it counts and
    shows as done, is what converting every cell on its own gives (1, 1.0 and True are not one value)."""
    from xueji_addin.actions.importer import _shown, convert, import_rows, plan_import
    from xueji_addin.workbook.reader import Sheet

    plan = plan_import([Sheet("学生基础信息", [list(HEADERS), *rows])], "x.xlsx")
    got = import_rows(plan)
    where = {c.column.key: c.index for c in plan.mapped if c.column}
    from xueji_addin.spec.profiles import default_profile

    one_by_one = [[convert(cells[where[col.key]], col)[0] if col.key in where else None for col in default_profile().columns]
                  for cells in plan.cells]
    same = lambda a, b: a == b or (a != a and b != b)  # noqa: E731  (NaN is itself)
    assert all(same(a, b) and type(a) is type(b) for r1, r2 in zip(got.rows, one_by_one) for a, b in zip(r1, r2))
    counted: dict[tuple[str, str], tuple[int, list]] = {}  # in the order a reader meets them: row by row
    for cells in plan.cells:
        for col in default_profile().columns:
            if col.key in where:
                value, how = convert(cells[where[col.key]], col)
                if how:
                    n, examples = counted.get((col.key, how), (0, []))
                    pair = (_shown(cells[where[col.key]]), str(value))
                    counted[(col.key, how)] = (n + 1, examples + [pair] if len(examples) < 3 and pair not in examples else examples)
    assert [((c.column.key, c.how), (c.count, c.examples)) for c in got.conversions] == list(counted.items())
