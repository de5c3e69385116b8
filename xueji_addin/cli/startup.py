"""What the command line sets up before it imports anything else.

openpyxl imports numpy whenever numpy is installed (a data-science setup, or this project's bench
extras), only to accept numpy's number types as cell values, which xueji never writes: 0.2–0.3 s
of the start of every command that writes a workbook, a fifth of a raw read of a 10,000-student
school. When openpyxl is imported (only by the commands that need it), its module of number types
is run with numpy marked missing, unless something had loaded numpy already; numpy itself stays
importable for anyone who asks later.
"""

from __future__ import annotations

import importlib.abc
import importlib.machinery
import sys
from collections.abc import Sequence
from types import ModuleType

NUMBERS = "openpyxl.compat.numbers"


class _NumbersWithoutNumpy(importlib.abc.MetaPathFinder):
    def find_spec(self, name: str, path: Sequence[str] | None, target: ModuleType | None = None) -> importlib.machinery.ModuleSpec | None:
        if name != NUMBERS:
            return None
        spec = importlib.machinery.PathFinder.find_spec(name, path)
        if spec is None or spec.loader is None:
            return spec
        run = spec.loader.exec_module

        def exec_module(module: ModuleType) -> None:
            blocked = "numpy" not in sys.modules
            if blocked:
                sys.modules["numpy"] = None  # type: ignore[assignment]  # (an import of it raises ImportError)
            try:
                run(module)
            finally:
                if blocked:
                    del sys.modules["numpy"]

        spec.loader.exec_module = exec_module  # type: ignore[method-assign]
        return spec


def openpyxl_without_numpy() -> None:
    if not any(isinstance(f, _NumbersWithoutNumpy) for f in sys.meta_path):
        sys.meta_path.insert(0, _NumbersWithoutNumpy())


openpyxl_without_numpy()
