"""Reads of 一件事: the public bundles, the manager's bundles, and a bundle application with its
one combined status (issue 5 §5: the applicant follows one status, not one per department).

Scope (STANDARDS §5): a bundle application exists only for its applicant (or an enterprise's
经办人, permissions.acts_for) and, for a window application, the window clerk who typed it in;
for anyone else it is a 404. A bundle that is not published does not exist on the portal.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from types import SimpleNamespace

from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils import timezone

from yiwang.core.accounts.models import EnterpriseAgent
from yiwang.core.errors import NotFound, PermissionDenied, invalid
from yiwang.core.ids import as_id
from yiwang.services.models import (
    Application,
    ApplicationStatus,
    Bundle,
    BundleApplication,
    BundleItem,
    BundleStatus,
    Channel,
    MaterialSource,
)
from yiwang.services.models.applications import ENDED_STATUSES, FREE_SOURCES
from yiwang.services.permissions import acts_for, can_application_deliver, can_bundle_manage, is_signed_in


def _with_entries(queryset: QuerySet) -> QuerySet:
    entries = BundleItem.objects.select_related(
        "item__department", "item__published_version"
    ).prefetch_related("item__published_version__materials")
    return queryset.select_related("lead_department").prefetch_related(Prefetch("entries", queryset=entries))


def bundles_published(*, life_event: str = "", subject: str = "") -> QuerySet:
    """The portal's bundles, most applied-for first."""
    rows = Bundle.objects.filter(status=BundleStatus.PUBLISHED).select_related("lead_department")
    if life_event:
        rows = rows.filter(life_event=life_event)
    if subject:
        rows = rows.filter(subject=subject)
    return rows.annotate(item_count=Count("entries")).order_by("-popularity", "code")


def bundle_get_published(*, code: str) -> Bundle:
    bundle = _with_entries(Bundle.objects.filter(status=BundleStatus.PUBLISHED, code=code)).first()
    if bundle is None:
        raise NotFound("该一件事不存在或未发布")
    return bundle


def bundles_for_manager(*, actor) -> QuerySet:
    if not can_bundle_manage(actor):
        raise PermissionDenied("没有管理一件事的权限（services.bundle.manage）")
    return (
        Bundle.objects.select_related("lead_department")
        .annotate(item_count=Count("entries"))
        .order_by("status", "code")
    )


def bundle_get_for_manager(*, actor, code: str) -> Bundle:
    if not can_bundle_manage(actor):
        raise PermissionDenied("没有管理一件事的权限（services.bundle.manage）")
    bundle = _with_entries(Bundle.objects.filter(code=code)).first()
    if bundle is None:
        raise NotFound("该一件事不存在")
    return bundle


# --- bundle applications -------------------------------------------------------------------
def _children() -> Prefetch:
    rows = Application.objects.select_related(
        "item", "department", "license", "item_version", "window__department"
    ).prefetch_related("documents", "materials__files")
    return Prefetch("applications", queryset=rows.order_by("id"))


def can_bundle_application_see(actor, bundle_application: BundleApplication, children=None) -> bool:
    if acts_for(actor, bundle_application.applicant):
        return True
    if bundle_application.channel != Channel.WINDOW or not is_signed_in(actor):
        return False
    from yiwang.services.services.applying_access import works_at_window

    children = bundle_application.applications.all() if children is None else children
    return any(works_at_window(actor, child) for child in children)


def bundle_application_get(*, actor, bundle_application_id) -> BundleApplication:
    """The bundle application with its children, or 404 for anyone but its applicant's side."""
    pk = as_id(bundle_application_id)
    bundle_application = (
        BundleApplication.objects.select_related("bundle__lead_department", "applicant")
        .prefetch_related(_children())
        .filter(pk=pk)
        .first()
        if pk
        else None
    )
    if bundle_application is None or not can_bundle_application_see(actor, bundle_application):
        raise NotFound("该一件事申请不存在或无权查看")
    return bundle_application


def bundle_application_get_for_delivery(*, actor, bundle_application_id) -> BundleApplication:
    """For 统一送达 at the lead department's window (services.application.deliver over it)."""
    pk = as_id(bundle_application_id)
    bundle_application = (
        BundleApplication.objects.select_related("bundle__lead_department", "applicant")
        .prefetch_related(_children())
        .filter(pk=pk, is_draft=False)
        .first()
        if pk
        else None
    )
    if bundle_application is None or not can_application_deliver(
        actor, bundle_application.bundle.lead_department
    ):
        raise NotFound("该一件事申请不存在或无权查看")
    return bundle_application


def _principals(actor) -> Q:
    """The actor and the enterprises they are a current 经办人 of."""
    today = timezone.localdate()
    enterprises = (
        EnterpriseAgent.objects.filter(agent_id=actor.pk)
        .filter(Q(valid_until=None) | Q(valid_until__gte=today))
        .values("enterprise_id")
    )
    return Q(applicant_id=actor.pk) | Q(applicant_id__in=enterprises)


def bundle_applications_for_applicant(*, actor) -> QuerySet:
    """我的一件事: the actor's own and their enterprises', newest first (paginated by the caller)."""
    if not is_signed_in(actor):
        return BundleApplication.objects.none()
    rows = BundleApplication.objects.filter(_principals(actor)).select_related("bundle", "applicant")
    return rows.order_by("-created_at", "-id")


def bundle_principals_for(*, actor, bundle) -> list:
    """Whom the actor may apply for: themself, and the enterprises they act for, each only if
    the bundle serves that kind of applicant (as selectors_applications.principals_for)."""
    from yiwang.services.selectors_applications import principals_for

    return principals_for(actor=actor, version=SimpleNamespace(subjects=[bundle.subject]))


def bundle_principal_get(*, actor, bundle, applicant_id):
    """The applicant named in a request: one of bundle_principals_for, else the field's error."""
    if applicant_id in (None, ""):
        return None
    pk = as_id(applicant_id)
    chosen = next((p for p in bundle_principals_for(actor=actor, bundle=bundle) if p.pk == pk), None)
    if chosen is None:
        raise invalid("applicant_id", "只能为本人或您经办的企业申请，且须为该一件事的服务对象")
    return chosen


# --- the combined status -------------------------------------------------------------------
COMBINED_LABELS = {
    "draft": "草稿",
    "submitted": "待受理",
    "supplement": "待补正",
    "accepted": "审查中",
    "completed": "已办结",
    "withdrawn": "已撤回",
}


@dataclass
class ChildStatus:
    application: Application
    item_name: str
    department_name: str
    status: str
    status_label: str
    outcome_label: str
    due_at: datetime | None
    license: object | None
    documents: list = field(default_factory=list)
    delivered_at: datetime | None = None


@dataclass
class CombinedStatus:
    code: str  # a key of COMBINED_LABELS
    label: str
    counts: dict[str, int]  # child status → how many
    total: int
    ended: int
    latest_due_at: datetime | None
    children: list[ChildStatus]
    completed_at: datetime | None
    delivered_at: datetime | None


def combined_code(statuses: list[str], *, is_draft: bool) -> str:
    """草稿; 已办结 once every item has ended (已撤回 if every one was withdrawn); else 待补正 if
    any item waits for the applicant's correction; 待受理 while no item has been accepted yet;
    审查中 otherwise."""
    if is_draft:
        return "draft"
    if statuses and all(s in ENDED_STATUSES for s in statuses):
        return "withdrawn" if all(s == ApplicationStatus.WITHDRAWN for s in statuses) else "completed"
    if ApplicationStatus.SUPPLEMENT in statuses:
        return "supplement"
    open_statuses = [s for s in statuses if s not in ENDED_STATUSES]
    if all(s == ApplicationStatus.SUBMITTED for s in open_statuses):
        return "submitted"
    return "accepted"


def bundle_application_status(bundle_application: BundleApplication) -> CombinedStatus:
    """One status for the applicant, computed from the children (already prefetched by
    bundle_application_get: no query per child)."""
    children = list(bundle_application.applications.all())
    rows = []
    counts: dict[str, int] = {}
    for child in children:
        counts[child.status] = counts.get(child.status, 0) + 1
        rows.append(
            ChildStatus(
                application=child,
                item_name=child.item_version.name if child.item_version_id else child.item.name,
                department_name=child.department.name,
                status=child.status,
                status_label=ApplicationStatus(child.status).label,
                outcome_label=child.get_outcome_display() if child.outcome else "",
                due_at=child.due_at,
                license=child.license,
                documents=list(child.documents.all()),
                delivered_at=child.delivered_at,
            )
        )
    code = combined_code([c.status for c in children], is_draft=bundle_application.is_draft)
    deadlines = [c.due_at for c in children if c.due_at and c.status not in ENDED_STATUSES]
    return CombinedStatus(
        code=code,
        label=COMBINED_LABELS[code],
        counts=counts,
        total=len(children),
        ended=sum(1 for c in children if c.status in ENDED_STATUSES),
        latest_due_at=max(deadlines) if deadlines else None,
        children=rows,
        completed_at=bundle_application.completed_at,
        delivered_at=bundle_application.delivered_at,
    )


@dataclass
class MaterialState:
    """One material of a bundle application across the items asking for it."""

    code: str
    name: str
    required: bool
    item_names: list[str]
    satisfied: bool  # every item asking it has it (uploaded, reused, 免提交, promised…)
    free_note: str  # 免提交: what satisfied it, as the provider said
    sources: list[tuple[str, str]]  # (item name, how it was satisfied)
    files: list = field(default_factory=list)  # the files of the first item that has any


def bundle_application_materials(bundle_application: BundleApplication) -> list[MaterialState]:
    """Merged by code, from the prefetched children (bundle_application_get)."""
    rows: dict[str, MaterialState] = {}
    for child in bundle_application.applications.all():
        name = child.item_version.name if child.item_version_id else child.item.name
        for material in child.materials.all():
            row = rows.get(material.code)
            if row is None:
                row = rows[material.code] = MaterialState(
                    code=material.code,
                    name=material.name,
                    required=False,
                    item_names=[],
                    satisfied=True,
                    free_note="",
                    sources=[],
                )
            row.required = row.required or material.required
            row.item_names.append(name)
            row.sources.append((name, material.get_source_display()))
            if material.source == MaterialSource.MISSING and material.required:
                row.satisfied = False
            if material.source in FREE_SOURCES and not row.free_note:
                row.free_note = material.provided_by
            if not row.files:
                row.files = list(material.files.all())
    return list(rows.values())


def bundle_application_answers(bundle_application: BundleApplication, fields) -> list:
    """The merged answers as the applicant's pages show them (personal data masked)."""
    from yiwang.services.services.applying_form import MASKS, Answer, sensitive_answers

    sensitive = sensitive_answers(bundle_application)
    answers = []
    for form_field in fields:
        if form_field.sensitive:
            raw = str(sensitive.get(form_field.code, ""))
            value = MASKS[form_field.type](raw) if raw else ""
        else:
            value = str(bundle_application.form_data.get(form_field.code, ""))
        answers.append(
            Answer(
                code=form_field.code,
                label=form_field.label,
                value=value,
                sensitive=form_field.sensitive,
                required=form_field.required,
            )
        )
    return answers
