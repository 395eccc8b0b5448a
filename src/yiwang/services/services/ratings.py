"""好差评: the applicant rates (STANDARDS.md §5; 国办发〔2019〕51号, GB/T 39734/39735-2020).

- 一事一评 (`rating_submit_online`): after 办结, the applicant (or the enterprise's 经办人) rates
  the application 1–5 with the five online indicators; the item's implementing department is
  the rated one (谁办理谁负责).
- 一次一评 (`rating_submit_window`): the receipt's QR code carries a signed token
  (rating_tokens.py); the person rates the window visit from a phone without signing in; the
  department that accepted (the 综合窗口's, else the item's) and the window are rated.

One rating per application per channel (models.Rating). Every 差评 (level ≤ 2) must say why
(a comment of at least five characters: what is not said cannot be rectified) and opens a
rectification in the same transaction (services/rectifications.py): a rating is never stored
without its rectification.
"""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.utils import timezone

from yiwang.core.audit import services as audit
from yiwang.core.errors import Conflict, InvalidInput, NotFound, invalid
from yiwang.services.models import Application, ApplicationStatus, Rating, RatingChannel
from yiwang.services.models.ratings import BAD_LEVELS, INDICATORS
from yiwang.services.permissions import acts_for
from yiwang.services.rating_tokens import read_token
from yiwang.services.services.rectifications import rectification_open

COMMENT_MAX = 500
BAD_COMMENT_MIN = 5  # 差评 must say why, so that it can be rectified
ALREADY_RATED = "该办件已评价，每件只能评价一次"
NOT_FOUND = "办件不存在或无权查看"


def _level(value, field: str, label: str) -> tuple[int | None, dict]:
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 5:
        return None, {field: f"请为{label}选择1至5分"}
    return value, {}


def _indicators(indicators) -> tuple[dict, dict]:
    """All five online indicators (STANDARDS §5), each 1–5; an unknown key is refused."""
    if not isinstance(indicators, dict):
        return {}, {"indicators": "分项评价格式有误"}
    problems, cleaned = {}, {}
    for key in indicators:
        if key not in INDICATORS:
            problems[f"indicators.{str(key)[:32]}"] = "未知的评价指标"
    for key, label in INDICATORS.items():
        value, problem = _level(indicators.get(key), f"indicators.{key}", label)
        problems.update(problem)
        if value is not None:
            cleaned[key] = value
    return cleaned, problems


def _comment(comment, level: int | None) -> tuple[str, dict]:
    if not isinstance(comment, str):
        return "", {"comment": "评价内容须为文字"}
    comment = comment.strip()
    if len(comment) > COMMENT_MAX:
        return comment, {"comment": f"评价内容不能超过{COMMENT_MAX}个字"}
    if level in BAD_LEVELS and len(comment) < BAD_COMMENT_MIN:
        return comment, {"comment": f"差评请说明原因（至少{BAD_COMMENT_MIN}个字），以便整改"}
    return comment, {}


def _not_yet_rated(application, channel) -> None:
    if Rating.objects.filter(application=application, channel=channel).exists():
        raise Conflict(ALREADY_RATED)


def _store(*, actor, application, channel, level, indicators, comment, department, rater) -> Rating:
    # The constraint decides two simultaneous submissions (double click, two phones).
    try:
        with transaction.atomic():
            rating = Rating.objects.create(
                application=application,
                item=application.item,
                department=department,
                window=application.window,
                channel=channel,
                level=level,
                indicators=indicators,
                comment=comment,
                rater=rater,
                created_at=timezone.now(),
            )
    except IntegrityError:
        raise Conflict(ALREADY_RATED) from None
    audit.record(
        actor=actor,
        action="services.rating.submitted",
        target=rating,
        changes={"application": application.pk, "channel": channel, "level": level},
    )
    if rating.is_bad:
        rectification_open(rating=rating)
    return rating


@transaction.atomic
def rating_submit_online(*, actor, application: Application, level, indicators, comment="") -> Rating:
    """一事一评: after 办结, by the applicant or whoever acts for them."""
    if not acts_for(actor, application.applicant):
        raise NotFound(NOT_FOUND)
    if application.status != ApplicationStatus.COMPLETED:
        raise InvalidInput(
            "办结后才能评价",
            fields={"application": f"办件{application.get_status_display()}，办结后才能评价"},
        )
    _not_yet_rated(application, RatingChannel.ONLINE)
    level, problems = _level(level, "level", "总体评价")
    cleaned_indicators, indicator_problems = _indicators(indicators)
    comment, comment_problems = _comment(comment, level)
    problems |= indicator_problems | comment_problems
    if problems:
        raise InvalidInput("评价内容有误", fields=problems)
    return _store(
        actor=actor,
        application=application,
        channel=RatingChannel.ONLINE,
        level=level,
        indicators=cleaned_indicators,
        comment=comment,
        department=application.department,
        rater=actor,
    )


def application_for_token(token) -> Application:
    """The application a receipt's QR code names; a tampered or expired code is refused."""
    application_id = read_token(token) if isinstance(token, str) and len(token) <= 512 else None
    application = (
        Application.objects.select_related("item", "item_version", "department", "applicant", "window")
        .filter(pk=application_id)
        .first()
        if application_id
        else None
    )
    if application is None:
        raise invalid("token", "评价二维码无效或已过期，请向窗口工作人员索取新的回执")
    if application.status == ApplicationStatus.DRAFT:
        raise invalid("token", "该办件尚未提交，暂不能评价")
    return application


@transaction.atomic
def rating_submit_window(*, token, level, comment="", actor=None) -> Rating:
    """一次一评 at the window, through the signed token on the receipt: no sign-in needed. The
    rater is the applicant the receipt was issued to (实名), or the signed-in person acting for
    them; the rated department is the one that accepted at the window."""
    application = application_for_token(token)
    # Lock the application: the constraint would refuse a second rating anyway, but this keeps
    # the refusal a clean 409 on every database.
    Application.objects.select_for_update().filter(pk=application.pk).first()
    _not_yet_rated(application, RatingChannel.WINDOW)
    level, problems = _level(level, "level", "评价")
    comment, comment_problems = _comment(comment, level)
    problems |= comment_problems
    if problems:
        raise InvalidInput("评价内容有误", fields=problems)
    version = application.item_version
    department = version.acceptance_department or application.item.department
    rater = actor if acts_for(actor, application.applicant) else application.applicant
    return _store(
        actor=actor,
        application=application,
        channel=RatingChannel.WINDOW,
        level=level,
        indicators={},
        comment=comment,
        department=department,
        rater=rater,
    )
