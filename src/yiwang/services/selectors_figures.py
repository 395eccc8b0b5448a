"""一网通办 figures that cities report (issue 5 §7), counted by the database in four queries.

Definitions (docs/glossary.md). "Items" are the published (已发布) items of the 依申请 types
(catalogue.APPLICABLE_TYPES: the others are not applied for); "the period" is local dates
from–to, both inclusive.
- 网上可办率: items with 网办深度 ≥ 4 (互联网受理, ONLINE_DEPTH_ONLINE) / items.
- 即办率（事项）: items whose 办件类型 is 即办件 / items.
- 即办率（办件）: applications submitted in the period under a 即办件 version (the version
  they were made under) / applications submitted in the period.
- 申请渠道: applications submitted in the period, 网上申请 (online) and 窗口申请 (window).
- 办结: applications 已办结 (completed: 准予 or 不予) with `decided_at` in the period.
- 按时办结率: 办结 with no due time, or decided at or before it (`decided_at ≤ due_at`) / 办结.
- 平均实际用时 / 平均承诺时限 (工作日): mean `working_days_used` and mean
  `promised_working_days` of the 办结 that have them (the clock stopped during 补正).
- 承诺时限压缩比: mean over items of 1 − 承诺办结时限 / 法定办结时限 of the published version,
  over items whose two limits have the same unit and a 法定时限 > 0.
- 满意度: the period's ratings (selectors_ratings): 平均分, 好评率, and 差评整改率 (整改率).
A rate whose denominator is 0 is None (shown "—").

Scope: `services.figures.view` (监察人员, 领导, 政务服务管理员); city-wide sees every
department, otherwise the actor's departments and those below; `department` narrows to one
department and below (outside the scope → NotFound). Items, applications and ratings are
counted by their department (the rated department for ratings).
"""

from __future__ import annotations

from datetime import date

from django.db.models import Avg, Count, F, FloatField, Q, Value
from django.db.models.functions import Cast
from django.utils import timezone

from yiwang.core.accounts.rbac import scope_for
from yiwang.services.models import Application, ApplicationStatus, Channel, Rating, ServiceItem
from yiwang.services.models.catalogue import APPLICABLE_TYPES, ONLINE_DEPTH_ONLINE, HandlingKind, ItemStatus
from yiwang.services.selectors_ratings import narrowed, period_q, rates, rating_measures, scope_q, share_of

FIGURES_VIEW = "services.figures.view"
DENIED = "查看一网通办统计需要权限：查看一网通办统计"


def default_period(date_from: date | None, date_to: date | None) -> tuple[date, date]:
    """Unset dates: this year up to today (cities report by year)."""
    date_to = date_to or timezone.localdate()
    return date_from or date_to.replace(month=1, day=1), date_to


def _item_figures(scope) -> dict:
    version = "published_version__"
    compression = Value(1.0) - Cast(F(f"{version}promised_limit"), FloatField()) / Cast(
        F(f"{version}statutory_limit"), FloatField()
    )
    row = ServiceItem.objects.filter(
        scope_q(scope), status=ItemStatus.PUBLISHED, item_type__in=list(APPLICABLE_TYPES)
    ).aggregate(
        items=Count("id"),
        online=Count("id", filter=Q(online_depth__gte=ONLINE_DEPTH_ONLINE)),
        immediate=Count("id", filter=Q(handling_kind=HandlingKind.IMMEDIATE)),
        compression=Avg(
            compression,
            output_field=FloatField(),
            filter=Q(
                **{f"{version}statutory_limit__gt": 0},
                **{f"{version}promised_limit_unit": F(f"{version}statutory_limit_unit")},
            ),
        ),
    )
    return {
        "items": row["items"],
        "online_items": row["online"],
        "online_rate": share_of(row["online"], row["items"]),
        "immediate_items": row["immediate"],
        "immediate_item_rate": share_of(row["immediate"], row["items"]),
        "compression_ratio": row["compression"],
    }


def _application_figures(scope, date_from, date_to) -> dict:
    submitted = period_q("submitted_at", date_from, date_to) & ~Q(status=ApplicationStatus.DRAFT)
    completed = period_q("decided_at", date_from, date_to) & Q(status=ApplicationStatus.COMPLETED)
    on_time = completed & (Q(due_at__isnull=True) | Q(decided_at__lte=F("due_at")))
    row = Application.objects.filter(scope_q(scope)).aggregate(
        submitted=Count("id", filter=submitted),
        online=Count("id", filter=submitted & Q(channel=Channel.ONLINE)),
        window=Count("id", filter=submitted & Q(channel=Channel.WINDOW)),
        immediate=Count("id", filter=submitted & Q(item_version__handling_kind=HandlingKind.IMMEDIATE)),
        completed=Count("id", filter=completed),
        on_time=Count("id", filter=on_time),
        used=Avg("working_days_used", filter=completed),
        promised=Avg("promised_working_days", filter=completed),
    )
    return {
        "applications": row["submitted"],
        "channels": {"online": row["online"], "window": row["window"]},
        "immediate_applications": row["immediate"],
        "immediate_application_rate": share_of(row["immediate"], row["submitted"]),
        "completed": row["completed"],
        "on_time": row["on_time"],
        "on_time_rate": share_of(row["on_time"], row["completed"]),
        "avg_working_days_used": row["used"],
        "avg_promised_working_days": row["promised"],
    }


def _satisfaction(scope, date_from, date_to) -> dict:
    ratings = Rating.objects.filter(scope_q(scope), period_q("created_at", date_from, date_to))
    found = rates(ratings.aggregate(**rating_measures()))
    return {
        "ratings": found["count"],
        "average_level": found["average"],
        "good_rate": found["good_rate"],
        "bad_count": found["bad_count"],
        "rectified_rate": found["rectified_rate"],
    }


def figures(*, actor, date_from: date | None = None, date_to: date | None = None, department=None) -> dict:
    """The figures of the module docstring for the actor's scope and the period."""
    scope, department = narrowed(scope_for(actor, FIGURES_VIEW), department, denied=DENIED)
    date_from, date_to = default_period(date_from, date_to)
    period_q("created_at", date_from, date_to)  # checks the dates before any counting
    return {
        "period": {"from": date_from, "to": date_to},
        "department": department.name if department is not None else "",
        **_item_figures(scope),
        **_application_figures(scope, date_from, date_to),
        "satisfaction": _satisfaction(scope, date_from, date_to),
    }
