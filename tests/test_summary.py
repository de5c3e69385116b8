"""学生情况统计表: counts checked against pandas on the same records, the printable layout, the CLI."""

from __future__ import annotations

import random
import re
import shutil
import subprocess

import openpyxl
import pandas as pd
import pytest

from tests.conftest import SETTINGS
from xueji_addin import synth, synth_tables as st
from xueji_addin.actions.summary import MEASURES, NO_ID_SHEET, SUMMARY_SHEET, summary_of_host, write_summary_xlsx
from xueji_addin.cli import run
from xueji_addin.samples import write_roster_xlsx, write_tables_xlsx
from xueji_addin.spec.profiles import load_profile
from xueji_addin.workbook.host import FileHost

N_CLASSES = 6


def school_records(seed: int = 11) -> list[dict[str, object]]:
    """A school with every situation the table counts, put in at random."""
    rng = random.Random(seed)
    recs = [dict(r) for r in synth.school_roster(seed, N_CLASSES, 12)]
    for r in recs:
        r["left_behind"] = rng.choice(("非留守儿童", "非留守儿童", "单亲留守儿童", "双亲留守儿童"))
        r["migrant_child"] = rng.choice(("是", "否", "否"))
        r["disability_type"] = rng.choice(("无残疾",) * 6 + ("视力残疾", "肢体残疾"))
        r["study_mode"] = rng.choice(("走读", "走读", "住校"))
        r["ethnicity"] = rng.choice(("汉族", "汉族", "汉族", "回族", "壮族", "汉"))  # "汉" is read as 汉族
        if rng.random() < 0.08:
            r.update(id_type="其他", id_number="")
    return recs


def expected_counts(recs: list[dict[str, object]]) -> pd.DataFrame:
    """The same counts, computed independently with pandas from the records themselves."""
    df = pd.DataFrame(recs)
    eth = df["ethnicity"].replace({"汉": "汉族"})
    cols = {
        "total": df["name"].notna(), "male": df["gender"] == "男", "female": df["gender"] == "女",
        "han": eth == "汉族", "minority": eth != "汉族",
        "agricultural": df["hukou_type"] == "农业户口", "non_agricultural": df["hukou_type"] == "非农业户口",
        "left_behind": df["left_behind"].isin(["单亲留守儿童", "双亲留守儿童"]), "migrant": df["migrant_child"] == "是",
        "disabled": df["disability_type"] != "无残疾", "boarding": df["study_mode"] == "住校",
        "no_id": (df["id_type"] != "居民身份证") | (df["id_number"] == ""),
    }
    out = pd.DataFrame({k: v.astype(int) for k, v in cols.items()})
    out["class_no"] = df["class_no"]
    return out.groupby("class_no").sum().sort_index()


def read_table(path) -> tuple[list[list[object]], list[list[object]]]:
    wb = openpyxl.load_workbook(path)
    stats: list[list[object]] = []
    for r in wb[SUMMARY_SHEET].iter_rows(min_row=5, values_only=True):
        stats.append(list(r))
        if r[0] == "全校合计":
            break
    no_id = [list(r) for r in wb[NO_ID_SHEET].iter_rows(min_row=3, values_only=True) if r[0]]
    return stats, no_id


def test_summary_counts_agree_with_pandas(tmp_path, capsys):
    recs = school_records()
    folder = tmp_path / "各班"
    folder.mkdir()
    by_class: dict[str, list[dict[str, object]]] = {}
    for r in recs:
        by_class.setdefault(str(r["class_no"]), []).append(r)
    for no, rows in by_class.items():
        write_roster_xlsx(folder / f"{no}.xlsx", rows)
    write_roster_xlsx(folder / "全校（旧）.xlsx", [r for r in recs if r["id_number"]][:10])  # ten students again: counted once
    write_roster_xlsx(tmp_path / "班级.xlsx", st.classes(N_CLASSES), load_profile("class"))
    out = tmp_path / "统计表.xlsx"
    assert run(["summary", str(folder), "--classes", str(tmp_path / "班级.xlsx"), "--out", str(out)]) == 0
    assert "有 10 行学生的身份证件号已在其他文件或行中出现，只统计了一次" in capsys.readouterr().out.replace("\n", "")
    stats, no_id = read_table(out)
    want = expected_counts(recs)
    attrs = ["total"] + [m.key for m in MEASURES]
    names = {c["class_no"]: c["class_name"] for c in st.classes(N_CLASSES)}
    assert [r[0] for r in stats[:-1]] == list(want.index)
    for row in stats[:-1]:
        assert row[1] == names[row[0]]
        assert row[2:2 + len(attrs)] == [int(want.loc[row[0], a]) for a in attrs], row[0]
    assert stats[-1][0] == "全校合计"
    assert stats[-1][2:2 + len(attrs)] == [int(want[a].sum()) for a in attrs]
    df = pd.DataFrame(recs)
    no_id_names = sorted(df.loc[(df["id_type"] != "居民身份证"), "name"])
    assert sorted(r[3] for r in no_id) == no_id_names and len(no_id_names) > 0
    assert all(r[6] == "其他" and r[2] == names[r[1]] for r in no_id)


def test_summary_of_an_open_workbook_is_the_same(tmp_path):
    """The ribbon button reads the open workbook through the Host: student and class sheets together."""
    recs = school_records(12)
    path = tmp_path / "全校.xlsx"
    write_tables_xlsx(path, [(load_profile("class"), st.classes(N_CLASSES)), (load_profile("student_A"), recs)])
    s = summary_of_host(FileHost.open(path), SETTINGS)
    want = expected_counts(recs)
    assert list(s.classes) == list(want.index)
    assert [s.classes[k]["boarding"] for k in want.index] == list(want["boarding"])
    assert [s.classes[k]["left_behind"] for k in want.index] == list(want["left_behind"])
    assert s.class_names["20240101"] == "一年级（1）班"
    assert s.total.total == len(recs)


def test_print_setup_is_a4_fit_to_width(tmp_path):
    s = summary_of_host(FileHost.open(_one_file(tmp_path)), SETTINGS)
    write_summary_xlsx(s, tmp_path / "t.xlsx", today=SETTINGS.today)
    wb = openpyxl.load_workbook(tmp_path / "t.xlsx")
    for name, orientation in ((SUMMARY_SHEET, "landscape"), (NO_ID_SHEET, "portrait")):
        ws = wb[name]
        assert (int(ws.page_setup.paperSize), ws.page_setup.orientation) == (9, orientation)  # 9 = A4
        assert (ws.page_setup.fitToWidth, ws.page_setup.fitToHeight, ws.sheet_properties.pageSetUpPr.fitToPage) == (1, 0, True)
        # the footer has room (bottom margin 0.6" less footer margin) and numbers the sheet's own pages
        assert ws.page_margins.bottom - ws.page_margins.footer >= 0.3 and ws.oddFooter.center.text == "第 &P 页"
    ws = wb[SUMMARY_SHEET]
    assert ws["A1"].value == "学校标识码 2161010001　学生情况统计表"
    assert [c.value for c in ws[3]][:4] == ["班号", "班级名称", "学生人数", "性别"]
    assert [c.value for c in ws[4]][3:5] == ["男", "女"]


def _one_file(tmp_path):
    path = tmp_path / "学生.xlsx"
    write_roster_xlsx(path, school_records(13))
    return path


def test_summary_refuses_a_folder_without_students(tmp_path, capsys):
    (tmp_path / "空").mkdir()
    assert run(["summary", str(tmp_path / "空"), "--out", str(tmp_path / "x.xlsx")]) == 2
    write_roster_xlsx(tmp_path / "班级.xlsx", st.classes(2), load_profile("class"))
    assert run(["summary", str(tmp_path / "班级.xlsx"), "--out", str(tmp_path / "x.xlsx")]) == 2
    err = capsys.readouterr().err
    assert "没有找到要统计的文件" in err and "没有学生基础信息表" in err and not (tmp_path / "x.xlsx").exists()


@pytest.mark.libreoffice
@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed")
def test_summary_prints_on_one_a4_page_per_sheet(tmp_path):
    out = tmp_path / "统计表.xlsx"
    assert run(["summary", str(_one_file(tmp_path)), "--out", str(out)]) == 0
    subprocess.run(["soffice", f"-env:UserInstallation=file://{tmp_path}/lo", "--headless", "--convert-to", "pdf",
                    "--outdir", str(tmp_path), str(out)], check=True, capture_output=True, timeout=180)
    pdf = tmp_path / "统计表.pdf"
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    assert "Pages:           2" in info and "(A4)" in info
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    assert "学生情况统计表" in text and "全校合计" in text and "无身份证学生名单" in text
    # each sheet numbers its own pages; a total of the whole file would be wrong on either sheet
    assert ["".join(x.split()) for x in re.findall(r"第\s*\d+\s*页.*", text)] == ["第1页", "第1页"]  # pdftotext spaces vary


def test_class_list_from_the_class_table_or_the_settings(tmp_path):
    from xueji_addin.actions.class_list import class_list
    from xueji_addin.workbook.reader import read_book

    path = tmp_path / "班级.xlsx"
    write_roster_xlsx(path, st.classes(3), load_profile("class"))
    cl = class_list(SETTINGS, read_book(path).rosters)
    assert cl.source == "班级信息表" and cl.names == {"20240101": "一年级（1）班", "20230101": "二年级（1）班", "20220101": "三年级（1）班"}
    assert cl.label("20230101") == "二年级（1）班" and cl.label("20249999") == "20249999"
    assert cl.missing(["20240101"]) == [("20230101", "二年级（1）班"), ("20220101", "三年级（1）班")]
    from xueji_addin.spec.settings import Settings

    cl = class_list(Settings(classes=["20240101", "20240102"], class_names={"20240102": "一年级2班"}))
    assert (cl.source, cl.names) == ("设置文件", {"20240101": "", "20240102": "一年级2班"})
    assert class_list(Settings()).names == {}


def test_the_command_and_the_button_read_a_files_own_school_settings(tmp_path, capsys):
    """One file's 学校设置 sheet counts for ``xueji summary`` as for the 统计表 button (and for every
    other command): its 学校名称 heads the table either way."""
    from xueji_addin.actions.settings_sheet import write_settings
    from xueji_addin.spec.settings import Settings

    host = FileHost.open(_one_file(tmp_path))
    write_settings(host, Settings(school_name="青松路小学"), hidden=True)
    path = tmp_path / "带设置.xlsx"
    host.save(path)
    out = tmp_path / "统计.xlsx"
    assert run(["summary", str(path), "--out", str(out)]) == 0
    assert "按文件中“学校设置”表的设置统计" in capsys.readouterr().out.replace("\n", "")
    title = openpyxl.load_workbook(out)[SUMMARY_SHEET]["A1"].value
    assert title.startswith("青松路小学")
    assert summary_of_host(FileHost.open(path), Settings()).school == "青松路小学"


def test_a_count_normalises_only_its_columns_and_each_as_the_full_pass_does(tmp_path):
    """normalised(..., keys) gives the counted columns exactly the texts a full normalisation gives
    (messy input: full-width, spaces, a lower-case x, a code for a name), and leaves the rest blank."""
    from xueji_addin.actions.summary_counts import counted_keys
    from xueji_addin.rules.engine import normalised
    from xueji_addin.workbook.reader import read_book

    recs = school_records(5)
    for i, r in enumerate(recs):
        if i % 7 == 0:
            r["gender"] = " 女" if r["gender"] == "女" else "１"
        if i % 11 == 0 and str(r["id_number"]).endswith("X"):
            r["id_number"] = str(r["id_number"]).lower()
        if i % 5 == 0:
            r["ethnicity"] = "01"
    path = tmp_path / "学校.xlsx"
    write_roster_xlsx(path, recs)
    roster = read_book(path).students()
    keys = counted_keys(roster.profile.class_keys)
    part, full = normalised(roster, keys=keys), normalised(roster)
    assert all(part.v(k) == full.v(k) for k in keys)
    assert part.classes() == full.classes() and any(t != "" for t in full.v("home_address"))
    assert all(t == "" for t in part.v("home_address"))
