"""Permission codes of the electronic-licence library, and the predicates its services call.

Default roles, and why:
- 证照类型 are defined city-wide by the platform's administrators (系统管理员 holds every
  permission by default, so the code lists no further role).
- Signing keys belong to an issuing department: its 部门管理员 generates, rotates and revokes
  them, as they manage the department's people and posts; the 电子印章 image on its licences
  is theirs too (services/seals.py). Key custody is kept apart from
  issuing (an approver cannot mint or swap the key that signs their own licences).
- Issuing and revoking are decisions of 审批人员 (行政许可法: the body that decides issues).
- 用证 (looking a licence up to satisfy a material, 免提交) is done at the window and in review.
- 部门管理员 is listed beside every role it must be able to staff: a manager may only hand out
  roles whose every permission they hold (accounts.permissions.can_role_grant), so without it
  a department admin could no longer post a 审批人员 or 窗口人员 once these exist.
"""

from __future__ import annotations

from yiwang.core.accounts.permissions import can_act_for_enterprise
from yiwang.core.accounts.rbac import has_permission, scope_for

DECLARED: list[tuple[str, str, tuple[str, ...]]] = [
    ("licenses.type.manage", "管理电子证照类型", ()),
    ("licenses.key.manage", "管理证照签名密钥", ("dept_admin",)),
    ("licenses.issue", "颁发与变更电子证照", ("approver", "dept_admin")),
    ("licenses.revoke", "吊销电子证照", ("approver", "dept_admin")),
    ("licenses.use", "调用电子证照（免提交）", ("window_clerk", "approver", "dept_admin")),
]


def _active(actor) -> bool:
    return actor is not None and getattr(actor, "is_authenticated", False) and actor.is_active


def can_license_type_manage(actor) -> bool:
    return has_permission(actor, "licenses.type.manage")


def can_signing_key_manage(actor, department) -> bool:
    return scope_for(actor, "licenses.key.manage").includes(department)


def can_license_issue(actor, issuer) -> bool:
    """Issue (or revise) in the name of `issuer`: the permission over that department."""
    return scope_for(actor, "licenses.issue").includes(issuer)


def can_license_revoke(actor, license_) -> bool:
    return scope_for(actor, "licenses.revoke").includes(license_.issuer)


def is_holder_or_agent(actor, holder) -> bool:
    """The holder, or a 经办人 whose authorisation for the enterprise holder is still valid."""
    if not _active(actor):
        return False
    if actor.pk == holder.pk:
        return True
    return holder.kind == "enterprise" and can_act_for_enterprise(actor, holder)


def can_license_use(actor, holder) -> bool:
    """用证: an official with licenses.use (any department: 免提交 crosses departments), or the
    holder for their own licences."""
    return is_holder_or_agent(actor, holder) or has_permission(actor, "licenses.use")
