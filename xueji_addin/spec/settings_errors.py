"""Chinese sentences for what tomllib and pydantic say about a settings file (or the 学校设置 sheet):
told by the error's kind (tomllib's message start, pydantic's error ``type``), with the key, its
name in Chinese and the line, never the libraries' English."""

from __future__ import annotations

import re
from typing import Any, Callable

from pydantic import BaseModel, ValidationError

_TOML = (  # tomllib's message starts → what to do about it
    (("Invalid value", "Invalid date", "Invalid hex", "Invalid number"),
     "等号右边的值写法不对：文字要用英文双引号括起来（如 school_name = \"某某小学\"），是否用 true 或 false，"
     "列表写成 [\"20240101\", \"20240102\"]"),
    (("Expected '=' after a key", "Invalid statement", "Invalid initial character for a key", "Found invalid character in key",
      "Invalid key"), "每行应写成 名称 = 值，名称用英文（如 school_name = \"某某小学\"）"),
    (("Unterminated string", "Illegal character", "Unclosed string"), "引号没有配对：请用英文双引号 \"，不要用中文引号“”"),
    (("Cannot overwrite", "Cannot declare", "Cannot mutate"), "同一项写了两次，请删去一处"),
    (("Unclosed array", "Unclosed inline table"), "方括号 [ ] 或花括号 { } 没有配对"),
    (("Expected newline or end of document",), "一行只能写一项，值后面多了内容（注释请以 # 开头）"),
)
_AT = re.compile(r"\(at line (\d+), column (\d+)\)")


def toml_error_text(message: str) -> str:
    """'第 3 行第 12 列：…' for a tomllib error message."""
    at = _AT.search(message)
    where = f"第 {at.group(1)} 行第 {at.group(2)} 列" if at else "末尾"
    what = next((hint for starts, hint in _TOML if message.startswith(starts)), "写法不对")
    return f"{where}{what}"


def _problem(error: dict[str, Any]) -> str:
    kind, value = error["type"], error.get("input")
    shown = f"，现在是“{value}”" if isinstance(value, (str, int, float)) and not isinstance(value, bool) else ""
    if kind == "literal_error":
        options = re.findall(r"'([^']*)'", error["msg"])
        return f"只能是 {'、'.join(options)} 之一{shown}"
    if kind.startswith("bool"):
        return f"只能是 true（是）或 false（否）{shown}"
    if kind.startswith("int") or kind.startswith("float"):
        return f"应为整数（不加引号，如 60）{shown}"
    if kind.startswith("date"):
        return f"应为日期，写成 2024-09-01（不加引号）{shown}"
    if kind == "list_type":
        return f"应为列表，写成 [\"20240101\", \"20240102\"]{shown}"
    if kind == "dict_type":
        return "应为“班号 = 名称”的表，另起一节 [xueji.class_names]，每行写 20240101 = \"一年级1班\""
    if kind.startswith("string"):
        return f"应为文字，用英文双引号括起来{shown}"
    return f"的值不对{shown}"


def validation_text(e: ValidationError, model: type[BaseModel], where: Callable[[str], str]) -> str:
    """The first error as one sentence; ``where(key)`` says where the key is (设置文件 x 第 3 行)."""
    error = e.errors()[0]
    key = str(error["loc"][0]) if error["loc"] else ""
    fields = model.model_fields
    if error["type"] == "extra_forbidden":
        known = "、".join(f"{name}（{f.title}）" for name, f in fields.items() if f.title)
        return f"{where(key)}有不认识的设置项“{key}”；可以设置的项有：{known}。"
    title = fields[key].title if key in fields else key
    item = "".join(f"中的“{x}”" for x in error["loc"][1:])
    more = f"（另有 {len(e.errors()) - 1} 处也要改）" if len(e.errors()) > 1 else ""
    return f"{where(key)}的“{title}”（{key}）{item}{_problem(error)}。{more}"


def toml_line(text: str, key: str) -> int | None:
    """The line of ``key = …`` (or of its ``[key]`` / ``[xueji.key]`` table) in a TOML text."""
    pattern = re.compile(rf"^\s*(?:{re.escape(key)}\s*=|\[\s*(?:xueji\.)?{re.escape(key)}\s*\])")
    return next((n for n, line in enumerate(text.splitlines(), start=1) if pattern.match(line)), None)
