from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from yiwang.core import codes

# Published examples: GB 11643-1999 Appendix example, GB 32100-2015 style real codes.
VALID_ID = "11010519491231002X"
VALID_USCC = "91350100M000100Y43"


def test_id_number_from_the_standard_is_valid():
    assert codes.validate_id_number(VALID_ID) == VALID_ID


def test_id_number_lower_case_x_is_normalised():
    assert codes.validate_id_number(VALID_ID.lower()) == VALID_ID


@pytest.mark.parametrize(
    ("value", "reason"),
    [
        ("110105194912310021", "身份证号校验位错误"),
        ("11010519491331002X", "身份证号出生日期无效"),
        ("11010519490230002X", "身份证号出生日期无效"),
        ("1101051949123100", "身份证号应为18位，前17位为数字，最后一位为数字或X"),
        ("99010519491231002X", "身份证号地址码无效"),
    ],
)
def test_bad_id_numbers_name_the_reason(value, reason):
    with pytest.raises(codes.CodeInvalid, match=reason):
        codes.validate_id_number(value)


def test_id_number_born_in_the_future_is_rejected():
    body = "11010520300101001"
    with pytest.raises(codes.CodeInvalid, match="出生日期"):
        codes.validate_id_number(body + codes.id_number_check_char(body), today=date(2026, 11, 22))


def test_id_number_sequence_parity_gives_sex():
    assert not codes.id_number_is_male(VALID_ID)  # sequence 002: even, female
    assert codes.id_number_birth_date(VALID_ID) == date(1949, 12, 31)


def test_uscc_valid_and_wrong_check_digit():
    assert codes.validate_uscc(VALID_USCC) == VALID_USCC
    with pytest.raises(codes.CodeInvalid, match="统一社会信用代码校验位错误"):
        codes.validate_uscc(VALID_USCC[:-1] + "2")


@pytest.mark.parametrize("letter", list("IOSVZ"))
def test_uscc_forbidden_letters_are_rejected(letter):
    with pytest.raises(codes.CodeInvalid, match="非法字符"):
        codes.validate_uscc(VALID_USCC[:10] + letter + VALID_USCC[11:])


def test_uscc_legacy_import_keeps_bad_check_digit_as_warning():
    value, warning = codes.uscc_legacy_problem(VALID_USCC[:-1] + "2")
    assert value == VALID_USCC[:-1] + "2"
    assert "校验位错误" in warning


def test_org_code_check_digit():
    # GB 11714 example: D2143569-X style codes; computed here by hand-checked weights.
    assert codes.org_code_check_char("D2143569") == "X"
    assert codes.validate_org_code("D2143569-X") == "D2143569X"
    with pytest.raises(codes.CodeInvalid, match="组织机构代码校验位错误"):
        codes.validate_org_code("D21435691")


def test_org_code_inside_a_real_uscc_is_valid():
    assert codes.validate_org_code(VALID_USCC[8:17]) == VALID_USCC[8:17]


@given(st.text(alphabet=codes.USCC_ALPHABET, min_size=17, max_size=17))
def test_every_uscc_body_with_its_check_char_validates(body):
    body = "9" + body[1:2] + "110105" + body[8:]
    if body[2:8].isdigit():
        assert codes.validate_uscc(body + codes.uscc_check_char(body))


@given(
    st.from_regex(r"[1-6][1-5]\d{4}(19[5-9]\d|200\d)(0[1-9]|1[0-2])(0[1-9]|1\d|2[0-8])\d{3}", fullmatch=True)
)
def test_every_id_body_with_its_check_char_validates_and_any_other_fails(body):
    if body[:2] not in codes.PROVINCE_CODES:
        return
    good = codes.id_number_check_char(body)
    assert codes.validate_id_number(body + good)
    wrong = next(c for c in "0123456789X" if c != good)
    with pytest.raises(codes.CodeInvalid):
        codes.validate_id_number(body + wrong)


@pytest.mark.parametrize(
    ("code", "level"),
    [
        ("330000", "province"),
        ("330100", "city"),
        ("330106", "county"),
        ("330106001000", "township"),
        ("330106001001", "village"),
    ],
)
def test_division_levels(code, level):
    assert codes.division_level(codes.validate_division_code(code)) == level


def test_division_child_must_extend_parent():
    codes.validate_division_child("330100", "330106")
    codes.validate_division_child("330106", "330106001000")
    with pytest.raises(codes.CodeInvalid, match="前缀"):
        codes.validate_division_child("330100", "330206")
    with pytest.raises(codes.CodeInvalid, match="层级"):
        codes.validate_division_child("330106", "330100")


def test_township_kind_from_statistical_code():
    assert codes.township_kind("330106001000") == "街道"
    assert codes.township_kind("330106101000") == "镇"
    assert codes.township_kind("330106201000") == "乡"


@pytest.mark.parametrize("phone", ["13812345678", "+86 138 1234 5678", "0571-87654321"])
def test_phone_numbers_accepted(phone):
    assert codes.validate_phone(phone)


@pytest.mark.parametrize("phone", ["12812345678", "1381234567", "abc", ""])
def test_bad_mobile_numbers_rejected(phone):
    with pytest.raises(codes.CodeInvalid, match="手机号码"):
        codes.validate_mobile(phone)
