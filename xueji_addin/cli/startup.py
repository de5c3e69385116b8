"""What the command line does before it imports anything else.

openpyxl imports numpy whenever numpy is installed (a data-science setup, or this project's bench
extras), only to accept numpy's number types as cell values, which xueji never writes: 0.2–0.3 s
of every command's start, a quarter of a raw read of a 10,000-student school. Where nothing has
loaded numpy yet, openpyxl is told it is missing while it is imported; numpy itself stays
importable for anyone who asks later.
"""

from __future__ import annotations

import sys


def openpyxl_without_numpy() -> None:
    if "numpy" in sys.modules or "openpyxl" in sys.modules:
        return
    sys.modules["numpy"] = None  # type: ignore[assignment]  # (an import of it raises ImportError)
    try:
        import openpyxl  # noqa: F401
    finally:
        del sys.modules["numpy"]


openpyxl_without_numpy()
