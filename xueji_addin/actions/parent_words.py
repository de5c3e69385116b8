"""What a printed page tells a parent to check: the parent's words, by rule code or column kind.

The findings' own messages are written for the registrar and the import format ("应为8位数字的日期…");
a parent checks a value against the 户口本 or the facts. One small table, not one text per message.
"""

from __future__ import annotations

from xueji_addin.rules.findings import Finding
from xueji_addin.spec.columns import Column, Kind

_FILL_IN = "还没有填写，请补填"
# Codes whose meaning does not follow from the column's kind.
BY_CODE = {
    "XJ101": _FILL_IN,
    "XJ102": _FILL_IN,
    "XJ103": "按表上其他信息，这一项需要填写，请补填",
    "XJ104": "学生没有身份证件号时，请填写这位家长的证件类型和号码",
    "XJ305": "与身份证号中的出生日期不一致，请对照户口本核对出生日期和身份证号",
    "XJ306": "与身份证号不一致，请对照户口本核对性别和身份证号",
    "XJ315": "与学生或另一位家长的证件号相同，请核对",
    "XJ316": "与身份证号中的性别不一致，请对照身份证核对",
    "XJ317": "与学生的年龄差不合常理，请核对出生日期和证件号",
}
BY_KIND = {
    Kind.ID_NUMBER: "请对照户口本或身份证逐位核对号码",
    Kind.DATE: "请对照户口本核对年、月、日",
    Kind.YEAR_MONTH: "请核对年份和月份",
    Kind.DATE_RANGE: "请对照证件核对有效期的起止日期",
    Kind.PHONE: "请写一个能联系到家长的手机号或固定电话",
    Kind.ADDRESS: "请写清楚省、市、县、乡镇（街道）、村（小区）和门牌号",
    Kind.PERSON_NAME: "请按户口本上的写法核对姓名",
    Kind.CODE: "请按实际情况写清楚",
    Kind.REGION: "请对照户口本核对省、市、县",
    Kind.POSTCODE: "请核对邮政编码",
    Kind.EMAIL: "请核对电子信箱",
}
DEFAULT = "请核对这一项，有误请在旁边写上正确的内容"


def parent_text(col: Column, finding: Finding) -> str:
    """The line under a printed form: the field, then what the parent should check."""
    return f"{col.header}：{BY_CODE.get(finding.code) or BY_KIND.get(col.kind, DEFAULT)}"
