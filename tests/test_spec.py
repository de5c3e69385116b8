"""The spec carried in the package: profile, code tables, regions and header recognition."""

from __future__ import annotations

import csv

import pytest

from tests.conftest import SHARED
from xueji_addin.spec import regions
from xueji_addin.spec.codes import code_tables
from xueji_addin.spec.columns import Kind, column_letter
from xueji_addin.spec.profiles import default_profile
from xueji_addin.spec.headers import find_header


def test_profile_a_has_71_columns_in_the_ministry_order():
    p = default_profile()
    assert p.sheet_name == "学生基础信息"
    assert len(p.columns) == 71
    assert [c.order for c in p.columns] == list(range(1, 72))
    assert p.columns[0].header == "学校标识码" and p.columns[-1].header == "是否进城务工人员随迁子女"
    assert p.by_key["id_number"].letter == "M"
    assert p.by_key["migrant_child"].letter == "BS"


@pytest.mark.skipif(not (SHARED / "spec" / "fields.csv").exists(), reason="../shared is not beside the repo")
def test_package_copy_agrees_with_the_shared_spec():
    rows = list(csv.DictReader((SHARED / "spec" / "fields.csv").open(encoding="utf-8-sig")))
    p = default_profile()
    assert [(int(r["order"]), r["header"], r["key"]) for r in rows] == [(c.order, c.header, c.key) for c in p.columns]
    for r, c in zip(rows, p.columns):
        table = r["code_table"] if r["code_table"] != "XZQH" else None
        assert (c.code_table or None) == (table or None), c.header


def test_every_coded_column_has_its_table_and_text_columns_are_marked():
    tables = code_tables()
    p = default_profile()
    for c in p.columns:
        if c.kind is Kind.CODE:
            assert c.code_table in tables and tables[c.code_table].names, c.header
    text_keys = {c.key for c in p.columns if c.kind.is_text_format}
    assert {"id_number", "school_code", "class_no", "seat_no", "phone", "postcode", "birth_date", "enroll_ym",
            "birthplace_code", "hukou_region_code", "m1_id_number", "m2_phone"} <= text_keys


@pytest.mark.parametrize(
    "table,value,name,how",
    [("MZ", "汉", "汉族", "alias"), ("MZ", "01", "汉族", "code"), ("MZ", "1", "汉族", "code"), ("MZ", "毛难族", "毛南族", "alias"),
     ("GX", "其它", "其他", "spelling"), ("XSLY", "其它", "其他", "spelling"), ("SFZJLX", "身份证", "居民身份证", "alias"),
     ("SXXJTFS", "自行车(含摩托车、电动自行车)", "自行车（含摩托车、电动自行车）", "spelling"), ("XB", "1", "男", "code")],
)
def test_code_aliases_map_to_the_canonical_name(table, value, name, how):
    m = code_tables()[table].match(value)
    assert (m.name, m.exact, m.how) == (name, False, how)


def test_region_data_from_stdnum():
    assert regions.full_name("610113") == "陕西省西安市雁塔区"
    assert regions.is_known_county("610113")
    assert not regions.is_known_county("619999")
    entries = regions.picker_entries()
    assert any(e.code12 == "610113000000" and e.county == "雁塔区" and e.city == "西安市" for e in entries)
    assert all(len(e.code12) == 12 for e in entries)


def test_header_found_below_title_rows_and_differences_described():
    p = default_profile()
    headers = list(p.headers)
    headers[3], headers[4] = headers[4], headers[3]
    headers[12] = "身份证号"
    del headers[20]
    headers.insert(5, "备注")
    m = find_header([["学生信息采集表"], [], headers])
    assert m is not None and m.header_row == 3
    assert m.missing == ["mailing_address"]
    assert m.renamed == [("id_number", "身份证号")]
    assert m.extra == [(5, "备注")]
    assert [k for k, _ in m.moved] in (["birth_date"], ["birthplace_code"])
    text = m.describe()
    assert "缺少列“通信地址”（模板第21列，U列）" in text
    assert "列名“身份证号”应改为模板列名“身份证件号”" in text
    assert "F列“备注”不是模板中的列" in text


def test_exact_header_and_no_header():
    p = default_profile()
    assert find_header([p.headers]).exact
    assert find_header([["姓名", "年龄"], ["张三", 9]]) is None


def test_header_differences_name_the_sheet_letters_for_describe_and_for_a_merge():
    from xueji_addin.workbook.layout import plan_layout
    from xueji_addin.workbook.reader import Sheet

    p = default_profile()
    headers = list(p.headers)
    headers[3], headers[4] = headers[4], headers[3]  # D and E swapped
    headers.append(p.headers[1])  # B's header again at the end
    m = find_header([headers])
    dup = p.columns[1]
    moved = {k for k, _ in m.moved}
    assert m.duplicated == [(dup.key, [1, len(headers) - 1])] and moved in ({p.columns[3].key}, {p.columns[4].key})
    c = p.by_key[moved.pop()]
    at = "D" if c.order == 5 else "E"
    text = m.describe()
    assert f"列“{dup.header}”出现了多次（B、{column_letter(len(headers))}列），只使用第一列" in text
    assert f"列“{c.header}”在{at}列，模板规定在{c.letter}列" in text
    layout = plan_layout(Sheet("学生基础信息", [headers, ["x"] * len(headers)]), m)
    assert layout.refused == [f"列“{dup.header}”出现了2次（B、{column_letter(len(headers))}列），无法确定用哪一列"]
