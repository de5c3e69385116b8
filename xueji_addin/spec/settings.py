"""Per-school settings (DECISIONS.md §9). The defaults work with no settings at all."""

from __future__ import annotations

import datetime as dt
import tomllib
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from xueji_addin.spec.settings_errors import toml_error_text, toml_line, validation_text

from xueji_addin.workbook.atomic import note_input


Stage = Literal["小学", "初中", "高中"]


class SettingsError(ValueError):
    """A settings file that cannot be used; the message is a Chinese sentence for the user."""


class Settings(BaseModel):
    model_config = ConfigDict(extra="forbid")

    school_code: str | None = Field(None, title="学校标识码", description="学校标识码（10位）；填写后每行须与之相同")
    school_name: str | None = Field(None, title="学校名称", description="学校名称，用于文件名和打印标题")
    stage: Stage | None = Field(None, title="学段", description="学段：小学 / 初中 / 高中；不填时按学校标识码推断")
    classes: list[str] = Field(default_factory=list, title="班级", description="本校已建班级的班号；填写后班号须在其中")
    class_names: dict[str, str] = Field(default_factory=dict, title="班级名称", description="班号 → 班级名称（如 一年级1班）")
    two_members_required: bool = Field(False, title="必须填两位家庭成员", description="是否要求必须填写两位家庭成员")
    mobile_only: bool = Field(False, title="联系电话只收手机号", description="地方规则：联系电话只接受11位手机号")
    address_max_length: int | None = Field(None, title="地址最多字数", description="地方规则：地址最多字数（超出时提示）")
    today: dt.date | None = Field(None, title="校验日期", description="校验用的“今天”（测试用；默认取系统日期）")

    @field_validator("classes", mode="before")
    @classmethod
    def _classes_as_text(cls, v: object) -> object:
        if isinstance(v, list):
            return [str(x).strip() for x in v]
        return v

    @field_validator("school_code", mode="before")
    @classmethod
    def _code_as_text(cls, v: object) -> object:
        return None if v in ("", None) else str(v).strip()

    def effective_today(self) -> dt.date:
        return self.today or dt.date.today()

    def effective_stage(self, school_code: str | None = None) -> Stage | None:
        """The stage from the settings, else from the 学校标识码's type prefix (21 小学, 31 初中, 34 高中)."""
        if self.stage:
            return self.stage
        code = self.school_code or school_code or ""
        return {"21": "小学", "31": "初中", "34": "高中"}.get(code[:2])  # type: ignore[return-value]


def read_toml(path: Path, what: str, error: type[Exception]) -> dict[str, object]:
    """The tables of a TOML file the user wrote (``what``: 设置文件, 映射文件); a missing or malformed
    file raises ``error`` with one sentence that says which and how to put it right."""
    note_input(path)  # no output of this run may replace it
    try:
        return tomllib.loads(path.read_text("utf-8"))
    except FileNotFoundError:
        raise error(f"找不到{what} {path.name}，请检查路径。") from None
    except UnicodeDecodeError:
        raise error(f"{what} {path.name} 不是 UTF-8 编码：请用记事本打开，另存为时选“UTF-8”编码。") from None
    except tomllib.TOMLDecodeError as e:
        raise error(f"{what} {path.name} 格式有误：{toml_error_text(str(e))}；请按 README 中的示例填写。") from None
    except OSError as e:  # a folder, no permission, held by another program
        raise error(f"无法读取{what} {path.name}（{e.strerror or type(e).__name__}），请检查路径和权限。") from None


def load_settings(path: str | Path | None) -> Settings:
    """Read ``xueji.toml``; a missing path means the defaults."""
    if path is None:
        return Settings()
    p = Path(path)
    data = read_toml(p, "设置文件", SettingsError)
    try:
        return Settings.model_validate(data.get("xueji", data))
    except ValidationError as e:
        text = p.read_text("utf-8")

        def where(key: str) -> str:
            line = toml_line(text, key)
            return f"设置文件 {p.name}" + (f" 第 {line} 行" if line else "")

        raise SettingsError(validation_text(e, Settings, where)) from None
