"""/api/v1/services — 好差评 (STANDARDS §5) and the figures (issue 5 §7).

一事一评 by the applicant, 一次一评 by the receipt's token (no sign-in), the public aggregates,
the officials' aggregates, the rectifications with their four actions, and the figures."""

from ninja import Query, Router, Status
from ninja.pagination import paginate

from yiwang.services import selectors_figures, selectors_ratings
from yiwang.services.schemas_ratings import (
    AppealIn,
    FiguresFilters,
    FiguresOut,
    OnlineRatingIn,
    PublicSummaryFilters,
    PublicSummaryOut,
    RatingOut,
    RectificationFilters,
    RectificationOut,
    RespondIn,
    ReviewAppealIn,
    RevisitIn,
    SummaryFilters,
    SummaryOut,
    WindowRatingIn,
    WindowRatingOut,
)
from yiwang.services.services import rectifications
from yiwang.services.services.ratings import rating_submit_online, rating_submit_window

router = Router(tags=["一网通办 · 好差评"])


@router.post(
    "/applications/{int:application_id}/rating", response={201: RatingOut}, summary="一事一评（办结后）"
)
def rate_online(request, application_id: int, payload: OnlineRatingIn):
    application, _ = selectors_ratings.application_for_rating(
        actor=request.auth, application_id=application_id
    )
    rating = rating_submit_online(
        actor=request.auth,
        application=application,
        level=payload.level,
        indicators=payload.indicators,
        comment=payload.comment,
    )
    return Status(201, rating)


@router.post(
    "/ratings/window", auth=None, response={201: WindowRatingOut}, summary="一次一评（回执二维码，免登录）"
)
def rate_window(request, payload: WindowRatingIn):
    rating = rating_submit_window(token=payload.token, level=payload.level, comment=payload.comment)
    return Status(201, rating)


@router.get(
    "/ratings/summary", auth=None, response=list[PublicSummaryOut], summary="好差评公示（按部门或事项）"
)
@paginate
def summary_public(request, filters: Query[PublicSummaryFilters]):
    return selectors_ratings.rating_summary_public(by=filters.by)


@router.get("/office/ratings", response=list[SummaryOut], summary="好差评统计（按事项、部门或窗口）")
@paginate
def summary_office(request, filters: Query[SummaryFilters]):
    return selectors_ratings.rating_summary(
        actor=request.auth,
        by=filters.by,
        date_from=filters.date_from,
        date_to=filters.date_to,
        department=filters.department,
    )


@router.get("/rectifications", response=list[RectificationOut], summary="差评整改")
@paginate
def rectification_list(request, filters: Query[RectificationFilters]):
    return selectors_ratings.rectification_list_for_actor(actor=request.auth, status=filters.status)


def _rectification(request, rectification_id: int):
    return selectors_ratings.rectification_get_for_actor(
        actor=request.auth, rectification_id=rectification_id
    )


@router.post(
    "/rectifications/{int:rectification_id}/respond", response=RectificationOut, summary="整改完成或情况说明"
)
def respond(request, rectification_id: int, payload: RespondIn):
    return rectifications.rectification_respond(
        actor=request.auth,
        rectification=_rectification(request, rectification_id),
        text=payload.text,
        unfounded=payload.unfounded,
    )


@router.post("/rectifications/{int:rectification_id}/appeal", response=RectificationOut, summary="申诉")
def appeal(request, rectification_id: int, payload: AppealIn):
    return rectifications.rectification_appeal(
        actor=request.auth, rectification=_rectification(request, rectification_id), reason=payload.reason
    )


@router.post(
    "/rectifications/{int:rectification_id}/review-appeal", response=RectificationOut, summary="申诉复核"
)
def review_appeal(request, rectification_id: int, payload: ReviewAppealIn):
    return rectifications.rectification_review_appeal(
        actor=request.auth,
        rectification=_rectification(request, rectification_id),
        upheld=payload.upheld,
        opinion=payload.opinion,
    )


@router.post("/rectifications/{int:rectification_id}/revisit", response=RectificationOut, summary="回访")
def revisit(request, rectification_id: int, payload: RevisitIn):
    return rectifications.rectification_revisit(
        actor=request.auth,
        rectification=_rectification(request, rectification_id),
        satisfied=payload.satisfied,
        note=payload.note,
    )


@router.get(
    "/figures", response=FiguresOut, summary="一网通办统计（网上可办率、即办率、按时办结率、满意度等）"
)
def figures(request, filters: Query[FiguresFilters]):
    return selectors_figures.figures(
        actor=request.auth,
        date_from=filters.date_from,
        date_to=filters.date_to,
        department=filters.department,
    )
