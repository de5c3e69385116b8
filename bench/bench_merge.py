"""Benchmark: merge 60 class files of 50 pupils each (goal: under 3 s).

Builds the class files once (not timed), then times the whole merge as the command runs it:
read every file, map headers, check the 3000 rows, mark, write the school file with its 来源 sheet.
Prints the time and its ratio to the goal. Run: python bench/bench_merge.py
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from xueji_addin import synth  # noqa: E402
from xueji_addin.actions.merge import Merger, write_merged  # noqa: E402
from xueji_addin.samples import write_roster_xlsx  # noqa: E402
from xueji_addin.spec.settings import Settings  # noqa: E402
from xueji_addin.workbook.reader import read_sheets  # noqa: E402

CLASSES, SIZE, GOAL = 60, 50, 3.0


def main() -> None:
    with tempfile.TemporaryDirectory(prefix="xueji-bench-") as tmp:
        folder = Path(tmp)
        files = []
        for c in range(CLASSES):
            class_no = f"{2024 - c % 6}01{c // 6 + 1:02d}"
            path = folder / f"学校_{class_no}.xlsx"
            write_roster_xlsx(path, synth.class_roster(c, SIZE, class_no=class_no, entry_year=2024 - c % 6))
            files.append(path)
        timings = {}
        start, cpu_start = time.perf_counter(), time.process_time()
        merger = Merger()
        for f in files:
            merger.add(f.name, read_sheets(f))
        timings["读入与表头对应"] = time.perf_counter() - start
        t = time.perf_counter()
        res = merger.finish(Settings())
        timings["检查与跨文件查重"] = time.perf_counter() - t
        t = time.perf_counter()
        write_merged(res, folder / "全校.xlsx")
        timings["写出（标记、来源表）"] = time.perf_counter() - t
        total = time.perf_counter() - start
        cpu = time.process_time() - cpu_start
    assert res.rows_written == CLASSES * SIZE
    for step, seconds in timings.items():
        print(f"  {step}: {seconds:.2f} s")
    print(f"merge {CLASSES} files x {SIZE} pupils = {res.rows_written} rows: {total:.2f} s "
          f"(goal {GOAL:.0f} s, ratio {total / GOAL:.2f}; {'OK' if total < GOAL else 'SLOWER THAN GOAL'})")
    # On a shared machine the wall time includes waiting for a core; the CPU time does not.
    print(f"CPU time of this process: {cpu:.2f} s (ratio to goal {cpu / GOAL:.2f})")


if __name__ == "__main__":
    main()
