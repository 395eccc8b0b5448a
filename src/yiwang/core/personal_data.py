"""Personal data at rest: SM4-GCM encryption with key ids, a keyed blind index, masking.

个人信息保护法 and 等保 2.0 (GB/T 22239-2019) ask for confidentiality of personal data at rest
and 密码法 for commercial cryptography; SM4 (GB/T 32907) in GCM mode gives both secrecy and
integrity. Ciphertext is stored as `<key id>$<base64(nonce ‖ ciphertext ‖ tag)>` so that a key
can be retired: `yiwang rotate-keys` re-encrypts every value under the newest key.

The blind index (HMAC-SM3 of the normalised value under its own key) lets us find a person by
ID number or phone without decrypting every row; it never changes on key rotation.
"""

from __future__ import annotations

import base64
import binascii
import hmac
import os
from dataclasses import dataclass
from functools import lru_cache

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives import hmac as crypto_hmac
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

_NONCE_BYTES = 12
_TAG_BYTES = 16


@dataclass(frozen=True)
class Keyring:
    current_id: str
    keys: dict[str, bytes]


def parse_keys(spec: str) -> Keyring:
    """`k2:<base64>,k1:<base64>` → newest first. Each key is 16 bytes (SM4)."""
    keys: dict[str, bytes] = {}
    order: list[str] = []
    for part in spec.split(","):
        part = part.strip()
        if not part:
            continue
        key_id, sep, encoded = part.partition(":")
        if not sep or not key_id or "$" in key_id:
            raise ImproperlyConfigured("YIWANG_DATA_KEYS: each key is written <id>:<base64 of 16 bytes>")
        try:
            key = base64.b64decode(encoded, validate=True)
        except binascii.Error:
            raise ImproperlyConfigured(f"YIWANG_DATA_KEYS: key {key_id} is not base64") from None
        if len(key) != 16:
            raise ImproperlyConfigured(f"YIWANG_DATA_KEYS: key {key_id} must be 16 bytes for SM4")
        keys[key_id] = key
        order.append(key_id)
    if not order:
        raise ImproperlyConfigured("YIWANG_DATA_KEYS holds no key")
    return Keyring(current_id=order[0], keys=keys)


@lru_cache(maxsize=4)
def _keyring(spec: str) -> Keyring:
    return parse_keys(spec)


def keyring() -> Keyring:
    return _keyring(settings.DATA_KEYS)


def new_key_spec(key_id: str) -> str:
    """A fresh key in the form YIWANG_DATA_KEYS expects (used by setup and by rotation docs)."""
    return f"{key_id}:{base64.b64encode(os.urandom(16)).decode()}"


def encrypt(plaintext: str) -> str:
    ring = keyring()
    nonce = os.urandom(_NONCE_BYTES)
    encryptor = Cipher(algorithms.SM4(ring.keys[ring.current_id]), modes.GCM(nonce)).encryptor()
    body = encryptor.update(plaintext.encode("utf-8")) + encryptor.finalize()
    return f"{ring.current_id}${base64.b64encode(nonce + body + encryptor.tag).decode()}"


class DecryptionFailed(Exception):
    pass


def decrypt(stored: str) -> str:
    key_id, sep, encoded = stored.partition("$")
    ring = keyring()
    if not sep or key_id not in ring.keys:
        raise DecryptionFailed(f"no key {key_id!r} in YIWANG_DATA_KEYS")
    raw = base64.b64decode(encoded)
    nonce, body, tag = raw[:_NONCE_BYTES], raw[_NONCE_BYTES:-_TAG_BYTES], raw[-_TAG_BYTES:]
    decryptor = Cipher(algorithms.SM4(ring.keys[key_id]), modes.GCM(nonce, tag)).decryptor()
    try:
        return (decryptor.update(body) + decryptor.finalize()).decode("utf-8")
    except InvalidTag:
        raise DecryptionFailed("ciphertext was altered or the key is wrong") from None


def key_id_of(stored: str) -> str:
    return stored.partition("$")[0]


def blind_index(kind: str, normalised_value: str) -> str:
    """HMAC-SM3(index key, kind ‖ value), hex. `kind` keeps an ID number and a phone apart."""
    mac = crypto_hmac.HMAC(settings.DATA_INDEX_KEY.encode(), hashes.SM3())
    mac.update(f"{kind}\x00{normalised_value}".encode())
    return mac.finalize().hex()


def same_index(a: str, b: str) -> bool:
    return hmac.compare_digest(a, b)


# --- masking (shown by default; the full value only through an audited reveal) -----------
def mask_id_number(value: str) -> str:
    """110105********002X: keep the 6-digit division code and the last four characters."""
    if not value:
        return ""
    return value[:6] + "*" * (len(value) - 10) + value[-4:] if len(value) > 10 else "*" * len(value)


def mask_phone(value: str) -> str:
    """138****5678: keep the first three and last four digits."""
    if not value:
        return ""
    return value[:3] + "*" * (len(value) - 7) + value[-4:] if len(value) > 7 else "*" * len(value)


def mask_name(value: str) -> str:
    """张*三 style masking for a real name shown to the public."""
    if not value:
        return ""
    if len(value) == 1:
        return value
    if len(value) == 2:
        return value[0] + "*"
    return value[0] + "*" * (len(value) - 2) + value[-1]
