"""Reads of applications from the applicant's side, scoped (STANDARDS §5): a person sees their
own applications and those of the enterprises they are a current 经办人 of; anything else is a
404. The window clerk sees the window-channel applications of their hall."""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.utils import timezone

from yiwang.core import codes
from yiwang.core.accounts.models import EnterpriseAgent, User, UserKind
from yiwang.core.accounts.rbac import scope_for
from yiwang.core.accounts.selectors import citizen_find
from yiwang.core.errors import InvalidInput, NotFound, invalid
from yiwang.core.ids import as_id
from yiwang.services.models import (
    Application,
    ApplicationStatus,
    ItemStatus,
    PersonalMaterial,
    ServiceItem,
    ServiceWindow,
)
from yiwang.services.permissions import acts_for, is_applicant_kind
from yiwang.services.progress import Progress
from yiwang.services.progress import application_progress as _progress
from yiwang.services.services.applying_access import can_application_see, works_at_window

PERSONAL_MATERIALS_SHOWN = 200
DETAIL_RELATED = ("item", "item_version", "applicant", "window__department", "department", "instance")


def _acted_for_ids(actor):
    """The enterprises whose authorisation of the actor as 经办人 has not run out (a subquery)."""
    today = timezone.localdate()
    return (
        EnterpriseAgent.objects.filter(agent_id=actor.pk)
        .filter(Q(valid_until=None) | Q(valid_until__gte=today))
        .values("enterprise_id")
    )


def application_list_for_applicant(*, actor, status=None) -> QuerySet:
    """我的办件, newest first: one query for a page (plus its count)."""
    if status not in (None, "") and status not in ApplicationStatus.values:
        raise invalid("status", "办件状态无效")
    # A plain id list, not an OR with a subquery: the page and its count then walk the
    # (applicant, -created_at) index instead of scanning every application (bench/services_api.py).
    principals = [actor.pk, *_acted_for_ids(actor).values_list("enterprise_id", flat=True)]
    rows = Application.objects.select_related("item_version", "applicant").filter(applicant_id__in=principals)
    if status:
        rows = rows.filter(status=status)
    return rows.order_by("-created_at", "-id")


def application_get_for_applicant(*, actor, application_id) -> Application:
    pk = as_id(application_id)
    application = Application.objects.select_related(*DETAIL_RELATED).filter(pk=pk).first() if pk else None
    if application is None or not acts_for(actor, application.applicant):
        raise NotFound("办件不存在或无权查看")
    return application


def application_get_for_editing(*, actor, application_id) -> Application:
    """The applicant's, or (window channel) the clerk's over its hall."""
    pk = as_id(application_id)
    application = Application.objects.select_related(*DETAIL_RELATED).filter(pk=pk).first() if pk else None
    if application is None or not can_application_see(actor, application):
        raise NotFound("办件不存在或无权查看")
    return application


def application_get_for_window(*, actor, application_id) -> Application:
    pk = as_id(application_id)
    application = Application.objects.select_related(*DETAIL_RELATED).filter(pk=pk).first() if pk else None
    if application is None or not works_at_window(actor, application):
        raise NotFound("办件不存在或无权查看")
    return application


def application_progress(*, application) -> Progress:
    """The public timeline (progress.py) of an application already fetched through a selector."""
    return _progress(application=application)


def personal_material_list(*, actor, code=None, principal=None) -> QuerySet:
    """我的材料 of the principal (the actor, or an enterprise they act for), active ones, the
    newest first; `code` keeps one material's."""
    principal = principal or actor
    if not acts_for(actor, principal):
        raise NotFound("我的材料不存在")
    rows = PersonalMaterial.objects.select_related("attachment__file").filter(owner=principal, is_active=True)
    if code:
        rows = rows.filter(code=str(code)[:64])
    return rows.order_by("-created_at", "-id")


def personal_material_get(*, actor, personal_material_id, principal=None) -> PersonalMaterial:
    pk = as_id(personal_material_id)
    found = personal_material_list(actor=actor, principal=principal).filter(pk=pk).first() if pk else None
    if found is None:
        raise NotFound("我的材料不存在")
    return found


def principals_for(*, actor, version) -> list[User]:
    """Whom the actor may apply for under this version: themself and the enterprises they are a
    current 经办人 of, each only if the item serves that kind of applicant."""
    if not is_applicant_kind(actor):
        return []
    subjects = set(version.subjects or [])
    found = [actor] if actor.kind in subjects else []
    if UserKind.ENTERPRISE in subjects and actor.kind == UserKind.CITIZEN:
        found += list(
            User.objects.filter(
                pk__in=_acted_for_ids(actor), kind=UserKind.ENTERPRISE, is_active=True
            ).order_by("display_name")
        )
    return found


def item_get_for_applying(*, item_id) -> ServiceItem:
    pk = as_id(item_id)
    item = (
        ServiceItem.objects.select_related("published_version", "department")
        .filter(pk=pk, status=ItemStatus.PUBLISHED)
        .first()
        if pk
        else None
    )
    if item is None or item.published_version_id is None:
        raise NotFound("事项不存在或未发布")
    return item


# --- 窗口代办 ------------------------------------------------------------------------------------
def windows_for_clerk(*, actor) -> QuerySet:
    scope = scope_for(actor, "services.application.proxy")
    return scope.filter(ServiceWindow.objects.filter(is_active=True).select_related("department")).order_by(
        "department_id", "code"
    )


def window_get_for_clerk(*, actor, window_id) -> ServiceWindow:
    pk = as_id(window_id)
    window = windows_for_clerk(actor=actor).filter(pk=pk).first() if pk else None
    if window is None:
        raise invalid("window_id", "请选择您所在大厅的启用窗口")
    return window


def applicant_find_for_window(*, id_number: str = "", name: str = "", uscc: str = "") -> User:
    """The person (身份证号 and 姓名, as on the card: accounts.citizen_find's blind-index look-up)
    or the enterprise (统一社会信用代码) standing at the counter."""
    if (uscc or "").strip():
        try:
            code = codes.validate_uscc(uscc.strip())
        except codes.CodeInvalid as error:
            raise invalid("uscc", str(error)) from None
        found = User.objects.filter(kind=UserKind.ENTERPRISE, uscc=code, is_active=True).first()
        if found is None:
            raise invalid("uscc", "未找到该统一社会信用代码的企业用户，请先注册企业账号")
        return found
    if not (id_number or "").strip():
        raise InvalidInput(fields={"id_number": "请填写身份证号，或企业的统一社会信用代码"})
    if not (name or "").strip():
        raise invalid("name", "请填写姓名")
    return citizen_find(id_number=id_number.strip(), display_name=name)
