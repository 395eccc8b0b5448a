"""/api/v1/services — 办理: the officials' application inbox, one application, and the
actions of its current step. Errors leave in the one envelope (DomainError → 404/403/409/422)."""

from __future__ import annotations

from ninja import Query, Router

from yiwang.services import schemas_handling as schemas
from yiwang.services.selectors_handling import (
    application_box_counts,
    application_get_for_official,
    application_list_for_official,
)
from yiwang.services.selectors_handling_detail import application_detail_for_official
from yiwang.services.services import handling, handling_decide

router = Router(tags=["一网通办 · 办理"])
BASE = "/office/applications"


def _detail(actor, application_id):
    detail = application_detail_for_official(actor=actor, application_id=application_id)
    return schemas.ApplicationDetailOut.from_detail(detail)


def _application(actor, application_id):
    return application_get_for_official(actor=actor, application_id=application_id)


@router.get(
    BASE,
    response=schemas.ApplicationPageOut,
    summary="办件收件箱（待预审/待受理、审查中、待决定、待送达、全部）",
)
def office_applications(request, filters: Query[schemas.InboxIn]):
    found = application_list_for_official(
        actor=request.auth, box=filters.box, page=filters.page, per_page=filters.per_page
    )
    return {
        "box": found.box,
        "page": found.page,
        "has_next": found.has_next,
        "counts": application_box_counts(actor=request.auth),
        "items": [row.__dict__ for row in found.rows],
    }


@router.get(BASE + "/{application_id}", response=schemas.ApplicationDetailOut, summary="办件详情（官员）")
def office_application(request, application_id: str):
    return _detail(request.auth, application_id)


@router.post(BASE + "/{application_id}/pre-review", response=schemas.ApplicationDetailOut, summary="预审通过")
def pre_review(request, application_id: str, payload: schemas.OpinionIn):
    application = _application(request.auth, application_id)
    handling.application_pre_review_pass(actor=request.auth, application=application, opinion=payload.opinion)
    return _detail(request.auth, application.pk)


@router.post(
    BASE + "/{application_id}/correction", response=schemas.ApplicationDetailOut, summary="一次性告知补正"
)
def correction(request, application_id: str, payload: schemas.CorrectionIn):
    application = _application(request.auth, application_id)
    handling.application_request_correction(
        actor=request.auth,
        application=application,
        items=[item.dict() for item in payload.items],
        note=payload.note,
    )
    return _detail(request.auth, application.pk)


@router.post(
    BASE + "/{application_id}/accept", response=schemas.ApplicationDetailOut, summary="受理（或容缺受理）"
)
def accept(request, application_id: str, payload: schemas.AcceptIn):
    application = _application(request.auth, application_id)
    handling.application_accept(
        actor=request.auth,
        application=application,
        opinion=payload.opinion,
        deficiency_note=payload.deficiency_note,
    )
    return _detail(request.auth, application.pk)


@router.post(BASE + "/{application_id}/not-accept", response=schemas.ApplicationDetailOut, summary="不予受理")
def not_accept(request, application_id: str, payload: schemas.NotAcceptIn):
    application = _application(request.auth, application_id)
    handling.application_not_accept(actor=request.auth, application=application, reason=payload.reason)
    return _detail(request.auth, application.pk)


@router.post(BASE + "/{application_id}/review", response=schemas.ApplicationDetailOut, summary="审查意见")
def review(request, application_id: str, payload: schemas.ReviewIn):
    application = _application(request.auth, application_id)
    handling_decide.application_review(
        actor=request.auth, application=application, agree=payload.agree, opinion=payload.opinion
    )
    return _detail(request.auth, application.pk)


@router.post(BASE + "/{application_id}/decide", response=schemas.ApplicationDetailOut, summary="准予 / 不予")
def decide(request, application_id: str, payload: schemas.DecideIn):
    application = _application(request.auth, application_id)
    handling_decide.application_decide(
        actor=request.auth,
        application=application,
        approve=payload.approve,
        opinion=payload.opinion,
        reason=payload.reason,
        basis=payload.basis,
    )
    return _detail(request.auth, application.pk)


@router.post(
    BASE + "/{application_id}/decide-immediate",
    response=schemas.ApplicationDetailOut,
    summary="受理并办结（即办件）",
)
def decide_immediate(request, application_id: str, payload: schemas.OpinionIn):
    application = _application(request.auth, application_id)
    handling_decide.application_decide_immediate(
        actor=request.auth, application=application, opinion=payload.opinion
    )
    return _detail(request.auth, application.pk)


@router.post(
    BASE + "/{application_id}/deliver", response=schemas.ApplicationDetailOut, summary="送达（邮寄/窗口领取）"
)
def deliver(request, application_id: str, payload: schemas.DeliverIn):
    application = _application(request.auth, application_id)
    handling_decide.application_deliver(actor=request.auth, application=application, note=payload.note)
    return _detail(request.auth, application.pk)
