import pytest
from hypothesis import given
from hypothesis import strategies as st

from yiwang.licenses import identifiers
from yiwang.licenses.identifiers import (
    ALPHABET,
    ROOT,
    Identifier,
    InvalidIdentifier,
    build_identifier,
    mod37_36_check_char,
    mod37_36_is_valid,
    parse_identifier,
    validate_identifier,
)

DEFINER = "11100000000013338W"  # 住房和城乡建设部, defines the licence type
ISSUER = "91350100M000100Y43"
TYPE_CODE = DEFINER + "011"

# ISO/IEC 7064 MOD 37,36 vectors published with konfirm/node-iso7064
# (test/source/Instance/Mod37_36.ts, taken from LiosK/cdigit test/mod37_36.js).
PUBLISHED_MOD37_36 = [
    ("A12425GABC1234002", "M"),
    ("RABD", "A"),
    ("X0H", "X"),
    ("B7Q3SFTUSH2QN7BIXBPMNZAM", "I"),
    ("UFSYYJO9FCID766EJYAEINTG43UZDD84MT6ZUDH08OM4N1K", "N"),
    ("ROYL38YZ9TDGPNB5MT40CEWGURAOKF07XEYTV3M", "6"),
    ("TBR", "1"),
    ("9", "J"),
    ("OW", "N"),
    ("1M", "Q"),
    ("WP8Z0", "9"),
]

# Real 证照标识 found in public code: the example of the 住建部 licence standard
# 《全国一体化政务服务平台 电子证照 建筑施工企业安全生产管理人员考核合格证书》附录A.2 (versions 001 and 002),
# a 竣工验收备案 licence of 济宁市行政审批服务局, and an OFD file name on tzxm.zjzwfw.gov.cn.
REAL_IDENTIFIERS = [
    "1.2.156.3005.2.11100000000013338W011.11430000006122244L.20230000403.001.U",
    "1.2.156.3005.2.11100000000013338W011.11430000006122244L.20230000403.002.S",
    "1.2.156.3005.2.11100000000013338W087.11370800MB28559184.37080001202411010001.001.3",
    "1.2.156.3005.2.11100000000013338W009.11330105002500287C.2025052201.002.0",
]


@pytest.mark.parametrize(("text", "check"), PUBLISHED_MOD37_36)
def test_check_char_matches_published_vectors(text, check):
    assert mod37_36_check_char(text) == check
    assert mod37_36_is_valid(text + check)


@pytest.mark.parametrize("text", REAL_IDENTIFIERS)
def test_real_identifiers_issued_by_other_systems_are_valid(text):
    assert validate_identifier(text) == text


def test_check_char_input_is_uppercased_and_bad_characters_refused():
    assert mod37_36_check_char("rabd") == "A"
    with pytest.raises(ValueError, match="不在 0-9A-Z"):
        mod37_36_check_char("AB-1")


@given(st.text(alphabet=ALPHABET, min_size=1, max_size=80))
def test_appending_the_check_char_passes_the_hybrid_check(text):
    assert mod37_36_is_valid(text + mod37_36_check_char(text))


@given(st.text(alphabet=ALPHABET, min_size=1, max_size=80), st.data())
def test_every_single_substitution_is_detected(text, data):
    position = data.draw(st.integers(0, len(text) - 1))
    replacement = data.draw(st.sampled_from(ALPHABET).filter(lambda c: c != text[position]))
    changed = text[:position] + replacement + text[position + 1 :]
    assert mod37_36_check_char(changed) != mod37_36_check_char(text)
    assert not mod37_36_is_valid(changed + mod37_36_check_char(text))


def test_every_single_substitution_of_an_identifier_body_is_detected_exhaustively():
    parsed = parse_identifier(
        build_identifier(type_code=TYPE_CODE, issuer_code=ISSUER, serial="A1", version=7)
    )
    body = parsed.body
    for position in range(len(body)):
        for replacement in ALPHABET.replace(body[position], ""):
            changed = body[:position] + replacement + body[position + 1 :]
            assert mod37_36_check_char(changed) != parsed.check, (position, replacement)


def test_identifier_round_trip():
    text = build_identifier(type_code=TYPE_CODE, issuer_code=ISSUER, serial="2024SC000123", version=1)
    assert text.startswith(f"{ROOT}.{TYPE_CODE}.{ISSUER}.2024SC000123.001.")
    parsed = parse_identifier(text)
    assert parsed == Identifier(TYPE_CODE, ISSUER, "2024SC000123", 1, text[-1])
    assert str(parsed) == text == validate_identifier(text)
    assert parsed.body == f"{TYPE_CODE}{ISSUER}2024SC000123001"


@pytest.mark.parametrize("version", [1, 999])
def test_versions_at_both_ends(version):
    text = build_identifier(type_code=TYPE_CODE, issuer_code=ISSUER, serial="9", version=version)
    assert text.split(".")[-2] == f"{version:03d}"
    assert parse_identifier(text).version == version


def test_next_version_has_its_own_check_char():
    first = parse_identifier(REAL_IDENTIFIERS[0])
    assert first.with_version(2).text == REAL_IDENTIFIERS[1]


@pytest.mark.parametrize("version", [0, 1000, -1, True])
def test_version_out_of_range_is_refused_when_building(version):
    with pytest.raises(InvalidIdentifier, match="版本号"):
        build_identifier(type_code=TYPE_CODE, issuer_code=ISSUER, serial="1", version=version)


def test_version_000_is_refused_when_parsing():
    body = f"{TYPE_CODE}{ISSUER}1000"
    text = f"{ROOT}.{TYPE_CODE}.{ISSUER}.1.000.{mod37_36_check_char(body)}"
    with pytest.raises(InvalidIdentifier, match="版本号"):
        parse_identifier(text)


def test_lowercase_full_width_and_spaces_are_normalised():
    text = REAL_IDENTIFIERS[0]
    typed = " " + text.lower().replace(".", "。", 3).replace("1", "１") + " "
    assert validate_identifier(typed) == text


def test_wrong_check_char_says_so():
    text = REAL_IDENTIFIERS[0]
    with pytest.raises(InvalidIdentifier, match="^校验位错误"):
        parse_identifier(text[:-1] + "V")


def test_typo_inside_the_issuer_code_is_reported_as_check_char_error():
    text = REAL_IDENTIFIERS[2].replace("MB28559184", "MB28559185")
    with pytest.raises(InvalidIdentifier, match="^校验位错误"):
        parse_identifier(text)


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("", "结构不对"),
        ("1.2.156.3005.1.11100000000013338W011.11430000006122244L.20230000403.001.U", "结构不对"),
        ("1.2.156.3005.2.11100000000013338W011.11430000006122244L.20230000403.001", "结构不对"),
        ("1.2.156.3005.2.11100000000013338W011.11430000006122244L.2023.0000403.001.U", "结构不对"),
        ("1.2.156.3005.2.11100000000013338W01.11430000006122244L.20230000403.001.U", "证照类型代码应为21位"),
        ("1.2.156.3005.2.11100000000013338W011.1143000000612224L.20230000403.001.U", "颁发机构代码应为18位"),
        ("1.2.156.3005.2.11100000000013338W011.11430000006122244L.2023-0403.001.U", "流水号"),
        ("1.2.156.3005.2." + TYPE_CODE + "." + ISSUER + "." + "A" * 33 + ".001.U", "流水号"),
        ("1.2.156.3005.2.11100000000013338W011.11430000006122244L.20230000403.01.U", "版本号应为3位数字"),
        ("1.2.156.3005.2.11100000000013338W011.11430000006122244L.20230000403.001.UU", "校验位应为1位"),
    ],
)
def test_wrong_structure_names_the_part(text, reason):
    with pytest.raises(InvalidIdentifier, match=reason):
        parse_identifier(text)


def test_bad_uscc_with_a_matching_check_char_names_the_code():
    bad_issuer = ISSUER[:-1] + "2"  # USCC check digit wrong
    body = f"{TYPE_CODE}{bad_issuer}1001"
    text = f"{ROOT}.{TYPE_CODE}.{bad_issuer}.1.001.{mod37_36_check_char(body)}"
    with pytest.raises(InvalidIdentifier, match="颁发机构代码无效：统一社会信用代码校验位错误"):
        parse_identifier(text)


@pytest.mark.parametrize(
    ("fields", "reason"),
    [
        ({"type_code": DEFINER[:-1] + "X011"}, "证照类型代码中的统一社会信用代码无效"),
        ({"type_code": DEFINER}, "证照类型代码应为21位"),
        ({"issuer_code": ISSUER[:-1] + "2"}, "颁发机构代码无效：统一社会信用代码校验位错误"),
        ({"issuer_code": "91350100M000100I43"}, "颁发机构代码无效：统一社会信用代码含非法字符"),
        ({"serial": ""}, "流水号"),
        ({"serial": "证照1"}, "流水号"),
    ],
)
def test_building_with_a_bad_field_names_it(fields, reason):
    arguments = {"type_code": TYPE_CODE, "issuer_code": ISSUER, "serial": "1", "version": 1} | fields
    with pytest.raises(InvalidIdentifier, match=reason):
        build_identifier(**arguments)


def test_invalid_identifier_is_a_value_error():
    assert issubclass(InvalidIdentifier, ValueError)
    assert identifiers.ROOT == "1.2.156.3005.2"
