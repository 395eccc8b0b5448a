"""Permission codes of 一网通办, and the predicates its services and selectors call.

Default roles, and why:
- Items are drafted by the implementing department's 部门管理员 and published by the
  政务服务管理局's 政务服务管理员 (two keys: the department writes, the bureau checks).
- 窗口人员 accept (预审/受理/一次性告知), apply at the window on an applicant's behalf and
  record 送达; 审批人员 review and decide. Who may act on a step is the workflow task's role;
  `services.application.handle` decides who may open an application's page at all.
- 部门管理员 is listed beside every role it must be able to staff (accounts.can_role_grant).
- 好差评 and the figures are read by 监察人员, 领导 and the 政务服务管理员; a department
  administrator sees their own department's ratings.
"""

from __future__ import annotations

from yiwang.core.accounts.permissions import can_act_for_enterprise
from yiwang.core.accounts.rbac import has_permission, scope_for

DECLARED: list[tuple[str, str, tuple[str, ...]]] = [
    ("services.item.manage", "编制政务服务事项", ("dept_admin",)),
    ("services.item.publish", "审核发布政务服务事项", ("service_manager",)),
    ("services.bundle.manage", "管理一件事", ("service_manager",)),
    ("services.window.manage", "管理服务窗口", ("service_manager",)),
    ("services.application.handle", "办理办件", ("window_clerk", "approver", "dept_admin")),
    ("services.application.proxy", "窗口代为申请", ("window_clerk", "dept_admin")),
    ("services.application.deliver", "办件送达", ("window_clerk", "dept_admin")),
    ("services.rating.view", "查看好差评", ("supervisor", "leader", "service_manager", "dept_admin")),
    ("services.figures.view", "查看一网通办统计", ("supervisor", "leader", "service_manager")),
]


def is_signed_in(actor) -> bool:
    return actor is not None and getattr(actor, "is_authenticated", False) and actor.is_active


def is_applicant_kind(actor) -> bool:
    return is_signed_in(actor) and actor.kind in ("citizen", "enterprise")


def acts_for(actor, principal) -> bool:
    """The applicant themself, or a 经办人 whose authorisation for the enterprise is valid."""
    if not is_signed_in(actor) or principal is None:
        return False
    if actor.pk == principal.pk:
        return True
    return principal.kind == "enterprise" and can_act_for_enterprise(actor, principal)


def can_item_manage(actor, department) -> bool:
    return scope_for(actor, "services.item.manage").includes(department)


def can_item_publish(actor) -> bool:
    return has_permission(actor, "services.item.publish")


def can_bundle_manage(actor) -> bool:
    return has_permission(actor, "services.bundle.manage")


def can_window_manage(actor) -> bool:
    return has_permission(actor, "services.window.manage")


def can_application_proxy(actor, department) -> bool:
    """窗口代办: a 窗口人员 over the hall (department) where the applicant stands."""
    return scope_for(actor, "services.application.proxy").includes(department)


def can_application_deliver(actor, department) -> bool:
    return scope_for(actor, "services.application.deliver").includes(department)


def can_rating_view(actor, department) -> bool:
    scope = scope_for(actor, "services.rating.view")
    return not scope.empty if department is None else scope.includes(department)


def can_figures_view(actor, department=None) -> bool:
    scope = scope_for(actor, "services.figures.view")
    return not scope.empty if department is None else scope.includes(department)
