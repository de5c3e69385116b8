"""The help texts users read (suggestions, the template's input messages) carry no research notes
(issue 18: "格式未找到全国统一规定" reached a suggestion); the spec data is clean, not filtered in code."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

from xueji_addin.samples import write_roster_xlsx
from xueji_addin.spec.profiles import all_profiles
from xueji_addin.synth import class_roster

REPO = Path(__file__).resolve().parents[1]
# What a note about the research says, not what a user fills in: sources, places that were looked at,
# doubts, other templates' headers, English.
NOTE = re.compile(r"未找到|全国统一规定|湖北|武汉|实现要求|各地示例|地方口径|样本|变体|按项目|别名|表头含|[A-Za-z]{4,}")


def test_no_column_help_carries_a_research_note():
    notes = [(p.id, c.header, c.help) for p in all_profiles() for c in p.columns
             if NOTE.search(c.help.replace("GB 11643", ""))]
    assert notes == []


def test_the_suggestion_for_an_empty_class_number_is_for_the_user(tmp_path):
    recs = class_roster(9, 2, class_no="20240101")
    recs[0]["class_no"] = ""
    src = tmp_path / "c.xlsx"
    write_roster_xlsx(src, recs)
    p = subprocess.run([sys.executable, "-m", "xueji_addin", "validate", str(src), "--json", "-"], capture_output=True,
                       text=True, cwd=REPO, env={"PYTHONPATH": str(REPO), "PATH": "/usr/bin:/bin", "HOME": "/tmp"})
    assert p.returncode == 1, p.stderr
    report = json.loads(p.stdout)
    found = [f for i in report["inputs"] for t in i["tables"] for f in t["findings"] if f["header"] == "班号"]
    assert found and all("未找到" not in f["suggestion"] and "全国统一" not in f["suggestion"] for f in found)
    assert "6位或8位数字" in found[0]["suggestion"]
