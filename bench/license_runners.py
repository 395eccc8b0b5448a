"""What bench/license_throughput.py times, one call each: issuing, signing, verifying.

- `Library`: a market regulator with an SM2-SM3 and an Ed25519 signing key, an approver who may
  issue, the 食品经营许可证 type of licenses/tests/library_fixtures.py, an enterprise holder.
- issue: `license_issue` as a request would call it (the approver's cached grants dropped
  first): checks, the serial counter row locked, the payload signed with the department's key
  (decrypted from the row for the call), holder code and data encrypted, the licence row, its
  chained audit record and the holder's inbox message, in one transaction.
- raw: the same canonical payload bytes signed and verified by `signing.sign` / `signing.verify`
  (the PEM parsed on every call, as the services call them) and by the library directly with a
  key object loaded once — Tongsuo (tongsuopy) for SM2 with SM3, pyca/cryptography for Ed25519:
  the ceiling.
- verify: `license_verify_identifier` (row read, data and holder code decrypted, payload
  rebuilt, SM3 digest and signature checked), and GET /api/v1/licenses/verify/{identifier}
  through Django's test Client in this process, or through gunicorn over TCP (bench/license_http.py).
"""

from __future__ import annotations

import base64
import itertools
from dataclasses import dataclass, field

ALGORITHMS = ("SM2-SM3", "Ed25519")
FOOD_DATA = {"business_scope": "热食类食品制售", "category": "餐饮服务经营者", "capital": 100}
_numbers = itertools.count(1)


@dataclass
class Library:
    market: object
    approver: object
    food_type: object
    enterprise: object
    keys: dict  # algorithm → SigningKey
    # Per algorithm, filled by `samples`: identifiers to verify, and (message, signature) pairs.
    identifiers: dict = field(default_factory=dict)
    signed: dict = field(default_factory=dict)


def library_create() -> Library:
    from yiwang.core.tests import factories
    from yiwang.licenses.services.keys import signing_key_generate
    from yiwang.licenses.services.types import license_type_create
    from yiwang.licenses.tests.library_fixtures import FOOD_FIELDS, department_with_uscc

    city = factories.create_city()
    market = department_with_uscc("市市场监督管理局", city)
    sys_admin = factories.create_sys_admin()
    admin = factories.create_official(department=market, role="dept_admin", display_name="市场管理员")
    keys = {
        algorithm: signing_key_generate(actor=admin, department=market, algorithm=algorithm)
        for algorithm in ALGORITHMS
    }
    food_type = license_type_create(
        actor=sys_admin,
        code=f"{market.uscc}001",
        name="食品经营许可证",
        holder_kind="legal_person",
        defining_department=market,
        issuers=[market],
        fields=FOOD_FIELDS,
        validity={"years": 5},
    )
    return Library(
        market=market,
        approver=factories.create_official(department=market, role="approver", display_name="审批员"),
        food_type=food_type,
        enterprise=factories.create_enterprise(name="示范餐饮有限公司"),
        keys=keys,
    )


def use_algorithm(algorithm: str) -> None:
    """YIWANG_LICENSE_ALGORITHM for what follows: new licences are signed with this key."""
    from django.conf import settings

    settings.LICENSE_ALGORITHM = algorithm


# --- through the services ---------------------------------------------------------------------
def issue(lib: Library):
    from yiwang.core.accounts.rbac import forget_grants
    from yiwang.licenses.services.issuing import license_issue

    forget_grants(lib.approver)  # a new request reads the official's grants again
    return license_issue(
        actor=lib.approver,
        license_type=lib.food_type,
        holder=lib.enterprise,
        number=f"JY{next(_numbers):014d}",
        data=dict(FOOD_DATA),
    )


def samples(lib: Library, algorithm: str, count: int) -> None:
    """Issue `count` licences with `algorithm`; keep their identifiers and the exact bytes and
    signatures they carry, so raw signing works on the same payloads."""
    from yiwang.licenses import signing
    from yiwang.licenses.services.payload import stored_payload

    use_algorithm(algorithm)
    issued = [issue(lib) for _ in range(count)]
    if any(license_.algorithm != algorithm for license_ in issued):
        raise RuntimeError(f"licences were not signed with {algorithm}")
    lib.identifiers[algorithm] = [license_.identifier for license_ in issued]
    lib.signed[algorithm] = [
        (signing.canonical(stored_payload(license_)), base64.b64decode(license_.signature))
        for license_ in issued
    ]


def verifier(lib: Library, algorithm: str):
    from yiwang.licenses.services.verification import license_verify_identifier

    cycle = itertools.cycle(lib.identifiers[algorithm])

    def call():
        result = license_verify_identifier(next(cycle))
        if result.status != "valid":
            raise RuntimeError(f"verification said {result.status}: {result.reason}")

    return call


def api_client(lib: Library, algorithm: str):
    """GET /api/v1/licenses/verify/{identifier} through Django's test Client, in this process:
    the whole request path (middleware, anonymous throttle on the cache, ninja, JSON) without
    a socket or a server."""
    from django.test import Client

    client = Client(HTTP_HOST="127.0.0.1")  # an allowed host: YIWANG_ALLOWED_HOSTS
    cycle = itertools.cycle(lib.identifiers[algorithm])

    def call():
        response = client.get(f"/api/v1/licenses/verify/{next(cycle)}")
        if response.status_code != 200 or response.json()["status"] != "valid":
            raise RuntimeError(f"API said {response.status_code}: {response.content[:200]!r}")

    return call


# --- raw signing: the ceiling -------------------------------------------------------------
def _keys(lib: Library, algorithm: str) -> tuple[str, str]:
    from yiwang.core import personal_data

    key = lib.keys[algorithm]
    return personal_data.decrypt(key.private_pem_encrypted), key.public_pem


def raw_calls(lib: Library, algorithm: str) -> dict:
    """mode → call, over the canonical payloads and signatures of `samples`."""
    from cryptography.hazmat.primitives import serialization as crypto_serialization
    from tongsuopy.crypto import hashes, serialization
    from tongsuopy.crypto.asymciphers import ec

    from yiwang.licenses import signing

    private_pem, public_pem = _keys(lib, algorithm)
    pairs = lib.signed[algorithm]
    sign_cycle, verify_cycle = itertools.cycle(pairs), itertools.cycle(pairs)
    lib_sign_cycle, lib_verify_cycle = itertools.cycle(pairs), itertools.cycle(pairs)
    if algorithm == "SM2-SM3":
        private = serialization.load_pem_private_key(private_pem.encode(), password=None)
        public = serialization.load_pem_public_key(public_pem.encode())
        scheme = ec.ECDSA(hashes.SM3())

        def lib_sign():
            private.sign(next(lib_sign_cycle)[0], scheme)

        def lib_verify():
            message, signature = next(lib_verify_cycle)
            public.verify(signature, message, scheme)  # raises if bad

    else:
        private = crypto_serialization.load_pem_private_key(private_pem.encode(), password=None)
        public = crypto_serialization.load_pem_public_key(public_pem.encode())

        def lib_sign():
            private.sign(next(lib_sign_cycle)[0])

        def lib_verify():
            message, signature = next(lib_verify_cycle)
            public.verify(signature, message)

    def service_sign():
        signing.sign(algorithm=algorithm, private_pem=private_pem, message=next(sign_cycle)[0])

    def service_verify():
        message, signature = next(verify_cycle)
        if not signing.verify(
            algorithm=algorithm, public_pem=public_pem, message=message, signature=signature
        ):
            raise RuntimeError("signing.verify refused a good signature")

    return {"lib_sign": lib_sign, "sign": service_sign, "lib_verify": lib_verify, "verify": service_verify}


def lookup_calls(lib: Library, algorithm: str) -> dict:
    """The registry read of a verification three ways: as the service does it
    (`filter(identifier=…).first()`, which orders by License's Meta ordering), with `.get()`
    (no ordering: the identifier is unique), and the SQL of the first as a raw statement."""
    from django.db import connection

    from yiwang.licenses.models import License

    cycle = itertools.cycle(lib.identifiers[algorithm])
    query = License.objects.select_related("key").filter(identifier=lib.identifiers[algorithm][0])
    sql, _ = query.order_by(*License._meta.ordering)[:1].query.sql_with_params()

    def raw():
        with connection.cursor() as cursor:
            cursor.execute(sql, [next(cycle)])
            cursor.fetchone()

    return {
        "first": lambda: License.objects.select_related("key").filter(identifier=next(cycle)).first(),
        "get": lambda: License.objects.select_related("key").get(identifier=next(cycle)),
        "raw": raw,
    }
