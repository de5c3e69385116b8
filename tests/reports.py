"""Reading the JSON report (xueji_addin/data/report.schema.json) in tests: validated on every read."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

import jsonschema

SCHEMA = Path(__file__).resolve().parents[1] / "xueji_addin" / "data" / "report.schema.json"


@cache
def validator() -> jsonschema.Draft202012Validator:
    schema = json.loads(SCHEMA.read_text("utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema)


def report(text: str) -> dict:
    """The report in ``text`` (all of it: stdout holds nothing else), checked against the schema."""
    data = json.loads(text)
    validator().validate(data)
    return data


def tables(data: dict) -> list[dict]:
    return [t for i in data["inputs"] for t in i["tables"]]


def only_table(data: dict) -> dict:
    """The one table of a one-file, one-table run."""
    (table,) = tables(data)
    return table
