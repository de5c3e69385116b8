"""The validation report other tools read: one object for the whole run (every input as given, its
status and its tables) and its totals. The published JSON Schema (``xueji schema``,
``xueji_addin/data/report.schema.json``) is generated from these models; keep them stable and bump
``SCHEMA_VERSION`` when a field changes its meaning."""

from __future__ import annotations

import json
from importlib import resources
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from xueji_addin import __version__
from xueji_addin.rules.engine import summary
from xueji_addin.rules.findings import Finding, Severity
from xueji_addin.spec.profiles import Profile

SCHEMA_VERSION = 1
SCHEMA_FILE = "report.schema.json"
Status = Literal["ok", "errors", "unusable"]


class Summary(BaseModel):
    errors: int = Field(description="错误数：导入会被拒绝或数据错误，必须改")
    warnings: int = Field(description="提示数：请核对，不一定错")
    by_code: dict[str, int] = Field(description="每个规则代码的问题数")


class Report(BaseModel):
    """One checked table (a sheet of a workbook)."""

    model_config = ConfigDict(title="Table", json_schema_serialization_defaults_required=True)

    file: str = Field(exclude=True)  # for the screen; the JSON names the input once, with its path
    profile: str = Field(exclude=True)
    sheet: str = Field(description="工作表名")
    role: str = Field(description="表的种类：student / class / teacher / school / campus")
    version: str | None = Field(description="模板版本（学生基础信息为 A），没有版本时为 null")
    students: int = Field(description="数据行数（学生表为学生人数，其他表为班级、教师……的个数）")
    findings: list[Finding]
    summary: Summary

    @classmethod
    def of(cls, file: str, profile: Profile, sheet: str, rows: int, findings: list[Finding]) -> "Report":
        return cls(file=file, profile=profile.id, sheet=sheet, role=profile.role.value, version=profile.version or None,
                   students=rows,
                   findings=findings, summary=Summary.model_validate(summary(findings)))

    @property
    def has_errors(self) -> bool:
        return any(f.severity is Severity.ERROR for f in self.findings)

    def masked(self) -> "Report":
        """A copy with the middle of ID numbers and phone numbers hidden in messages and fixes."""
        from xueji_addin.rules.mask import mask_finding_text as hide

        return self.model_copy(update={
            "findings": [f.model_copy(update={"message": hide(f.message, f.header), "suggestion": hide(f.suggestion, f.header),
                                              "fix": hide(f.fix, f.header) if f.fix else f.fix}) for f in self.findings]
        })


class Input(BaseModel):
    """One file named on the command line (or found in a folder named there)."""

    model_config = ConfigDict(json_schema_serialization_defaults_required=True)

    path: str = Field(description="文件路径，与命令行中写的一样（文件夹中的文件为文件夹路径加文件名）")
    status: Status = Field(description="ok：没有错误；errors：有错误；unusable：无法检查（见 reason）")
    reason: str | None = Field(None, description="无法检查的原因（一句中文）；能检查时为 null")
    tables: list[Report] = Field(default_factory=list)

    @classmethod
    def checked(cls, path: str, tables: list[Report]) -> "Input":
        return cls(path=path, status="errors" if any(t.has_errors for t in tables) else "ok", tables=tables)

    @classmethod
    def unusable(cls, path: str, reason: str) -> "Input":
        return cls(path=path, status="unusable", reason=reason)


class Totals(BaseModel):
    inputs: int
    ok: int
    with_errors: int
    unusable: int
    tables: int
    students: int = Field(description="所有学生表的学生人数之和")
    errors: int
    warnings: int


class RunReport(BaseModel):
    """The report of one ``xueji validate`` run."""

    model_config = ConfigDict(title="xueji validate report", json_schema_serialization_defaults_required=True)

    schema_version: Literal[1] = SCHEMA_VERSION
    tool: Literal["xueji-addin"] = "xueji-addin"
    tool_version: str = __version__
    inputs: list[Input]
    totals: Totals

    @classmethod
    def of(cls, inputs: list[Input]) -> "RunReport":
        tables = [t for i in inputs for t in i.tables]
        return cls(inputs=inputs, totals=Totals(
            inputs=len(inputs), ok=sum(i.status == "ok" for i in inputs),
            with_errors=sum(i.status == "errors" for i in inputs),
            unusable=sum(i.status == "unusable" for i in inputs), tables=len(tables),
            students=sum(t.students for t in tables if t.role == "student"),
            errors=sum(t.summary.errors for t in tables), warnings=sum(t.summary.warnings for t in tables)))

    def exit_code(self) -> int:
        """2 when an input could not be checked, else 1 when there are errors, else 0 (README)."""
        if self.totals.unusable:
            return 2
        return 1 if self.totals.with_errors else 0


def report_schema() -> dict[str, object]:
    """The JSON Schema of ``RunReport``, as published in the package."""
    # As written (serialization): every field is always there, so the schema requires it.
    schema = RunReport.model_json_schema(mode="serialization")
    return {"$schema": "https://json-schema.org/draft/2020-12/schema",
            "$id": f"https://xueji-addin/report.schema.v{SCHEMA_VERSION}.json", **schema}


def published_schema() -> str:
    return resources.files("xueji_addin").joinpath("data", SCHEMA_FILE).read_text("utf-8")


def schema_text() -> str:
    return json.dumps(report_schema(), ensure_ascii=False, indent=2) + "\n"
