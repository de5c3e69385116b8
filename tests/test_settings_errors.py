"""What a registrar reads when xueji.toml (or the 学校设置 sheet) is wrong: one Chinese sentence
with the line, the setting's Chinese name and what to write, never tomllib's or pydantic's English."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import given, settings as hsettings, strategies as st

from xueji_addin.spec.settings import Settings, SettingsError, load_settings

ALLOWED = {*Settings.model_fields, "README", "UTF", "true", "false", "xueji", "toml"}


def _error(tmp_path: Path, text: str) -> str:
    path = tmp_path / "设置.toml"
    path.write_text(text, "utf-8")
    with pytest.raises(SettingsError) as e:
        load_settings(path)
    return str(e.value)


def _english(message: str) -> set[str]:
    return set(re.findall(r"[A-Za-z_]{2,}", message)) - ALLOWED


@pytest.mark.parametrize(("text", "said"), [
    ('school_name = "某某小学"\nstage = "中学"\n', "设置文件 设置.toml 第 2 行的“学段”（stage）只能是 小学、初中、高中 之一，现在是“中学”。"),
    ('two_members_required = "maybe"\n', "设置文件 设置.toml 第 1 行的“必须填两位家庭成员”（two_members_required）只能是 true（是）或 false（否），现在是“maybe”。"),
    ('address_max_length = "很多"\n', "设置文件 设置.toml 第 1 行的“地址最多字数”（address_max_length）应为整数（不加引号，如 60），现在是“很多”。"),
    ('[xueji]\nclasses = "20240101"\n', "设置文件 设置.toml 第 2 行的“班级”（classes）应为列表，写成 [\"20240101\", \"20240102\"]，现在是“20240101”。"),
    ('today = "下周"\n', "设置文件 设置.toml 第 1 行的“校验日期”（today）应为日期，写成 2024-09-01（不加引号），现在是“下周”。"),
    ('[xueji.class_names]\n20240101 = 1\n', "设置文件 设置.toml 第 1 行的“班级名称”（class_names）中的“20240101”应为文字，用英文双引号括起来，现在是“1”。"),
    ("school_name = 某某小学\n", "设置文件 设置.toml 格式有误：第 1 行第 15 列等号右边的值写法不对"),
    ('stage = "小学"\nstage = "初中"\n', "设置文件 设置.toml 格式有误：第 2 行第 13 列同一项写了两次，请删去一处；"),
    ('school_name "x"\n', "设置文件 设置.toml 格式有误：第 1 行第 13 列每行应写成 名称 = 值"),
])
def test_a_wrong_setting_is_one_chinese_sentence_with_its_line(tmp_path, text, said):
    message = _error(tmp_path, text)
    assert message.startswith(said)
    assert not _english(message) - set(re.findall(r"[A-Za-z_]{2,}", text)), message


def test_an_unknown_key_names_the_ones_there_are(tmp_path):
    message = _error(tmp_path, 'school_name = "某某小学"\nschool_kode = "2161010001"\n')
    assert message.startswith("设置文件 设置.toml 第 2 行有不认识的设置项“school_kode”；可以设置的项有：school_code（学校标识码）、")
    assert "Extra inputs" not in message


def test_a_file_not_in_utf8_says_how_to_save_it(tmp_path):
    path = tmp_path / "设置.toml"
    path.write_bytes('school_name = "测试小学"\n'.encode("gbk"))
    with pytest.raises(SettingsError, match="不是 UTF-8 编码：请用记事本打开，另存为时选“UTF-8”编码。"):
        load_settings(path)


@hsettings(max_examples=150, deadline=None)
@given(st.text(alphabet='abcdefghijklmnopqrstuvwxyz_ =["]{}.,#\n123“”中小学', max_size=40))
def test_whatever_is_written_the_message_is_chinese(tmp_path_factory, text):
    path = tmp_path_factory.mktemp("s") / "设置.toml"
    path.write_text(text, "utf-8")
    try:
        load_settings(path)
    except SettingsError as e:
        english = set(re.findall(r"[A-Za-z_]{2,}", str(e))) - ALLOWED - set(re.findall(r"[A-Za-z_]{2,}", text))
        assert not english, str(e)


def test_a_wrong_value_in_the_settings_sheet_names_its_row():
    from xueji_addin.workbook.settings_sheet import settings_rows, settings_from_rows

    rows = settings_rows(Settings())
    row = next(n for n, r in enumerate(rows) if r[0] == "stage")
    rows[row][1] = "中学"
    with pytest.raises(SettingsError) as e:
        settings_from_rows(rows)
    assert str(e.value) == f"“学校设置”表第 {row + 1} 行的“学段”（stage）只能是 小学、初中、高中 之一，现在是“中学”。"
