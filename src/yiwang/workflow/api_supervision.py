"""/api/v1/workflow/supervision: 电子监察 (issue 3 §5) — figures, the overdue list, exports,
督办 and its 反馈, 过错问责."""

from django.http import HttpResponse
from django.utils import timezone
from ninja import Query, Router, Status
from ninja.pagination import paginate

from yiwang.core.files.responses import content_disposition
from yiwang.workflow import selectors_supervision as selectors
from yiwang.workflow import supervision_export as export
from yiwang.workflow.schemas_supervision import (
    AccountabilityFilterIn,
    AccountabilityIn,
    AccountabilityOut,
    AcknowledgeIn,
    ExportFilterIn,
    FiguresFilterIn,
    FiguresOut,
    NoticeFilterIn,
    NoticeIn,
    NoticeOut,
    OverdueFilterIn,
    OverdueOut,
)
from yiwang.workflow.services.supervision import accountability_record, notice_acknowledge, notice_press
from yiwang.workflow.timeline import instance_get_for_actor

router = Router(tags=["workflow-supervision"])
CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def _figures(actor, filters) -> dict:
    return selectors.supervision_figures(
        actor=actor,
        start=filters.start,
        end=filters.end,
        department_id=filters.department,
        process=filters.process,
    )


@router.get("/figures", response=FiguresOut, summary="电子监察统计（按部门、按流程）")
def figures(request, filters: Query[FiguresFilterIn]):
    return _figures(request.auth, filters)


@router.get("/overdue", response=list[OverdueOut], summary="超期清单（最多500条，超期最久的在前）")
@paginate
def overdue(request, filters: Query[OverdueFilterIn]):
    return selectors.overdue_list(
        actor=request.auth, department_id=filters.department, process=filters.process
    )


@router.get("/export", summary="导出统计或超期清单（csv / xlsx）")
def export_file(request, filters: Query[ExportFilterIn]):
    if filters.what == "overdue":
        rows = selectors.overdue_list(
            actor=request.auth, department_id=filters.department, process=filters.process
        )
        headers, table = export.overdue_table(rows)
        title = "超期清单"
    else:
        headers, table = export.figures_table(_figures(request.auth, filters))
        title = "电子监察"
    if filters.format == "csv":
        content = export.to_csv(headers, table)
    else:
        content = export.to_xlsx(headers, table, title=title)
    response = HttpResponse(content, content_type=CONTENT_TYPES[filters.format])
    name = f"{title}-{timezone.localdate():%Y-%m-%d}.{filters.format}"
    response["Content-Disposition"] = content_disposition(name, filters.format)
    response["Cache-Control"] = "private, no-store"
    return response


@router.get("/notices", response=list[NoticeOut], summary="督办（收到的 / 发出的）")
@paginate
def notices(request, filters: Query[NoticeFilterIn]):
    return selectors.notices_for_actor(actor=request.auth, box=filters.box, pending_only=filters.pending)


@router.post("/notices", response={201: NoticeOut}, summary="督办")
def notice_create(request, payload: NoticeIn):
    instance = instance_get_for_actor(actor=request.auth, instance_id=payload.instance)
    notice = notice_press(
        actor=request.auth,
        instance=instance,
        task=selectors.task_of_instance(instance=instance, task_id=payload.task),
        message=payload.message,
        respond_by=payload.respond_by,
    )
    return Status(201, notice)


@router.post("/notices/{notice_id}/acknowledge", response=NoticeOut, summary="督办反馈")
def notice_reply(request, notice_id: str, payload: AcknowledgeIn):
    notice = selectors.notice_get_for_actor(actor=request.auth, notice_id=notice_id)
    return notice_acknowledge(
        actor=request.auth, notice=notice, reply=payload.reply, expected_version=payload.version
    )


@router.get("/accountabilities", response=list[AccountabilityOut], summary="过错问责记录")
@paginate
def accountabilities(request, filters: Query[AccountabilityFilterIn]):
    return selectors.accountabilities_for_actor(actor=request.auth, department_id=filters.department)


@router.post("/accountabilities", response={201: AccountabilityOut}, summary="记录过错问责")
def accountability_create(request, payload: AccountabilityIn):
    instance = instance_get_for_actor(actor=request.auth, instance_id=payload.instance)
    record = accountability_record(
        actor=request.auth,
        instance=instance,
        task=selectors.task_of_instance(instance=instance, task_id=payload.task),
        kind=payload.kind,
        reason=payload.reason,
        responsible=selectors.official_get(user_id=payload.responsible),
    )
    return Status(201, record)
