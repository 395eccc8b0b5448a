"""服务窗口 of the halls (政务服务中心): where window staff accept applications on an applicant's
behalf and where 一次一评 ratings are counted (STANDARDS.md §5). Managed by the 政务服务管理局
(`services.window.manage`). A window is switched off, never deleted: ratings point at it.
"""

from __future__ import annotations

import re

from django.db import IntegrityError, transaction

from yiwang.core.audit import services as audit
from yiwang.core.errors import Conflict, InvalidInput, PermissionDenied, invalid
from yiwang.services.models import ServiceWindow
from yiwang.services.permissions import can_window_manage

WINDOW_CODE = re.compile(r"^[A-Za-z0-9-]{1,16}$")


def _require(actor) -> None:
    if not can_window_manage(actor):
        raise PermissionDenied("没有管理服务窗口的权限（services.window.manage）")


@transaction.atomic
def window_create(*, actor, department, code: str, name: str) -> ServiceWindow:
    _require(actor)
    errors = {}
    code = code.strip().upper() if isinstance(code, str) else ""
    name = name.strip() if isinstance(name, str) else ""
    if department is None:
        errors["department"] = "请选择窗口所在的大厅（部门）"
    elif not department.is_active:
        errors["department"] = f"“{department.name}”已停用"
    if not WINDOW_CODE.match(code):
        errors["code"] = "窗口编号应为1–16位字母、数字或横线，如 A01"
    if not name or len(name) > 64 or "\x00" in name:
        errors["name"] = "请填写窗口名称（至多64字）"
    if not errors and ServiceWindow.objects.filter(department=department, code=code).exists():
        errors["code"] = f"“{department.name}”已有编号为 {code} 的窗口"
    if errors:
        raise InvalidInput(fields=errors)
    try:
        with transaction.atomic():
            window = ServiceWindow.objects.create(department=department, code=code, name=name)
    except IntegrityError:
        raise invalid("code", f"“{department.name}”已有编号为 {code} 的窗口") from None
    audit.record(
        actor=actor,
        action="services.window.created",
        target=window,
        changes={"department": department.pk, "code": code, "name": name},
    )
    return window


@transaction.atomic
def window_deactivate(*, actor, window: ServiceWindow) -> ServiceWindow:
    _require(actor)
    window = ServiceWindow.objects.select_for_update().get(pk=window.pk)
    if not window.is_active:
        raise Conflict(f"窗口“{window.name}”已停用")
    window.is_active = False
    window.save(update_fields=["is_active"])
    audit.record(actor=actor, action="services.window.deactivated", target=window, changes={})
    return window
