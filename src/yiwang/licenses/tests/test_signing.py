"""Signatures: SM2 interoperability with gmssl (an independent pure-Python SM2), tampering,
Ed25519, and the canonical bytes."""

import base64
import secrets

import pytest
from gmssl.sm2 import CryptSM2, default_ecc_table
from tongsuopy.crypto import serialization
from tongsuopy.crypto.asymciphers import ec

from yiwang.licenses.signing import (
    DEFAULT_SM2_ID,
    Algorithm,
    algorithm_of,
    canonical,
    fingerprint,
    generate_key,
    public_key_der,
    public_key_raw_hex,
    sign,
    sm2_signature_from_rs,
    sm2_signature_to_rs,
    verify,
)

PAYLOAD = {
    "证照标识": "1.2.156.3005.2.11100000000013338W011.11430000006122244L.20230000403.001.U",
    "证照名称": "建筑施工企业安全生产管理人员考核合格证书",
    "持证主体": "张三",
    "颁发日期": "2023-05-04",
    "版本号": 1,
}
MESSAGE = canonical(PAYLOAD)


@pytest.fixture(scope="module")
def sm2_key():
    return generate_key(Algorithm.SM2)


@pytest.fixture(scope="module")
def ed_key():
    return generate_key(Algorithm.ED25519)


def gmssl_sm2(xy, private_hex="", asn1=False):
    """gmssl's CryptSM2 for the public point x‖y. The key is set after construction: gmssl 3.2's
    constructor does `public_key.lstrip("04")` on a key starting with "04", which also eats any
    leading 0/4 digits of x (1 key in 256 whose x starts with 04 would break the test)."""
    crypt = CryptSM2(private_key=private_hex, public_key="", asn1=asn1)
    crypt.public_key = xy
    return crypt


def gmssl_key_pair():
    """A key pair made by gmssl itself: d random, public point d·G by gmssl's own arithmetic."""
    n = int(default_ecc_table["n"], 16)
    d = f"{secrets.randbelow(n - 2) + 1:064x}"
    xy = gmssl_sm2("", d)._kg(int(d, 16), default_ecc_table["g"])
    return d, xy


def pem_from_xy(xy):
    point = ec.EllipticCurvePublicKey.from_encoded_point(ec.SM2(), bytes.fromhex("04" + xy))
    return point.public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    ).decode()


def sm2_private_pem(d_hex):
    key = ec.derive_private_key(int(d_hex, 16), ec.SM2())
    return key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    ).decode()


# --- SM2 interoperability ------------------------------------------------------------------
def assert_gmssl_verifies(public_pem, signature, message):
    xy = public_key_raw_hex(public_pem)[2:]
    rs_hex = sm2_signature_to_rs(signature).hex()
    assert gmssl_sm2(xy).verify_with_sm3(rs_hex, message)
    assert not gmssl_sm2(xy).verify_with_sm3(rs_hex, message + b" ")
    # gmssl's own DER mode reads our DER directly, too.
    assert gmssl_sm2(xy, asn1=True).verify_with_sm3(signature.hex(), message)


def test_sm2_signature_made_here_is_verified_by_gmssl(sm2_key):
    signature = sign(algorithm=Algorithm.SM2, private_pem=sm2_key.private_pem, message=MESSAGE)
    assert_gmssl_verifies(sm2_key.public_pem, signature, MESSAGE)


def test_sm2_interop_with_a_public_x_starting_with_04():
    # A fixed key whose x coordinate begins 04…: raw-hex handling must not lose those digits.
    d = "6c0432e4deaac255e2c1360d920dce87e07936b4c6028d53f64bacb5febfa929"
    private_pem = sm2_private_pem(d)
    public_pem = pem_from_xy(gmssl_sm2("", d)._kg(int(d, 16), default_ecc_table["g"]))
    assert public_key_raw_hex(public_pem).startswith("040424f0bc")
    signature = sign(algorithm=Algorithm.SM2, private_pem=private_pem, message=MESSAGE)
    assert verify(algorithm=Algorithm.SM2, public_pem=public_pem, message=MESSAGE, signature=signature)
    assert_gmssl_verifies(public_pem, signature, MESSAGE)


def test_sm2_signature_made_by_gmssl_with_its_own_key_is_verified_here():
    d, xy = gmssl_key_pair()
    public_pem = pem_from_xy(xy)
    rs_hex = gmssl_sm2(xy, d).sign_with_sm3(MESSAGE)
    signature = sm2_signature_from_rs(bytes.fromhex(rs_hex))
    assert verify(algorithm=Algorithm.SM2, public_pem=public_pem, message=MESSAGE, signature=signature)
    assert not verify(
        algorithm=Algorithm.SM2, public_pem=public_pem, message=MESSAGE[:-1], signature=signature
    )
    assert public_key_raw_hex(public_pem) == "04" + xy
    # and gmssl's DER mode produces what we read as is
    der = bytes.fromhex(gmssl_sm2(xy, d, asn1=True).sign_with_sm3(MESSAGE))
    assert verify(algorithm=Algorithm.SM2, public_pem=public_pem, message=MESSAGE, signature=der)


def test_gmssl_z_uses_the_same_default_id():
    # gmssl hard-codes the ID inside Z_A as hex; it must be ours, or the interop above is luck.
    assert DEFAULT_SM2_ID == b"1234567812345678"
    assert bytes.fromhex("31323334353637383132333435363738") == DEFAULT_SM2_ID


def test_sm2_key_formats_are_what_gmssl_tools_read(sm2_key):
    assert sm2_key.private_pem.startswith("-----BEGIN PRIVATE KEY-----")
    assert sm2_key.public_pem.startswith("-----BEGIN PUBLIC KEY-----")
    der = public_key_der(sm2_key.public_pem)
    # id-ecPublicKey 1.2.840.10045.2.1 with the curve sm2p256v1 1.2.156.10197.1.301
    assert bytes.fromhex("06072a8648ce3d0201") in der
    assert bytes.fromhex("06082a811ccf5501822d") in der
    raw = public_key_raw_hex(sm2_key.public_pem)
    assert len(raw) == 130 and raw.startswith("04")
    assert algorithm_of(sm2_key.public_pem) is Algorithm.SM2


# --- tampering -----------------------------------------------------------------------------
@pytest.mark.parametrize("algorithm", list(Algorithm))
def test_round_trip_and_tampering(algorithm, sm2_key, ed_key):
    key = sm2_key if algorithm is Algorithm.SM2 else ed_key
    signature = sign(algorithm=algorithm, private_pem=key.private_pem, message=MESSAGE)
    assert verify(algorithm=algorithm, public_pem=key.public_pem, message=MESSAGE, signature=signature)

    changed_message = bytearray(MESSAGE)
    changed_message[10] ^= 0x01
    assert not verify(
        algorithm=algorithm, public_pem=key.public_pem, message=bytes(changed_message), signature=signature
    )
    for position in (len(signature) // 2, len(signature) - 1):
        flipped = bytearray(signature)
        flipped[position] ^= 0x80
        assert not verify(
            algorithm=algorithm, public_pem=key.public_pem, message=MESSAGE, signature=bytes(flipped)
        )
    other = generate_key(algorithm)
    assert not verify(algorithm=algorithm, public_pem=other.public_pem, message=MESSAGE, signature=signature)


def test_ed25519_signature_is_64_bytes_and_key_is_32(ed_key):
    signature = sign(algorithm=Algorithm.ED25519, private_pem=ed_key.private_pem, message=MESSAGE)
    assert len(signature) == 64
    assert len(bytes.fromhex(public_key_raw_hex(ed_key.public_pem))) == 32
    assert algorithm_of(ed_key.public_pem) is Algorithm.ED25519


def test_ed25519_matches_rfc_8032_test_1():
    from cryptography.hazmat.primitives import serialization as cs
    from cryptography.hazmat.primitives.asymmetric import ed25519

    secret = bytes.fromhex("9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60")
    private = ed25519.Ed25519PrivateKey.from_private_bytes(secret)
    private_pem = private.private_bytes(cs.Encoding.PEM, cs.PrivateFormat.PKCS8, cs.NoEncryption()).decode()
    public_pem = (
        private.public_key().public_bytes(cs.Encoding.PEM, cs.PublicFormat.SubjectPublicKeyInfo).decode()
    )
    assert (
        public_key_raw_hex(public_pem) == "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a"
    )
    assert sign(algorithm="Ed25519", private_pem=private_pem, message=b"").hex() == (
        "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b"
    )


def test_verify_never_raises_on_malformed_input(sm2_key, ed_key):
    signature = sign(algorithm=Algorithm.SM2, private_pem=sm2_key.private_pem, message=MESSAGE)
    bad_calls = [
        {"public_pem": sm2_key.public_pem, "signature": signature + b"\x00"},  # trailing byte after DER
        {"public_pem": sm2_key.public_pem, "signature": b""},
        {"public_pem": sm2_key.public_pem, "signature": b"\x30\x02\x02\x00"},
        {"public_pem": sm2_key.public_pem, "signature": sm2_signature_to_rs(signature)},  # r‖s, not DER
        {"public_pem": "not a key", "signature": signature},
        {"public_pem": "", "signature": signature},
        {"public_pem": ed_key.public_pem, "signature": signature},  # key of the other algorithm
        {"public_pem": sm2_key.public_pem, "signature": signature, "algorithm": "RSA"},
        {"public_pem": sm2_key.public_pem, "signature": None},
    ]
    for call in bad_calls:
        arguments = {"algorithm": Algorithm.SM2, "message": MESSAGE} | call
        assert verify(**arguments) is False, call


def test_sign_refuses_a_key_of_the_other_algorithm(sm2_key, ed_key):
    with pytest.raises(ValueError, match="PKCS#8"):
        sign(algorithm=Algorithm.SM2, private_pem="garbage", message=MESSAGE)
    with pytest.raises(ValueError, match="Ed25519"):
        sign(algorithm=Algorithm.ED25519, private_pem=sm2_key.private_pem, message=MESSAGE)
    with pytest.raises(ValueError, match="SM2-SM3"):
        sign(algorithm=Algorithm.SM2, private_pem=ed_key.private_pem, message=MESSAGE)


# --- fingerprints --------------------------------------------------------------------------
def test_fingerprint_is_sm3_of_the_der_key(sm2_key, ed_key):
    from gmssl import func, sm3

    for key in (sm2_key, ed_key):
        der = public_key_der(key.public_pem)
        assert fingerprint(key.public_pem) == sm3.sm3_hash(func.bytes_to_list(der))
    assert fingerprint(sm2_key.public_pem) != fingerprint(ed_key.public_pem)
    # PEM line layout does not change the fingerprint.
    body = "".join(sm2_key.public_pem.strip().splitlines()[1:-1])
    relaid = "-----BEGIN PUBLIC KEY-----\n" + body + "\n-----END PUBLIC KEY-----\n"
    assert base64.b64decode(body) == public_key_der(sm2_key.public_pem)
    assert fingerprint(relaid) == fingerprint(sm2_key.public_pem)


# --- canonical form ------------------------------------------------------------------------
def test_canonical_ignores_key_order_and_keeps_chinese_as_utf8():
    shuffled = dict(reversed(list(PAYLOAD.items())))
    assert canonical(shuffled) == canonical(PAYLOAD)
    assert "建筑施工企业".encode() in canonical(PAYLOAD)
    assert canonical({"b": [1, {"d": None, "c": True}], "a": "x"}) == b'{"a":"x","b":[1,{"c":true,"d":null}]}'


def test_canonical_escapes_only_what_json_must():
    assert canonical({"k": 'a"\\\n\t\x01/é'}) == '{"k":"a\\"\\\\\\n\\t\\u0001/é"}'.encode()


def test_canonical_sorts_keys_by_utf16_code_units():
    # RFC 8785 §3.2.3: U+1F600 (surrogates D83D DE00) sorts before U+FF21 in UTF-16.
    assert canonical({"\uff21": 1, "\U0001f600": 2}) == '{"\U0001f600":2,"\uff21":1}'.encode()


@pytest.mark.parametrize(
    ("payload", "reason"),
    [
        ({"amount": 1.5}, "浮点数"),
        ({"nested": [{"x": 2.0}]}, "浮点数"),
        ({"big": 2**53}, "整数超出"),
        ({1: "x"}, "键必须是字符串"),
        ({"when": __import__("datetime").date(2024, 1, 1)}, "不允许的值类型"),
        ({"bad": "\ud800"}, "无效的 Unicode"),
    ],
)
def test_canonical_refuses_what_cannot_be_rebuilt(payload, reason):
    with pytest.raises(ValueError, match=reason):
        canonical(payload)


def test_canonical_needs_an_object():
    with pytest.raises(ValueError):
        canonical(["not", "an", "object"])
