"""帮助: the README's section on the add-in, as a page the button opens in the browser."""

from __future__ import annotations

import html
import tempfile
from dataclasses import dataclass
from pathlib import Path

from xueji_addin.workbook.atomic import atomic_path
from xueji_addin.workbook.host import Host

HELP_HEADING = "## Excel 插件：安装与按钮说明"
README = Path(__file__).resolve().parents[2] / "README.md"


@dataclass
class HelpPage:
    path: Path

    @property
    def opens(self) -> Path:
        return self.path

    def summary(self) -> str:
        return f"已在浏览器中打开使用说明（{self.path.name}）。"


def help_section(readme: Path = README) -> str:
    """The section's Markdown, from its heading to the next ``## `` heading."""
    try:
        text = readme.read_text("utf-8")
    except OSError:
        raise FileNotFoundError(f"找不到使用说明 README.md（应在 {readme.parent}），请重新安装学籍助手。") from None
    start = text.find(HELP_HEADING)
    if start < 0:
        raise LookupError(f"README.md 中没有“{HELP_HEADING[3:]}”一节，请重新安装学籍助手。")
    end = text.find("\n## ", start + len(HELP_HEADING))
    return text[start:end if end >= 0 else len(text)].strip()


def render_html(markdown: str) -> str:
    """A plain page: headings, lists and code blocks as the teacher reads them, nothing fancier."""
    out: list[str] = []
    in_code = in_list = False
    for line in markdown.splitlines():
        if line.startswith("```"):
            out.append("</pre>" if in_code else "<pre>")
            in_code = not in_code
            continue
        if in_code:
            out.append(html.escape(line))
            continue
        is_item = line.lstrip().startswith(("- ", "* ")) or line.lstrip()[:3].rstrip(".").isdigit() and ". " in line[:5]
        if in_list and not is_item:
            out.append("</ul>")
            in_list = False
        text = html.escape(line.strip())
        if line.startswith("#"):
            level = min(len(line) - len(line.lstrip("#")), 4)
            out.append(f"<h{level}>{html.escape(line.lstrip('#').strip())}</h{level}>")
        elif is_item:
            if not in_list:
                out.append("<ul>")
                in_list = True
            out.append(f"<li>{html.escape(line.strip().lstrip('-*').strip())}</li>")
        elif text:
            out.append(f"<p>{text}</p>")
    if in_list:
        out.append("</ul>")
    body = "\n".join(out)
    return ("<!doctype html><html lang=\"zh-CN\"><head><meta charset=\"utf-8\"><title>学籍助手使用说明</title>"
            "<style>body{font-family:'Microsoft YaHei','PingFang SC',sans-serif;max-width:52em;margin:2em auto;line-height:1.6}"
            "pre{background:#f4f4f4;padding:.6em}</style></head><body>\n" + body + "\n</body></html>\n")


def show_help(host: Host | None = None, out_dir: Path | None = None) -> HelpPage:
    """Write the help page (into a temporary folder unless told) and return where it is."""
    folder = out_dir or Path(tempfile.gettempdir()) / "xueji_addin"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "学籍助手使用说明.html"
    with atomic_path(path) as tmp:
        Path(tmp).write_text(render_html(help_section()), "utf-8")
    return HelpPage(path)
