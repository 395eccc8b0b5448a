"""门户浏览: what the public portal lists — by 服务对象 (个人 / 法人), department, life event and
theme — read from the item rows' copied keys (models/catalogue.py), never from versions.

Public reads: no actor. Only published items of an 依申请 type (STANDARDS §4) with a published
version appear, and only published 一件事. Counts are one aggregate query each.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet
from django.urls import NoReverseMatch, reverse

from yiwang.core.errors import NotFound, invalid
from yiwang.core.orgs.models import Department
from yiwang.services.models import (
    Bundle,
    BundleStatus,
    ItemStatus,
    LifeEvent,
    ServiceItem,
    SubjectKind,
    Theme,
)
from yiwang.services.models.catalogue import APPLICABLE_TYPES

# 人生事件 of a person and 企业生命周期 of an enterprise: the portal's two groups of life events.
PERSONAL_EVENTS = (
    LifeEvent.BIRTH,
    LifeEvent.SCHOOL,
    LifeEvent.EMPLOYMENT,
    LifeEvent.MARRIAGE,
    LifeEvent.HOUSING,
    LifeEvent.MEDICAL,
    LifeEvent.SOCIAL_SECURITY,
    LifeEvent.TRAVEL,
    LifeEvent.IDENTITY,
    LifeEvent.RETIREMENT,
    LifeEvent.ELDERLY,
    LifeEvent.DEATH,
)
ENTERPRISE_EVENTS = (
    LifeEvent.START_BUSINESS,
    LifeEvent.OPERATING_PERMIT,
    LifeEvent.CONSTRUCTION,
    LifeEvent.TAX,
    LifeEvent.CHANGE,
    LifeEvent.CLOSE_BUSINESS,
)
POPULAR_COUNT = 8
SUBJECT_REASON = "服务对象只能是个人（citizen）或法人（enterprise）"


def item_url(item_id: int) -> str:
    """The item's 办事指南 page; "" until that page exists."""
    try:
        return reverse("services:guide", args=[item_id])
    except NoReverseMatch:
        return ""


def bundle_url(code: str) -> str:
    try:
        return reverse("services:bundle_detail", args=[code])
    except NoReverseMatch:
        return ""


def checked_subject(subject: str) -> str:
    if subject and subject not in SubjectKind.values:
        raise invalid("subject", SUBJECT_REASON)
    return subject or ""


def listed_items(*, subject: str = "") -> QuerySet[ServiceItem]:
    """Published items the public may apply for, of one 服务对象 if given."""
    items = ServiceItem.objects.filter(
        status=ItemStatus.PUBLISHED, item_type__in=APPLICABLE_TYPES, published_version__isnull=False
    )
    subject = checked_subject(subject)
    return items.filter(subject_keys__contains=f",{subject},") if subject else items


def listed_bundles(*, subject: str = "", life_event: str = "") -> QuerySet[Bundle]:
    bundles = Bundle.objects.filter(status=BundleStatus.PUBLISHED).order_by("-popularity", "code")
    if subject := checked_subject(subject):
        bundles = bundles.filter(subject=subject)
    return bundles.filter(life_event=life_event) if life_event else bundles


@dataclass(frozen=True)
class Category:
    code: str
    label: str
    count: int
    group: str = ""  # life events: "citizen" (人生事件) or "enterprise" (企业生命周期)


@dataclass(frozen=True)
class DepartmentCount:
    id: int
    name: str
    count: int


def _category_counts(subject: str) -> dict[str, int]:
    """Items per life event ("event:birth") and per theme ("theme:market"), in one query."""
    counts = {f"event:{code}": Q(life_event_keys__contains=f",{code},") for code in LifeEvent.values}
    counts |= {f"theme:{code}": Q(theme_keys__contains=f",{code},") for code in Theme.values}
    aggregates = {key.replace(":", "__"): Count("pk", filter=condition) for key, condition in counts.items()}
    row = listed_items(subject=subject).aggregate(**aggregates)
    return {key: row[key.replace(":", "__")] for key in counts}


def life_event_counts(*, subject: str = "", counts: dict | None = None) -> list[Category]:
    """Every life event, in its group (人生事件 / 企业生命周期), with the number of published
    items of the 服务对象 (all if none): 个体工商户设立登记 is 开办企业 for a person too."""
    counts = _category_counts(subject) if counts is None else counts
    groups = {"citizen": PERSONAL_EVENTS, "enterprise": ENTERPRISE_EVENTS}
    return [
        Category(event.value, str(event.label), counts[f"event:{event.value}"], group)
        for group, events in groups.items()
        for event in events
    ]


def theme_counts(*, subject: str = "", counts: dict | None = None) -> list[Category]:
    counts = _category_counts(subject) if counts is None else counts
    return [Category(theme.value, str(theme.label), counts[f"theme:{theme.value}"]) for theme in Theme]


def department_counts(*, subject: str = "") -> list[DepartmentCount]:
    """Departments that have published items, with how many."""
    rows = (
        listed_items(subject=subject)
        .values("department_id", "department__name", "department__sort_order")
        .annotate(count=Count("pk"))
        .order_by("department__sort_order", "department_id")
    )
    return [DepartmentCount(r["department_id"], r["department__name"], r["count"]) for r in rows]


@dataclass(frozen=True)
class PortalOverview:
    subject: str
    life_events: list[Category]
    themes: list[Category]
    departments: list[DepartmentCount]
    bundles: list[Bundle]
    popular: list[ServiceItem]

    def events_of(self, group: str) -> list[Category]:
        """The group's life events that have items (the portal links only to non-empty lists)."""
        return [event for event in self.life_events if event.group == group and event.count]

    @property
    def personal_events(self) -> list[Category]:
        return self.events_of("citizen")

    @property
    def enterprise_events(self) -> list[Category]:
        return self.events_of("enterprise")


def portal_overview(*, subject: str = "") -> PortalOverview:
    """The portal's front page: life events, themes, departments, 一件事 and popular items."""
    counts = _category_counts(checked_subject(subject))
    popular = listed_items(subject=subject).select_related("department").order_by("-popularity", "name", "pk")
    return PortalOverview(
        subject=subject,
        life_events=life_event_counts(subject=subject, counts=counts),
        themes=[theme for theme in theme_counts(subject=subject, counts=counts) if theme.count],
        departments=department_counts(subject=subject),
        bundles=list(listed_bundles(subject=subject).select_related("lead_department")),
        popular=list(popular[:POPULAR_COUNT]),
    )


@dataclass(frozen=True)
class ItemListing:
    """One browsing page's items: a department's, a life event's or a theme's."""

    title: str
    items: QuerySet[ServiceItem]  # paginated by the caller
    bundles: list[Bundle]


def _ordered(items: QuerySet[ServiceItem]) -> QuerySet[ServiceItem]:
    return items.select_related("department").order_by("-popularity", "name", "pk")


def items_by_department(*, department_id: int, subject: str = "") -> ItemListing:
    department = Department.objects.filter(pk=department_id, is_active=True).first()
    if department is None:
        raise NotFound("没有这个部门")
    items = listed_items(subject=subject).filter(department=department)
    return ItemListing(title=department.name, items=_ordered(items), bundles=[])


def items_by_life_event(*, code: str, subject: str = "") -> ItemListing:
    if code not in LifeEvent.values:
        raise NotFound("没有这个人生事件分类")
    items = listed_items(subject=subject).filter(life_event_keys__contains=f",{code},")
    bundles = listed_bundles(subject=subject, life_event=code).select_related("lead_department")
    return ItemListing(title=str(LifeEvent(code).label), items=_ordered(items), bundles=list(bundles))


def items_by_theme(*, code: str, subject: str = "") -> ItemListing:
    if code not in Theme.values:
        raise NotFound("没有这个主题分类")
    items = listed_items(subject=subject).filter(theme_keys__contains=f",{code},")
    return ItemListing(title=str(Theme(code).label), items=_ordered(items), bundles=[])
