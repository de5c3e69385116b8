"""100,000-row roster: time and peak memory of the inspection, the read and the check.

Run: python bench/big_roster.py [rows]. Prints seconds and ratios against the raw python-calamine
read of the same file (no timed asserts anywhere: the machine decides the absolute figures).
"""

from __future__ import annotations

import resource
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from python_calamine import CalamineWorkbook  # noqa: E402

from tests.rawxlsx import write_xlsx  # noqa: E402
from xueji_addin.rules.engine import check  # noqa: E402
from xueji_addin.spec.profiles import default_profile  # noqa: E402
from xueji_addin.synth import class_roster  # noqa: E402
from xueji_addin.workbook.package import inspect_package  # noqa: E402
from xueji_addin.workbook.reader import read_roster  # noqa: E402


def big_rows(n: int) -> list[list[object]]:
    p = default_profile()
    base = [[r.get(k, "") for k in p.by_key] for r in class_roster(11, 500)]
    return [p.headers] + [base[i % len(base)] for i in range(n)]


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
    with tempfile.TemporaryDirectory() as d:
        path = Path(d) / "county.xlsx"
        t = time.perf_counter()
        write_xlsx(path, big_rows(n))
        print(f"wrote {n} rows: {path.stat().st_size / 1e6:.1f} MB in {time.perf_counter() - t:.1f}s")
        t = time.perf_counter()
        wb = CalamineWorkbook.from_path(str(path))
        wb.get_sheet_by_index(0).to_python(skip_empty_area=False)
        raw = time.perf_counter() - t
        t = time.perf_counter()
        facts = inspect_package(path)
        inspect = time.perf_counter() - t
        t = time.perf_counter()
        roster = read_roster(path)
        read = time.perf_counter() - t
        t = time.perf_counter()
        findings = check(roster)
        checked = time.perf_counter() - t
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        cells = sum(f.cells for f in facts.values())
        print(f"raw calamine read {raw:.2f}s; inspection {inspect:.2f}s ({inspect / raw:.2f}× raw, {cells:,} cells); "
              f"read_roster {read:.2f}s ({read / raw:.2f}× raw); check {checked:.2f}s ({len(roster):,} rows, "
              f"{len(findings)} findings); peak RSS {peak:.0f} MB")


if __name__ == "__main__":
    main()
