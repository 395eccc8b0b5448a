"""证照标识: the identifier of an electronic licence, GB/T 36904-2018 (STANDARDS.md §1, §8).

    1.2.156.3005.2.<证照类型代码>.<颁发机构代码>.<流水号>.<版本号>.<校验位>

- ``1.2.156.3005.2`` — the object-identifier arc of electronic licences (GB/T 36904-2018).
- 证照类型代码 — the defining body's 统一社会信用代码 (18, GB 32100-2015) + 3 digits.
- 颁发机构代码 — the issuing body's 统一社会信用代码 (18).
- 流水号 — 1–32 characters of ``0-9A-Z`` chosen by the issuer.
- 版本号 — 3 digits, 001–999; changing a licence issues the next version.
- 校验位 — ISO/IEC 7064 MOD 37,36 over the four fields above concatenated without dots.

Pure functions, no database: the public verification page, the issuing services and the API
all parse and build identifiers here, so every one of them gives the same Chinese reason.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from yiwang.core.codes import CodeInvalid, validate_uscc

ROOT = "1.2.156.3005.2"
ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
SERIAL_MAX = 32
VERSION_MAX = 999

# --- ISO/IEC 7064 MOD 37,36 (hybrid system) -------------------------------------------------
# ISO/IEC 7064:2003 §7, hybrid systems with modulus M and M+1; here M = 36 over ALPHABET (values
# 0–35). Start with P = M. For each character value a:
#     S = (P + a) mod M, taking 0 as M;    P = (2 · S) mod (M + 1).
# The check character c makes the next S equal 1, i.e. (P + c) mod M = 1, so
#     c = (M + 1 − P) mod M.
# Verifying a protected string (check last) therefore means: run the same steps over all but
# the last character and find (P + c) mod M == 1. Hybrid systems detect every single
# substitution error and every adjacent transposition.
_M = 36
_VALUE = {char: value for value, char in enumerate(ALPHABET)}


def _values(text: str) -> list[int]:
    try:
        return [_VALUE[char] for char in text.upper()]
    except KeyError as error:
        raise ValueError(f"字符 {error.args[0]!r} 不在 0-9A-Z 之内") from None


def _hybrid_p(values: list[int]) -> int:
    p = _M
    for value in values:
        s = (p + value) % _M or _M
        p = (2 * s) % (_M + 1)
    return p


def mod37_36_check_char(text: str) -> str:
    """The ISO/IEC 7064 MOD 37,36 check character of `text` (uppercased; 0-9A-Z only)."""
    return ALPHABET[(_M + 1 - _hybrid_p(_values(text))) % _M]


def mod37_36_is_valid(protected: str) -> bool:
    """True if the last character of `protected` is the MOD 37,36 check of the rest.

    Checked the way ISO/IEC 7064 verifies a hybrid system, (P + c) mod M == 1, not by
    recomputing the check character, so the two functions check each other in the tests."""
    values = _values(protected)
    if not values:
        return False
    return (_hybrid_p(values[:-1]) + values[-1]) % _M == 1


# --- 证照标识 -------------------------------------------------------------------------------
class InvalidIdentifier(ValueError):
    """The text is not a valid 证照标识; `str(error)` is the Chinese reason shown to people."""


@dataclass(frozen=True)
class Identifier:
    type_code: str  # 证照类型代码: defining body's USCC + 3 digits
    issuer_code: str  # 颁发机构代码: issuer's USCC
    serial: str  # 流水号
    version: int  # 版本号 1..999
    check: str  # 校验位

    @property
    def body(self) -> str:
        """The fields after ROOT without dots: what the check character protects."""
        return f"{self.type_code}{self.issuer_code}{self.serial}{self.version:03d}"

    @property
    def text(self) -> str:
        return f"{ROOT}.{self.type_code}.{self.issuer_code}.{self.serial}.{self.version:03d}.{self.check}"

    def __str__(self) -> str:
        return self.text

    def with_version(self, version: int) -> Identifier:
        """The identifier of another version of the same licence (new check character)."""
        return parse_identifier(
            build_identifier(
                type_code=self.type_code, issuer_code=self.issuer_code, serial=self.serial, version=version
            )
        )


_STRUCTURE = f"证照标识结构不对：应为 {ROOT}.证照类型代码.颁发机构代码.流水号.版本号.校验位"
_SERIAL = re.compile(rf"[0-9A-Z]{{1,{SERIAL_MAX}}}")


def _uscc(value: str, field: str) -> str:
    try:
        return validate_uscc(value)
    except CodeInvalid as error:
        raise InvalidIdentifier(f"{field}无效：{error}") from None


def _check_type_code(type_code: str) -> str:
    if not re.fullmatch(r"[0-9A-Z]{18}\d{3}", type_code):
        raise InvalidIdentifier("证照类型代码应为21位：定义机构的统一社会信用代码（18位）加3位数字")
    return _uscc(type_code[:18], "证照类型代码中的统一社会信用代码") + type_code[18:]


def _check_serial(serial: str) -> str:
    if not _SERIAL.fullmatch(serial):
        raise InvalidIdentifier(f"流水号应为1–{SERIAL_MAX}位数字或大写字母")
    return serial


def _check_version(version: int) -> int:
    if isinstance(version, bool) or not isinstance(version, int) or not 1 <= version <= VERSION_MAX:
        raise InvalidIdentifier(f"版本号应在 1–{VERSION_MAX} 之间（3位数字，001–{VERSION_MAX}）")
    return version


def build_identifier(*, type_code: str, issuer_code: str, serial: str, version: int) -> str:
    """The full 证照标识 with its check character; raises InvalidIdentifier naming the bad field."""
    type_code = _check_type_code((type_code or "").strip().upper())
    issuer_code = _uscc((issuer_code or "").strip().upper(), "颁发机构代码")
    serial = _check_serial((serial or "").strip().upper())
    version = _check_version(version)
    body = f"{type_code}{issuer_code}{serial}{version:03d}"
    return f"{ROOT}.{type_code}.{issuer_code}.{serial}.{version:03d}.{mod37_36_check_char(body)}"


def _normalise(text: str) -> str:
    # NFKC turns full-width digits, letters and "．" (typed with a Chinese input method) into ASCII.
    text = unicodedata.normalize("NFKC", text or "").replace("。", ".")
    return "".join(text.split()).upper()


def parse_identifier(text: str) -> Identifier:
    """Parse and check a 证照标识. Order: structure, then the check character (so a typo anywhere
    reads "校验位错误"), then the codes inside it, then the version range."""
    normal = _normalise(text)
    if not normal.startswith(ROOT + "."):
        raise InvalidIdentifier(f"{_STRUCTURE}（应以 {ROOT} 开头）")
    fields = normal[len(ROOT) + 1 :].split(".")
    if len(fields) != 5:
        raise InvalidIdentifier(f"{_STRUCTURE}（应有5段，实为{len(fields)}段）")
    type_code, issuer_code, serial, version_text, check = fields
    if not re.fullmatch(r"[0-9A-Z]{18}\d{3}", type_code):
        raise InvalidIdentifier("证照类型代码应为21位：定义机构的统一社会信用代码（18位）加3位数字")
    if not re.fullmatch(r"[0-9A-Z]{18}", issuer_code):
        raise InvalidIdentifier("颁发机构代码应为18位统一社会信用代码")
    _check_serial(serial)
    if not re.fullmatch(r"\d{3}", version_text):
        raise InvalidIdentifier(f"版本号应为3位数字（001–{VERSION_MAX}）")
    if not re.fullmatch(r"[0-9A-Z]", check):
        raise InvalidIdentifier("校验位应为1位数字或大写字母")
    if mod37_36_check_char(type_code + issuer_code + serial + version_text) != check:
        raise InvalidIdentifier("校验位错误：证照标识有误，请核对后重新输入")
    _check_type_code(type_code)
    _uscc(issuer_code, "颁发机构代码")
    version = _check_version(int(version_text))
    return Identifier(type_code, issuer_code, serial, version, check)


def validate_identifier(text: str) -> str:
    """The normalised 证照标识, or InvalidIdentifier with the Chinese reason."""
    return parse_identifier(text).text
