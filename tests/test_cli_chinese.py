"""What a teacher reads around our own texts is Chinese too: typer's and click's help chrome
(usage line, panel titles, [必填], type tags, the --help line) and their usage errors."""

from __future__ import annotations

import re

import pytest
import typer

from tests.test_cli import xueji
from xueji_addin.cli.app import COMMAND_MODULES, app, load_commands

WORD = re.compile(r"[A-Za-z]{2,}")


def _our_words() -> set[str]:
    """Every English word our own help texts, option names and command names hold: what the help
    may show. Anything else English in it is the libraries' chrome."""
    load_commands()
    group = typer.main.get_command(app)
    ctx = group.make_context("xueji", ["--help"], resilient_parsing=True)
    texts = ["python -m xueji_addin --help", group.help or ""]  # --help: the option a user types
    for name in group.list_commands(ctx):
        command = group.get_command(ctx, name)
        texts += [name, command.help or ""]
        for p in command.params:
            texts += [p.help or "", *p.opts, *p.secondary_opts, str(p.default) if p.default not in (None, False) else ""]
    return set(WORD.findall(" ".join(texts)))


@pytest.mark.parametrize("command", [None, *COMMAND_MODULES])
def test_no_english_chrome_in_any_help(command):
    code, out, err = xueji(*([command] if command else []), "--help")
    assert code == 0, err
    assert "用法：" in out and "选项" in out and "显示本帮助并退出" in out
    chrome = set(WORD.findall(out)) - _our_words()
    assert not chrome, f"English around our help texts: {sorted(chrome)}"


def test_required_arguments_and_type_tags_are_chinese():
    code, out, _ = xueji("validate", "--help")
    assert "参数" in out and "[必填]" in out and "<文件>" in out and "{文件}..." in out
    assert "<bool>" not in out and "<path>" not in out and "<str>" not in out


@pytest.mark.parametrize(("args", "said"), [
    (("validate", "a.xlsx", "--bogus"), "没有 --bogus 这个选项。"),
    (("validate", "a.xlsx", "--mak"), "没有 --mak 这个选项，是不是要用 --marked、--mask？"),
    (("validate",), "缺少参数 文件。"),
    (("no-such",), "没有“no-such”这个命令。"),
    (("valdate", "a.xlsx"), "没有“valdate”这个命令，是不是要用 validate？"),
    (("validate", "a.xlsx", "--json"), "--json 后面要跟一个值。"),
    (("validate", "--mask=1", "a.xlsx"), "--mask 是开关，后面不跟值。"),
    (("export", "a.xlsx", "--out", "b.xlsx", "--max-rows", "many"), "--max-rows 的值不对：应填数字。"),
    (("rules", "extra"), "多出了参数 extra；这个命令不需要它们。"),
])
def test_usage_errors_are_one_chinese_sentence(args, said):
    code, out, err = xueji(*args)
    assert code == 2 and out == ""
    last = err.strip().splitlines()[-1]
    assert last == f"无法完成：{said}", err
    assert not re.search(r"Usage|Error|Invalid|Missing|No such|Try ", err), err


def test_a_switch_followed_by_true_is_not_a_file_name(tmp_path):
    """``--mask true`` used to check a file named "true" (and say it does not exist)."""
    clean = tmp_path / "clean.xlsx"
    from xueji_addin.samples import write_roster_xlsx
    from xueji_addin.synth import class_roster

    write_roster_xlsx(clean, class_roster(3, 4))
    code, out, err = xueji("validate", str(clean), "--mask", "true")
    assert code == 2 and out == ""
    assert err.strip().splitlines()[-1] == "无法完成：--mask 是开关，直接写 --mask 就表示要这样做，后面不要跟“true”。"
    code, out, err = xueji("validate", str(clean), "--mask")
    assert code == 0, err


@pytest.mark.parametrize(("command", "wrong", "right"), [
    ("template", "按表头自动识别", "生成哪种表的模板"),
    ("summary", "学生的班号须是其中的班级", "按其中的班级名称列出"),
])
def test_help_texts_say_what_the_option_does_for_that_command(command, wrong, right):
    code, out, _ = xueji(command, "--help")
    flat = out.replace("\n", "").replace("│", "").replace(" ", "")
    assert code == 0 and wrong not in flat and right in flat


def test_the_readme_cites_only_files_a_clone_has():
    import re as _re

    from tests.test_cli import REPO

    text = (REPO / "README.md").read_text("utf-8")
    assert "../shared" not in text and "DECISIONS.md" not in text
    for path in _re.findall(r"`((?:xueji_addin|tests|bench|ribbon|workbook_template)/[^`\s]*)`", text):
        if "{" not in path and "*" not in path:
            assert (REPO / path).exists(), path
