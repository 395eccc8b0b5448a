"""The signed content of a licence, and the check that a stored licence still matches it.

The signature covers `signing.canonical(payload)` (sorted-key compact JSON, RFC 8785 subset)::

    {"identifier": 证照标识, "type_code": 证照类型代码, "type_name": 证照名称,
     "number": 证照编号, "holder_name": 持证主体, "holder_code": 持证主体代码,
     "holder_code_type": "111" | "001", "issuer_name": 颁发机构, "issuer_code": 颁发机构代码,
     "issued_on": "YYYY-MM-DD", "valid_from": "YYYY-MM-DD", "valid_until": "YYYY-MM-DD" | null (长期),
     "data": {信息项: 值}, "version": 1–999, "key_id": 签名密钥标识, "algorithm": "SM2-SM3" | "Ed25519"}

A *signed licence JSON* (what the holder downloads and a verifier uploads) is
`{"payload": {…}, "signature": base64(DER r,s | Ed25519), "key_id": …, "algorithm": …}`; it is
checked offline against the issuer's public key published at /api/v1/licenses/keys.
"""

from __future__ import annotations

import base64
import binascii
import json

from cryptography.hazmat.primitives import hashes

from yiwang.core import personal_data
from yiwang.licenses import signing
from yiwang.licenses.models import KeyStatus, License

PAYLOAD_KEYS = frozenset(
    {
        "identifier",
        "type_code",
        "type_name",
        "number",
        "holder_name",
        "holder_code",
        "holder_code_type",
        "issuer_name",
        "issuer_code",
        "issued_on",
        "valid_from",
        "valid_until",
        "data",
        "version",
        "key_id",
        "algorithm",
    }
)


def sm3_hex(message: bytes) -> str:
    digest = hashes.Hash(hashes.SM3())
    digest.update(message)
    return digest.finalize().hex()


def build_payload(*, license_: License, holder_code: str, data: dict) -> dict:
    """The payload of a licence row being issued (its key and dates already set)."""
    return {
        "identifier": license_.identifier,
        "type_code": license_.type_code,
        "type_name": license_.type_name,
        "number": license_.number,
        "holder_name": license_.holder_name,
        "holder_code": holder_code,
        "holder_code_type": license_.holder_code_type,
        "issuer_name": license_.issuer_name,
        "issuer_code": license_.issuer_code,
        "issued_on": license_.issued_on.isoformat(),
        "valid_from": license_.valid_from.isoformat(),
        "valid_until": license_.valid_until.isoformat() if license_.valid_until else None,
        "data": data,
        "version": license_.version,
        "key_id": license_.key.key_id,
        "algorithm": license_.algorithm,
    }


def stored_payload(license_: License) -> dict:
    """The payload rebuilt from the stored row; DecryptionFailed or ValueError if it cannot be."""
    data = json.loads(personal_data.decrypt(license_.data_encrypted))
    if not isinstance(data, dict):
        raise ValueError("照面信息不是对象")
    holder_code = personal_data.decrypt(license_.holder_code_encrypted)
    return build_payload(license_=license_, holder_code=holder_code, data=data)


def signed_document(license_: License) -> dict:
    return {
        "payload": stored_payload(license_),
        "signature": license_.signature,
        "key_id": license_.key.key_id,
        "algorithm": license_.algorithm,
    }


def decode_signature(text) -> bytes | None:
    if not isinstance(text, str) or len(text) > 1024:
        return None
    try:
        return base64.b64decode(text, validate=True)
    except (binascii.Error, ValueError):
        return None


def forged_reason(license_: License) -> str | None:
    """Why a stored licence cannot be trusted, or None: its key revoked, its row altered (the
    payload rebuilt from the row no longer matches its digest or its signature)."""
    key = license_.key
    if key.status == KeyStatus.REVOKED:
        return "签名密钥已吊销"
    if key.algorithm != license_.algorithm:
        return "签名算法与签名密钥不符"
    try:
        message = signing.canonical(stored_payload(license_))
    except (personal_data.DecryptionFailed, ValueError, TypeError):
        return "证照数据已被篡改（无法还原签名内容）"
    if sm3_hex(message) != license_.payload_sm3:
        return "证照内容与签名摘要不符（已被篡改）"
    signature = decode_signature(license_.signature)
    if signature is None or not signing.verify(
        algorithm=key.algorithm, public_pem=key.public_pem, message=message, signature=signature
    ):
        return "签名验证失败：证照内容已被篡改或签名无效"
    return None
