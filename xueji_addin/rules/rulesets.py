"""Which row and roster rules each profile runs (the student template's are in engine.py).

Cell rules follow the column kinds and apply to every profile; row and roster rules use the keys of
one table, so each profile lists its own here.
"""

from __future__ import annotations

from collections.abc import Callable

from xueji_addin.rules import tables_class, tables_school, tables_teacher
from xueji_addin.rules.context import Context

RuleFn = Callable[[Context], None]

TABLE_RULES: dict[str, tuple[tuple[RuleFn, ...], tuple[RuleFn, ...]]] = {
    "class": (tables_class.ROW_RULES, tables_class.ROSTER_RULES),
    "teacher": (tables_teacher.ROW_RULES, tables_teacher.ROSTER_RULES),
    "school": (tables_school.SCHOOL_ROW_RULES, tables_school.SCHOOL_ROSTER_RULES),
    "campus": (tables_school.CAMPUS_ROW_RULES, tables_school.CAMPUS_ROSTER_RULES),
}
