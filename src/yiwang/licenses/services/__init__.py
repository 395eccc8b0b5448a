"""Writes of the electronic-licence library: atomic, permission-checked, audited.

- types.py        证照类型 create / update
- keys.py         签名密钥 generate (rotate) / revoke, and signing with the active key
- issuing.py      license_issue (一网通办 calls it when an application is approved)
- revising.py     license_revise (a new version) / license_revoke
- payload.py      the signed payload and the "signed licence JSON"; re-checking a stored row
- verification.py 核验 by identifier or signed JSON (public)
- reuse.py        license_lookup: 用证 / 免提交, logged as a use of the holder's data
- reading.py      a licence's content for its holder or issuer, and its PDF
- seals.py        电子印章: the issuer's seal image on the PDF (set / replace)
- wallet.py       我的证照: download, share links (create, 撤回)
- reminders.py    到期提醒 (daily job)

The signed payload (payload.py has the details)::

    canonical({"identifier", "type_code", "type_name", "number", "holder_name", "holder_code",
               "holder_code_type", "issuer_name", "issuer_code", "issued_on", "valid_from",
               "valid_until", "data", "version", "key_id", "algorithm"})

dates as ISO strings, valid_until null for 长期; a signed licence JSON is
{"payload": {…}, "signature": base64, "key_id", "algorithm"}.
"""

from yiwang.licenses.services.issuing import license_issue
from yiwang.licenses.services.reuse import license_lookup
from yiwang.licenses.services.revising import license_revise, license_revoke
from yiwang.licenses.services.verification import (
    VerificationResult,
    VerificationStatus,
    license_verify_identifier,
    license_verify_signed,
)

__all__ = [
    "VerificationResult",
    "VerificationStatus",
    "license_issue",
    "license_lookup",
    "license_revise",
    "license_revoke",
    "license_verify_identifier",
    "license_verify_signed",
]
