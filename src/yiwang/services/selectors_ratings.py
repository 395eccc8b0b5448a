"""好差评 reads (STANDARDS.md §5): aggregates per item, department and window, the public
figures, the 差评 list and the rectifications, scoped to the actor.

Definitions (docs/glossary.md):
- 评价数: ratings in the period (by `created_at`, local dates, end inclusive), leaving out the
  差评 whose appeal was upheld (申诉成立, rectification `revoked`: 差评不计).
- 平均分: mean level of those, one decimal. 好评率: share of them at level 4 or 5.
- 差评数: those at level 1 or 2 (so revoked ones are not counted).
- 整改率: rectifications ended — 回访满意 (`closed`) or 申诉成立 (`revoked`) — over every 差评
  received, revoked ones included (both ends are a handled 差评).
- 回访率: counted 实名差评 (a rater is known: always so for 一事一评, and for 一次一评 through
  the receipt) that were revisited (回访, satisfied or not) over the counted 实名差评
  (STANDARDS §5: must reach 100%).
A rate whose denominator is 0 is None (shown "—").

Scope: `services.rating.view` (监察人员, 领导, 政务服务管理员 city-wide; 部门管理员 their
departments). Rectifications are also seen by whoever works them: the 部门管理员 and 审批人员
of the rated department (and below). Out of scope → NotFound.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from django.db.models import Avg, Count, Q, QuerySet
from django.utils import timezone

from yiwang.core.accounts.rbac import Scope, scope_for
from yiwang.core.errors import InvalidInput, NotFound, PermissionDenied
from yiwang.core.ids import as_id
from yiwang.core.orgs.models import Department
from yiwang.services.models import Application, Rating, Rectification, RectificationStatus
from yiwang.services.permissions import acts_for
from yiwang.workflow.models_runtime import Task, TaskStatus
from yiwang.workflow.permissions import role_posts

RATING_VIEW = "services.rating.view"
GROUPINGS = {
    "item": ("item_id", "item__name"),
    "department": ("department_id", "department__name"),
    "window": ("window_id", "window__name"),
}
RECTIFY_ROLES = ("dept_admin", "approver")  # processes/rectification.yaml, state rectify
EARLIEST, LATEST = date(2000, 1, 1), date(2099, 12, 31)
ENDED = (RectificationStatus.CLOSED, RectificationStatus.REVOKED)
NOT_FOUND = "整改记录不存在或无权查看"
DENIED = "查看好差评需要权限：查看好差评"


# --- period and scope -----------------------------------------------------------------------------
def period_q(field: str, date_from: date | None, date_to: date | None) -> Q:
    """`field` within local dates from–to, both inclusive; either may be None (open)."""
    for name, value in (("date_from", date_from), ("date_to", date_to)):
        if value is not None and not EARLIEST <= value <= LATEST:
            raise InvalidInput("日期超出范围", fields={name: "日期须在2000年至2099年之间"})
    if date_from and date_to and date_to < date_from:
        raise InvalidInput("截止日期不能早于起始日期", fields={"date_to": "截止日期不能早于起始日期"})
    zone = timezone.get_default_timezone()
    condition = Q()
    if date_from:
        condition &= Q(**{f"{field}__gte": datetime.combine(date_from, time.min, tzinfo=zone)})
    if date_to:
        end = datetime.combine(date_to + timedelta(days=1), time.min, tzinfo=zone)
        condition &= Q(**{f"{field}__lt": end})
    return condition


def scope_q(scope: Scope, field: str = "department") -> Q:
    if scope.city_wide:
        return Q()
    condition = Q(pk__in=[])
    for path in scope.department_paths:
        condition |= Q(**{f"{field}__path__startswith": path})
    return condition


def narrowed(scope: Scope, department, *, denied: str) -> tuple[Scope, Department | None]:
    """The actor's scope (empty → PermissionDenied), narrowed to one department and below
    (outside the scope → NotFound), and that department. `department`: a Department, an id or None."""
    if scope.empty:
        raise PermissionDenied(denied)
    if department in (None, ""):
        return scope, None
    if not isinstance(department, Department):
        department = Department.objects.filter(pk=as_id(department)).first()
    if department is None or not scope.includes(department):
        raise NotFound("部门不存在或不在查看范围内")
    return Scope(city_wide=False, department_paths=(department.path,)), department


# --- aggregates -------------------------------------------------------------------------------------
COUNTED = Q(rectification__isnull=True) | ~Q(rectification__status=RectificationStatus.REVOKED)


def rating_measures() -> dict:
    bad = Q(level__lte=2)
    real_name_bad = COUNTED & bad & Q(rater__isnull=False)
    return {
        "count": Count("id", filter=COUNTED),
        "level_avg": Avg("level", filter=COUNTED),
        "good": Count("id", filter=COUNTED & Q(level__gte=4)),
        "bad_count": Count("id", filter=COUNTED & bad),
        "bad_all": Count("id", filter=bad),
        "ended": Count("id", filter=Q(rectification__status__in=ENDED)),
        "real_name_bad": Count("id", filter=real_name_bad),
        "revisited": Count("id", filter=real_name_bad & Q(rectification__revisited_at__isnull=False)),
    }


def share_of(part: int, whole: int) -> float | None:
    return part / whole if whole else None


def rates(row: dict) -> dict:
    """The published numbers of one aggregate row (see the module docstring)."""
    return {
        "count": row["count"],
        "average": None if row["level_avg"] is None else round(row["level_avg"], 1),
        "good_rate": share_of(row["good"], row["count"]),
        "bad_count": row["bad_count"],
        "rectified_rate": share_of(row["ended"], row["bad_all"]),
        "revisit_rate": share_of(row["revisited"], row["real_name_bad"]),
    }


def _grouped(ratings: QuerySet, by: str) -> list[dict]:
    if by not in GROUPINGS:
        raise InvalidInput("统计维度无效", fields={"by": "统计维度须为 item、department 或 window"})
    key, name = GROUPINGS[by]
    if by == "window":
        ratings = ratings.filter(window__isnull=False)
    rows = ratings.order_by().values(key, name).annotate(**rating_measures())
    found = [{"id": row[key], "name": row[name], **rates(row)} for row in rows]
    return sorted(found, key=lambda r: (-r["count"], r["name"] or "", r["id"]))


def rating_summary(*, actor, by: str, date_from=None, date_to=None, department=None) -> list[dict]:
    """Rows {id, name, count, average, good_rate, bad_count, rectified_rate, revisit_rate} per
    item, department or window (its hall's ratings), in the actor's scope: one query."""
    scope, _ = narrowed(scope_for(actor, RATING_VIEW), department, denied=DENIED)
    ratings = Rating.objects.filter(scope_q(scope), period_q("created_at", date_from, date_to))
    return _grouped(ratings, by)


def rating_totals(*, actor, date_from=None, date_to=None, department=None) -> dict:
    scope, _ = narrowed(scope_for(actor, RATING_VIEW), department, denied=DENIED)
    ratings = Rating.objects.filter(scope_q(scope), period_q("created_at", date_from, date_to))
    return rates(ratings.aggregate(**rating_measures()))


def rating_summary_public(*, by: str) -> list[dict]:
    """What the public sees: per department or item, numbers only — no comment, no name."""
    if by not in ("department", "item"):
        raise InvalidInput("统计维度无效", fields={"by": "统计维度须为 department 或 item"})
    rows = _grouped(Rating.objects.all(), by)
    return [
        {k: row[k] for k in ("id", "name", "count", "average", "good_rate", "bad_count", "rectified_rate")}
        for row in rows
    ]


def rating_summary_for_item(item) -> dict:
    """For the item's 办事指南: count, average and 好评率 of its ratings."""
    found = rates(Rating.objects.filter(item=item).aggregate(**rating_measures()))
    return {k: found[k] for k in ("count", "average", "good_rate")}


def bad_ratings_for_actor(*, actor, date_from=None, date_to=None, department=None) -> QuerySet[Rating]:
    """Recent 差评 with their rectification's status, newest first (officials only)."""
    scope, _ = narrowed(scope_for(actor, RATING_VIEW), department, denied=DENIED)
    return (
        Rating.objects.filter(scope_q(scope), period_q("created_at", date_from, date_to), level__lte=2)
        .select_related("item", "department", "window", "application", "rectification")
        .order_by("-created_at", "-id")
    )


# --- rectifications ---------------------------------------------------------------------------------
def _rectify_paths(actor) -> tuple[bool, list[str]]:
    """(city-wide, paths) of the actor's posts that may work a rectification (整改 roles)."""
    posts = [(path, city_wide) for role, path, city_wide in role_posts(actor) if role in RECTIFY_ROLES]
    return any(city_wide for _, city_wide in posts), [path for path, _ in posts]


def _rectification_q(actor) -> Q | None:
    if actor is None or not getattr(actor, "is_authenticated", False) or not actor.is_active:
        return None
    scope = scope_for(actor, RATING_VIEW)
    city_wide, paths = _rectify_paths(actor)
    if scope.city_wide or city_wide:
        return Q()
    paths = [*scope.department_paths, *paths]
    if not paths:
        return None
    return scope_q(Scope(city_wide=False, department_paths=tuple(paths)))


def rectification_visible(actor, rectification: Rectification) -> bool:
    if actor is None or not getattr(actor, "is_authenticated", False) or not actor.is_active:
        return False
    city_wide, paths = _rectify_paths(actor)
    path = rectification.department.path
    return (
        city_wide
        or any(path.startswith(p) for p in paths)
        or scope_for(actor, RATING_VIEW).includes(rectification.department)
    )


def rectification_list_for_actor(*, actor, status: str = "") -> QuerySet[Rectification]:
    """The rectifications the actor may see, soonest deadline first; `status` filters."""
    rows = Rectification.objects.select_related(
        "rating__item", "rating__application", "department", "instance"
    ).order_by("due_at", "-id")
    condition = _rectification_q(actor)
    if condition is None:
        return rows.none()
    rows = rows.filter(condition)
    if status:
        if status not in RectificationStatus.values:
            raise InvalidInput("状态无效", fields={"status": "状态无效"})
        rows = rows.filter(status=status)
    return rows


def rectification_get_for_actor(*, actor, rectification_id) -> Rectification:
    rectification = (
        Rectification.objects.select_related(
            "rating__item", "rating__application", "rating__window", "department", "instance"
        )
        .filter(pk=as_id(rectification_id))
        .first()
    )
    if rectification is None or not rectification_visible(actor, rectification):
        raise NotFound(NOT_FOUND)
    return rectification


def rectification_current_task(rectification: Rectification) -> Task | None:
    return (
        Task.objects.select_related("candidate_department")
        .filter(instance_id=rectification.instance_id, status__in=(TaskStatus.OPEN, TaskStatus.CLAIMED))
        .order_by("-id")
        .first()
    )


# --- the applicant's application to rate ------------------------------------------------------------
def application_for_rating(*, actor, application_id) -> tuple[Application, Rating | None]:
    """The applicant's own application (or the enterprise's, for its 经办人) and its online
    rating if any; anyone else's → NotFound."""
    application = (
        Application.objects.select_related("item", "applicant", "department")
        .filter(pk=as_id(application_id))
        .first()
    )
    if application is None or not acts_for(actor, application.applicant):
        raise NotFound("办件不存在或无权查看")
    rating = Rating.objects.filter(application=application, channel="online").first()
    return application, rating
