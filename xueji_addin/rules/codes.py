"""Coded columns: the cell must hold a name from the column's code table (rules.md §0.3)."""

from __future__ import annotations

from xueji_addin.rules.findings import ERROR, WARNING, Issue, rule
from xueji_addin.spec.codes import CodeTable, fold

NOT_IN_LIST = rule("XJ201", ERROR, "cell", "不是代码表中的选项")
CODE_NOT_NAME = rule("XJ202", ERROR, "cell", "填了代码，模板要求填名称")
ALIAS = rule("XJ203", ERROR, "cell", "选项的写法与代码表不同（简称、旧称或别字）")



def check_code(text: str, table: CodeTable) -> list[Issue]:
    if not text:
        return []
    m = table.match(text)
    if m.exact:
        return []
    if m.name is not None:
        if m.how == "code":
            return [Issue(CODE_NOT_NAME, f"“{text}”是代码，应填写名称“{m.name}”", f"改为“{m.name}”", fix=m.name)]
        if m.how == "label":  # another system's dropdown names the same option: certain, and no mistake
            return [Issue(ALIAS, f"“{text}”与模板的选项“{m.name}”是同一项，模板写作“{m.name}”", f"改为“{m.name}”",
                          fix=m.name, severity=WARNING)]
        return [Issue(ALIAS, f"“{text}”应写作“{m.name}”", f"改为“{m.name}”", fix=m.name)]
    refusal = table.refused.get(fold(text))
    if refusal is not None:
        nearest = f"最接近的选项是“{refusal.nearest}”，" if refusal.nearest else ""
        return [Issue(NOT_IN_LIST, f"“{text}”不是模板的选项，全国学籍系统导入时不认：{refusal.why}",
                      f"{nearest}从下拉列表中选择")]
    options = "、".join(table.names) if len(table.names) <= 8 else f"下拉列表中的{len(table.names)}个选项之一"
    return [Issue(NOT_IN_LIST, f"“{text}”不是“{table.title}”代码表中的选项", f"请填写：{options}")]
