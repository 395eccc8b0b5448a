"""The issuer's seal image as a file (core/files/owners.py): owner type `licenses.seal`, the
owner id a department's id.

Who may see it: whoever may download a licence of that issuer — its holders, since the PDF
carries the seal anyway — and the officials who issue, revoke or keep keys for it. Who may
add one: the department's key managers (licenses.key.manage), who keep what vouches for its
licences; services/seals.py decides which attachment is the seal.
"""

from __future__ import annotations

from yiwang.core.accounts.rbac import scope_for
from yiwang.core.orgs.models import Department
from yiwang.licenses.models import License
from yiwang.licenses.permissions import can_signing_key_manage

SEAL_OWNER = "licenses.seal"
_OFFICIAL_PERMISSIONS = ("licenses.key.manage", "licenses.issue", "licenses.revoke")


def _signed_in(actor) -> bool:
    return actor is not None and getattr(actor, "is_authenticated", False) and actor.is_active


def _department(owner_id: str) -> Department | None:
    # Exact digits only, so "007" is not department 7 (as accounts.user does).
    if not owner_id.isdigit() or len(owner_id) > 18 or owner_id != str(int(owner_id)):
        return None
    return Department.objects.filter(pk=int(owner_id)).first()


def seal_files_can_view(actor, owner_id: str) -> bool:
    if not _signed_in(actor):
        return False
    department = _department(owner_id)
    if department is None:
        return False
    if any(scope_for(actor, code).includes(department) for code in _OFFICIAL_PERMISSIONS):
        return True
    return License.objects.filter(issuer=department, holder_id=actor.pk).exists()


def seal_files_can_attach(actor, owner_id: str) -> bool:
    department = _department(owner_id)
    return department is not None and _signed_in(actor) and can_signing_key_manage(actor, department)


def register() -> None:
    from yiwang.core.files.owners import register_owner

    register_owner(SEAL_OWNER, can_view=seal_files_can_view, can_attach=seal_files_can_attach)
