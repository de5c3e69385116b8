"""The validation report: the JSON schema other tools read (documented in the README; keep it stable)."""

from __future__ import annotations

from pydantic import BaseModel

from xueji_addin.rules.engine import summary
from xueji_addin.rules.findings import Finding, Severity


class Summary(BaseModel):
    errors: int
    warnings: int
    by_code: dict[str, int]


class Report(BaseModel):
    file: str
    profile: str
    sheet: str
    rows: int
    findings: list[Finding]
    summary: Summary

    @classmethod
    def of(cls, file: str, profile: str, sheet: str, rows: int, findings: list[Finding]) -> "Report":
        return cls(file=file, profile=profile, sheet=sheet, rows=rows, findings=findings,
                   summary=Summary.model_validate(summary(findings)))

    @property
    def has_errors(self) -> bool:
        return any(f.severity is Severity.ERROR for f in self.findings)

    def masked(self) -> "Report":
        """A copy with the middle of ID numbers and phone numbers hidden in messages and fixes."""
        from xueji_addin.rules.mask import mask_text

        return self.model_copy(update={
            "findings": [f.model_copy(update={"message": mask_text(f.message), "suggestion": mask_text(f.suggestion),
                                              "fix": mask_text(f.fix) if f.fix else f.fix}) for f in self.findings]
        })
