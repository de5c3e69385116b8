"""What the reader notices about the sheet itself rather than a value: formulas, merged cells,
hidden rows and columns. The reader places these findings; the catalogue lists them here."""

from __future__ import annotations

from xueji_addin.rules.findings import ERROR, WARNING, rule

FORMULA = rule("XJ116", WARNING, "cell", "单元格是公式（已按公式的计算结果检查）")
MERGED = rule("XJ117", ERROR, "cell", "数据区有合并单元格")
HIDDEN_ROWS = rule("XJ118", WARNING, "row", "有被隐藏的行（其中的数据也会被导入）")
HIDDEN_COLUMN = rule("XJ119", WARNING, "cell", "有被隐藏的列")
