"""Validators for the codes people and organisations are known by (STANDARDS.md §1).

One module used by forms, API schemas and imports alike. Each `validate_*` returns the
normalised value or raises `CodeInvalid` whose message names the code and the reason in
Chinese, e.g. "统一社会信用代码校验位错误".
"""

from __future__ import annotations

import re
from datetime import date

from django.conf import settings


class CodeInvalid(ValueError):
    """A code failed its rule; `str(error)` is the Chinese reason shown to the user."""


# --- 居民身份证号码, GB 11643-1999 ---------------------------------------------------------
# §6: weights Wi = 2^(17-i) mod 11; check = "10X98765432"[Σ(ai·Wi) mod 11].
_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK = "10X98765432"
# GB/T 2260 province-level codes (first two digits of every division code).
# fmt: off
PROVINCE_CODES = frozenset({
    "11", "12", "13", "14", "15", "21", "22", "23", "31", "32", "33", "34", "35", "36", "37", "41", "42",
    "43", "44", "45", "46", "50", "51", "52", "53", "54", "61", "62", "63", "64", "65", "71", "81", "82",
})
# fmt: on


def id_number_check_char(body17: str) -> str:
    return _ID_CHECK[sum(int(c) * w for c, w in zip(body17, _ID_WEIGHTS, strict=True)) % 11]


def validate_id_number(value: str, *, today: date | None = None) -> str:
    text = (value or "").strip().upper()
    if not re.fullmatch(r"\d{17}[\dX]", text):
        raise CodeInvalid("身份证号应为18位，前17位为数字，最后一位为数字或X")
    if text[:2] not in PROVINCE_CODES:
        raise CodeInvalid("身份证号地址码无效")
    try:
        born = date(int(text[6:10]), int(text[10:12]), int(text[12:14]))
    except ValueError:
        raise CodeInvalid("身份证号出生日期无效") from None
    if born > (today or date.today()) or born.year < 1900:
        raise CodeInvalid("身份证号出生日期无效")
    if id_number_check_char(text[:17]) != text[17]:
        raise CodeInvalid("身份证号校验位错误")
    return text


def id_number_birth_date(id_number: str) -> date:
    return date(int(id_number[6:10]), int(id_number[10:12]), int(id_number[12:14]))


def id_number_is_male(id_number: str) -> bool:
    """GB 11643 §5.3: the sequence code is odd for men and even for women."""
    return int(id_number[16]) % 2 == 1


# --- 统一社会信用代码, GB 32100-2015 -------------------------------------------------------
# §4: alphabet without I O S V Z, values 0–30; weights 3^i mod 31; check = (31 − Σ mod 31) mod 31.
USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_USCC_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
# §4.1 登记管理部门代码 (1 机构编制, 5 民政, 9 工商, Y 其他 …).
USCC_REGISTRARS = frozenset("123456789ANY")


def uscc_check_char(body17: str) -> str:
    total = sum(USCC_ALPHABET.index(c) * w for c, w in zip(body17, _USCC_WEIGHTS, strict=True))
    return USCC_ALPHABET[(31 - total % 31) % 31]


def _uscc_shape(text: str) -> None:
    if len(text) != 18:
        raise CodeInvalid("统一社会信用代码应为18位")
    if any(c not in USCC_ALPHABET for c in text):
        raise CodeInvalid("统一社会信用代码含非法字符（不使用I、O、S、V、Z）")
    if text[0] not in USCC_REGISTRARS:
        raise CodeInvalid("统一社会信用代码登记管理部门代码无效")
    if not text[2:8].isdigit():
        raise CodeInvalid("统一社会信用代码登记管理机关行政区划码无效")


def validate_uscc(value: str) -> str:
    text = (value or "").strip().upper()
    _uscc_shape(text)
    if uscc_check_char(text[:17]) != text[17]:
        raise CodeInvalid("统一社会信用代码校验位错误")
    return text


def uscc_legacy_problem(value: str) -> tuple[str, str | None]:
    """For a data steward's import: shape errors still raise, but a wrong check digit is
    returned as a warning so that real early codes that fail their own check are kept, flagged."""
    text = (value or "").strip().upper()
    _uscc_shape(text)
    if uscc_check_char(text[:17]) != text[17]:
        return text, "统一社会信用代码校验位错误（历史数据，已标记）"
    return text, None


# --- 组织机构代码, GB 11714-1997 ------------------------------------------------------------
# §5: weights 3,7,9,10,5,8,4,2; c = 11 − Σ mod 11; 10 → X, 11 → 0.
_ORG_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)
_ORG_BODY = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"


def org_code_check_char(body8: str) -> str:
    c = 11 - sum(_ORG_BODY.index(ch) * w for ch, w in zip(body8, _ORG_WEIGHTS, strict=True)) % 11
    return {10: "X", 11: "0"}.get(c, str(c))


def validate_org_code(value: str) -> str:
    text = (value or "").strip().upper().replace("-", "")
    if not re.fullmatch(r"[0-9A-Z]{8}[0-9X]", text):
        raise CodeInvalid("组织机构代码应为9位（8位本体代码加1位校验码）")
    if org_code_check_char(text[:8]) != text[8]:
        raise CodeInvalid("组织机构代码校验位错误")
    return text


# --- 行政区划代码 GB/T 2260 and 统计用区划代码 ----------------------------------------------
class DivisionLevel:
    PROVINCE = "province"
    CITY = "city"
    COUNTY = "county"
    TOWNSHIP = "township"
    VILLAGE = "village"


def division_level(code: str) -> str:
    """The level a valid division code denotes: 6 digits 省/市/县, 12 digits 乡/村."""
    if len(code) == 6:
        if code[2:] == "0000":
            return DivisionLevel.PROVINCE
        if code[4:] == "00":
            return DivisionLevel.CITY
        return DivisionLevel.COUNTY
    return DivisionLevel.TOWNSHIP if code[9:] == "000" else DivisionLevel.VILLAGE


def division_significant_prefix(code: str) -> str:
    """The digits a child's code must start with: 省 2, 市 4, 县 6, 乡 9."""
    return {
        DivisionLevel.PROVINCE: code[:2],
        DivisionLevel.CITY: code[:4],
        DivisionLevel.COUNTY: code[:6],
        DivisionLevel.TOWNSHIP: code[:9],
        DivisionLevel.VILLAGE: code,
    }[division_level(code)]


def validate_division_code(value: str) -> str:
    text = (value or "").strip()
    if not re.fullmatch(r"\d{6}|\d{12}", text):
        raise CodeInvalid("行政区划代码应为6位（GB/T 2260）或12位（统计用区划代码）")
    if text[:2] not in PROVINCE_CODES:
        raise CodeInvalid("行政区划代码省级代码无效")
    # A 12-digit code for a county or above is written with its 6-digit GB/T 2260 form.
    if len(text) == 12 and text[6:9] == "000":
        raise CodeInvalid("统计用区划代码乡级代码不能为000")
    return text


def township_kind(code: str) -> str:
    """统计用区划代码 digits 7–9: 001–099 街道, 100–199 镇, 200–399 乡, 400–599 other."""
    n = int(code[6:9])
    if n < 100:
        return "街道"
    if n < 200:
        return "镇"
    if n < 400:
        return "乡"
    return "其他乡级单位"


def validate_division_child(parent_code: str, child_code: str) -> None:
    """A child's code must extend its parent's (STANDARDS.md §1)."""
    order = [
        DivisionLevel.PROVINCE,
        DivisionLevel.CITY,
        DivisionLevel.COUNTY,
        DivisionLevel.TOWNSHIP,
        DivisionLevel.VILLAGE,
    ]
    parent_level, child_level = division_level(parent_code), division_level(child_code)
    if order.index(child_level) <= order.index(parent_level):
        raise CodeInvalid("下级行政区划的层级必须低于上级")
    if not child_code.startswith(division_significant_prefix(parent_code)):
        raise CodeInvalid(f"行政区划代码 {child_code} 未以上级代码 {parent_code} 的前缀开头")


# --- 单元网格编码 CJ/T 213 -------------------------------------------------------------------
def validate_grid_code(value: str) -> str:
    text = (value or "").strip()
    length = settings.GRID_CODE_LENGTH
    if not re.fullmatch(rf"\d{{{length}}}", text):
        raise CodeInvalid(f"单元网格编码应为{length}位数字")
    return text


# --- phone numbers ----------------------------------------------------------------------
_MOBILE = re.compile(r"1[3-9]\d{9}")
_LANDLINE = re.compile(r"0\d{2,3}-?\d{7,8}")


def validate_mobile(value: str) -> str:
    text = re.sub(r"[\s]", "", value or "").removeprefix("+86")
    if not _MOBILE.fullmatch(text):
        raise CodeInvalid("手机号码应为11位，以1开头")
    return text


def validate_phone(value: str) -> str:
    """A mobile number or a landline with its area code (0xx-xxxxxxxx)."""
    text = re.sub(r"[\s]", "", value or "").removeprefix("+86")
    if _MOBILE.fullmatch(text) or _LANDLINE.fullmatch(text):
        return text
    raise CodeInvalid("电话号码应为11位手机号或带区号的固定电话")
