"""What the template's help costs a roster file: time to write and read back a class with and
without ``style_roster_sheet`` (dropdowns, conditional formats, 代码表, 行政区划), and file sizes.

Run: python bench/template_cost.py   (prints ratios; no asserts)
"""

from __future__ import annotations

import tempfile
import time
from pathlib import Path

from openpyxl import Workbook, load_workbook

from xueji_addin import synth
from xueji_addin.spec.profiles import default_profile
from xueji_addin.workbook.cells import set_text
from xueji_addin.workbook.reader import read_roster
from xueji_addin.workbook.styling import style_roster_sheet
from xueji_addin.workbook.template import write_template


def _write(path: Path, records: list[dict[str, str]], styled: bool) -> float:
    profile = default_profile()
    t = time.perf_counter()
    wb = Workbook()
    ws = wb.active
    ws.title = profile.sheet_name
    for c in profile.columns:
        set_text(ws.cell(1, c.order), c.header)
    for r, rec in enumerate(records, start=2):
        for c in profile.columns:
            if rec.get(c.key):
                set_text(ws.cell(r, c.order), rec[c.key])
    if styled:
        style_roster_sheet(wb, ws, profile)
    wb.save(path)
    return time.perf_counter() - t


def _best(fn, n: int = 3) -> float:
    return min(fn() for _ in range(n))


def main() -> None:
    records = synth.class_roster(1, 45)
    with tempfile.TemporaryDirectory() as d:
        plain, styled = Path(d) / "plain.xlsx", Path(d) / "styled.xlsx"
        w_plain = _best(lambda: _write(plain, records, False))
        w_styled = _best(lambda: _write(styled, records, True))
        r_plain = _best(lambda: (lambda t: (read_roster(plain), time.perf_counter() - t)[1])(time.perf_counter()))
        r_styled = _best(lambda: (lambda t: (read_roster(styled), time.perf_counter() - t)[1])(time.perf_counter()))
        l_plain = _best(lambda: (lambda t: (load_workbook(plain), time.perf_counter() - t)[1])(time.perf_counter()))
        l_styled = _best(lambda: (lambda t: (load_workbook(styled), time.perf_counter() - t)[1])(time.perf_counter()))
        tpl = Path(d) / "t.xlsx"
        t_tpl = _best(lambda: (lambda t: (write_template(tpl), time.perf_counter() - t)[1])(time.perf_counter()))
        print(f"45-pupil class, write:            plain {w_plain:.2f}s  with template help {w_styled:.2f}s  ratio {w_styled / w_plain:.1f}x")
        print(f"read_roster (calamine):           plain {r_plain:.3f}s styled {r_styled:.3f}s  ratio {r_styled / r_plain:.1f}x")
        print(f"openpyxl load (marked/fix copy):  plain {l_plain:.2f}s  styled {l_styled:.2f}s  ratio {l_styled / l_plain:.1f}x")
        print(f"file size:                        plain {plain.stat().st_size // 1024} KB  styled {styled.stat().st_size // 1024} KB")
        print(f"xueji template (empty template):  {t_tpl:.2f}s, {tpl.stat().st_size // 1024} KB")


if __name__ == "__main__":
    main()
