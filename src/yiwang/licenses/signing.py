"""Signatures of electronic licences: SM2 with SM3 (default) or Ed25519, and the bytes they sign.

SM2 (GB/T 32918-2016) with SM3 (GB/T 32905-2016) as GB/T 38540 expects for 电子证照 seals and
signatures (STANDARDS.md §8), computed by Tongsuo (tongsuopy): the signature is over
SM3(Z_A ‖ M), Z_A = SM3(ENTL ‖ ID ‖ a ‖ b ‖ x_G ‖ y_G ‖ x_A ‖ y_A) with the default user ID
``1234567812345678`` (GM/T 0009-2012, GB/T 35276-2017; GmSSL's ``SM2_DEFAULT_ID``), DER-encoded
``SEQUENCE { r INTEGER, s INTEGER }`` — the same bytes GmSSL writes and reads. Keys are PKCS#8 PEM
(private) and SubjectPublicKeyInfo PEM (public, id-ecPublicKey with the curve sm2p256v1,
1.2.156.10197.1.301). Ed25519 (RFC 8032) via pyca/cryptography is the configurable alternative.

How a third party verifies an SM2 licence signature with GmSSL 3 alone (command syntax from
GmSSL's tools/sm2verify.c, ``(-pubkey pem | -cert pem) [-id str] [-in file] -sig file``; NOT run
here — GmSSL is not installable on this machine, the tests use the independent pure-Python gmssl
package instead)::

    # 1. the issuer's public key, as published at /api/v1/licenses/keys, saved as key.pem
    # 2. the signed bytes: canonical(payload) — rebuild them as described in canonical() below,
    #    e.g. python3 -c 'import json,sys; d=json.load(sys.stdin); sys.stdout.buffer.write(
    #         json.dumps(d, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode())'
    #         < payload.json > msg.bin     (same bytes for payloads with BMP-only keys and no floats)
    # 3. the signature, base64 in the licence data, decoded to its DER bytes
    base64 -d sig.b64 > sig.der
    gmssl sm2verify -pubkey key.pem -id 1234567812345678 -sig sig.der -in msg.bin
    # prints "verify : success" and exits 0 when the signature is good

``-id 1234567812345678`` is GmSSL's default and may be left out. With the gmssl Python package:
set ``CryptSM2(...).public_key = public_key_raw_hex(pem)[2:]`` (x‖y) after construction (gmssl
3.2's constructor ``lstrip("04")``s a key starting with 04, eating leading digits of x), then
``verify_with_sm3(sm2_signature_to_rs(sig).hex(), msg)`` — or ``asn1=True`` and the DER hex.
"""

from __future__ import annotations

import enum
import json
from dataclasses import dataclass

from cryptography.hazmat.primitives import serialization as crypto_serialization
from cryptography.hazmat.primitives.asymmetric import ed25519
from cryptography.hazmat.primitives.asymmetric.utils import decode_dss_signature
from tongsuopy.crypto import hashes, serialization
from tongsuopy.crypto.asymciphers import ec
from tongsuopy.crypto.asymciphers.utils import encode_dss_signature

DEFAULT_SM2_ID = b"1234567812345678"
"""The default signer ID (ENTL = 128 bits) that Tongsuo, GmSSL and gmssl use when none is given.
Z_A depends on it: a verifier must use the same ID, so it never changes."""

_SM2_ORDER = 0xFFFFFFFEFFFFFFFFFFFFFFFFFFFFFFFF7203DF6B21C6052B53BBF40939D54123  # GB/T 32918.5 n
_MAX_SAFE_INT = 2**53 - 1  # I-JSON (RFC 7493 §2.2): larger integers are not exchanged exactly


class Algorithm(enum.StrEnum):
    SM2 = "SM2-SM3"
    ED25519 = "Ed25519"


@dataclass(frozen=True)
class KeyPair:
    algorithm: Algorithm
    private_pem: str  # PKCS#8, unencrypted — store it encrypted (the caller's job)
    public_pem: str  # SubjectPublicKeyInfo


# --- canonical form ------------------------------------------------------------------------
def canonical(payload: dict) -> bytes:
    """The bytes a licence signature covers: JSON canonicalised as RFC 8785 (JCS) does, for the
    subset of JSON licences use. To rebuild them:

    - values: objects (dict, string keys), arrays (list or tuple), strings, integers within
      ±(2^53 − 1), true, false, null. Floats are refused (their JCS form depends on ECMAScript
      number printing); dates and decimals must already be strings (ISO 8601 for dates).
    - object members sorted by key, compared as UTF-16 code units (RFC 8785 §3.2.3; the same as
      code-point order for keys without characters beyond U+FFFF); no duplicate keys.
    - no whitespace: ``,`` between items, ``:`` between key and value.
    - strings: UTF-8, not \\u-escaped, except ``"`` ``\\`` and control characters: ``\\b \\t \\n
      \\f \\r`` and ``\\u00xx`` (lower-case hex) for the other characters below U+0020.
    - integers in plain decimal; booleans and null as ``true`` ``false`` ``null``.
    """
    if not isinstance(payload, dict):
        raise ValueError("签名内容必须是 JSON 对象")
    return "".join(_canonical_parts(payload, "$")).encode("utf-8")


def _canonical_parts(value: object, path: str) -> list[str]:
    if value is None or isinstance(value, bool):
        return [{None: "null", True: "true", False: "false"}[value]]
    if isinstance(value, int):
        if abs(value) > _MAX_SAFE_INT:
            raise ValueError(f"{path}: 整数超出 ±(2^53−1)，请用字符串")
        return [str(int(value))]
    if isinstance(value, str):
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            raise ValueError(f"{path}: 字符串含无效的 Unicode 字符") from None
        return [json.dumps(value, ensure_ascii=False)]
    if isinstance(value, list | tuple):
        parts = ["["]
        for index, item in enumerate(value):
            parts += ([","] if index else []) + _canonical_parts(item, f"{path}[{index}]")
        return parts + ["]"]
    if isinstance(value, dict):
        if any(not isinstance(key, str) for key in value):
            raise ValueError(f"{path}: 对象的键必须是字符串")
        parts = ["{"]
        for index, key in enumerate(sorted(value, key=lambda k: k.encode("utf-16-be", "surrogatepass"))):
            parts += [","] if index else []
            parts += _canonical_parts(key, path) + [":"] + _canonical_parts(value[key], f"{path}.{key}")
        return parts + ["}"]
    kind = "浮点数" if isinstance(value, float) else type(value).__name__
    raise ValueError(f"{path}: 不允许的值类型 {kind}（只允许字符串、整数、布尔、null、数组和对象）")


# --- keys ----------------------------------------------------------------------------------
def generate_key(algorithm: Algorithm | str) -> KeyPair:
    algorithm = Algorithm(algorithm)
    if algorithm is Algorithm.SM2:
        private, lib = ec.generate_private_key(ec.SM2()), serialization
    else:
        private, lib = ed25519.Ed25519PrivateKey.generate(), crypto_serialization
    private_pem = private.private_bytes(lib.Encoding.PEM, lib.PrivateFormat.PKCS8, lib.NoEncryption())
    public_pem = private.public_key().public_bytes(lib.Encoding.PEM, lib.PublicFormat.SubjectPublicKeyInfo)
    return KeyPair(algorithm, private_pem.decode("ascii"), public_pem.decode("ascii"))


def _load_public(public_pem: str):
    """(algorithm, key) of an SM2 or Ed25519 SubjectPublicKeyInfo PEM; ValueError otherwise."""
    data = public_pem.encode("ascii") if isinstance(public_pem, str) else bytes(public_pem)
    try:
        key = serialization.load_pem_public_key(data)
    except Exception:
        key = None  # not a key Tongsuo reads as SM2: try Ed25519 below
    if isinstance(key, ec.EllipticCurvePublicKey) and isinstance(key.curve, ec.SM2):
        return Algorithm.SM2, key
    try:
        key = crypto_serialization.load_pem_public_key(data)
    except Exception:
        raise ValueError("不是有效的 SM2 或 Ed25519 公钥（SubjectPublicKeyInfo PEM）") from None
    if not isinstance(key, ed25519.Ed25519PublicKey):
        raise ValueError("只支持 SM2 和 Ed25519 公钥")
    return Algorithm.ED25519, key


def algorithm_of(public_pem: str) -> Algorithm:
    """Which algorithm a public key belongs to (ValueError if neither SM2 nor Ed25519)."""
    return _load_public(public_pem)[0]


def public_key_der(public_pem: str) -> bytes:
    """The DER SubjectPublicKeyInfo, re-encoded from the parsed key (so PEM layout never matters)."""
    algorithm, key = _load_public(public_pem)
    lib = serialization if algorithm is Algorithm.SM2 else crypto_serialization
    return key.public_bytes(lib.Encoding.DER, lib.PublicFormat.SubjectPublicKeyInfo)


def public_key_raw_hex(public_pem: str) -> str:
    """SM2: the uncompressed point 04‖x‖y (130 hex digits), what GmSSL/gmssl users need;
    Ed25519: the 32-byte public key (RFC 8032)."""
    algorithm, key = _load_public(public_pem)
    if algorithm is Algorithm.SM2:
        return key.public_bytes(
            serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
        ).hex()
    return key.public_bytes(crypto_serialization.Encoding.Raw, crypto_serialization.PublicFormat.Raw).hex()


def fingerprint(public_pem: str) -> str:
    """SM3 (GB/T 32905) hex of the DER SubjectPublicKeyInfo: the key id verifiers can recompute."""
    digest = hashes.Hash(hashes.SM3())
    digest.update(public_key_der(public_pem))
    return digest.finalize().hex()


# --- sign and verify -----------------------------------------------------------------------
def sign(*, algorithm: Algorithm | str, private_pem: str, message: bytes) -> bytes:
    """SM2: DER (r, s) over SM3(Z_A ‖ message) with DEFAULT_SM2_ID; Ed25519: 64 bytes."""
    algorithm = Algorithm(algorithm)
    key = _load_private(algorithm, private_pem)
    if algorithm is Algorithm.SM2:
        return key.sign(bytes(message), ec.ECDSA(hashes.SM3()))
    return key.sign(bytes(message))


def _load_private(algorithm: Algorithm, private_pem: str):
    """The private key of `algorithm` from unencrypted PKCS#8 PEM; ValueError if it is not one."""
    data = private_pem.encode("ascii") if isinstance(private_pem, str) else bytes(private_pem)
    loader = serialization if algorithm is Algorithm.SM2 else crypto_serialization
    try:
        key = loader.load_pem_private_key(data, password=None)
    except Exception:
        key = None
    if (
        algorithm is Algorithm.SM2
        and isinstance(key, ec.EllipticCurvePrivateKey)
        and isinstance(key.curve, ec.SM2)
    ):
        return key
    if algorithm is Algorithm.ED25519 and isinstance(key, ed25519.Ed25519PrivateKey):
        return key
    raise ValueError(f"私钥不是 {algorithm} 密钥（应为未加密的 PKCS#8 PEM）")


def verify(*, algorithm: Algorithm | str, public_pem: str, message: bytes, signature: bytes) -> bool:
    """True only for a good signature by this key with this algorithm. Never raises: a bad
    signature, a key of the other algorithm, or any malformed input gives False."""
    try:
        algorithm = Algorithm(algorithm)
        key_algorithm, key = _load_public(public_pem)
        if key_algorithm is not algorithm:
            return False
        if algorithm is Algorithm.SM2:
            # Only canonical DER: no trailing bytes, no other encodings of the same (r, s).
            r, s = decode_dss_signature(bytes(signature))
            if encode_dss_signature(r, s) != bytes(signature):
                return False
            key.verify(bytes(signature), bytes(message), ec.ECDSA(hashes.SM3()))
        else:
            key.verify(bytes(signature), bytes(message))
        return True
    except Exception:
        return False


# --- r‖s for tools that do not speak DER (the gmssl Python package) --------------------------
def sm2_signature_to_rs(signature: bytes) -> bytes:
    """DER (r, s) → 64 bytes r‖s, each 32 bytes big-endian."""
    r, s = decode_dss_signature(bytes(signature))
    if not (0 < r < _SM2_ORDER and 0 < s < _SM2_ORDER):
        raise ValueError("SM2 签名值超出范围")
    return r.to_bytes(32, "big") + s.to_bytes(32, "big")


def sm2_signature_from_rs(rs: bytes) -> bytes:
    """64 bytes r‖s → DER (r, s), the form GmSSL and sign()/verify() use."""
    if len(rs) != 64:
        raise ValueError("r‖s 签名应为64字节")
    return encode_dss_signature(int.from_bytes(rs[:32], "big"), int.from_bytes(rs[32:], "big"))
