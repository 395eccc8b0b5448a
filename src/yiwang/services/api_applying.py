"""/api/v1/services — 申请 (issue 5 §3): drafts, materials, submission, withdrawal, 补正, and
我的材料. Another person's application is a 404 here as on the pages."""

from ninja import File, Query, Router, Status, UploadedFile
from ninja.pagination import paginate

from yiwang.core.accounts.models import User, UserKind
from yiwang.core.accounts.selectors import enterprise_get_for_actor
from yiwang.core.errors import NotFound
from yiwang.services import selectors_applications as selectors
from yiwang.services.models import Channel
from yiwang.services.schemas_applying import (
    ApplicationCreateIn,
    ApplicationDetailOut,
    ApplicationOut,
    ApplicationSaveIn,
    MaterialFilters,
    MaterialOut,
    PersonalMaterialOut,
    ResubmitIn,
    ReuseIn,
    SubmitIn,
    WithdrawIn,
)
from yiwang.services.services import applying, applying_materials, applying_submit, my_materials

router = Router(tags=["一网通办 · 申请"])


def _applicant(request, payload: ApplicationCreateIn):
    actor = request.auth
    if payload.channel == Channel.WINDOW:
        if payload.applicant_uscc or payload.applicant_id_number:
            return selectors.applicant_find_for_window(
                id_number=payload.applicant_id_number,
                name=payload.applicant_name,
                uscc=payload.applicant_uscc,
            )
        found = User.objects.filter(
            pk=payload.applicant_id or 0, kind__in=(UserKind.CITIZEN, UserKind.ENTERPRISE), is_active=True
        ).first()
        if found is None:
            raise NotFound("申请人不存在")
        return found
    if payload.applicant_id is None or payload.applicant_id == actor.pk:
        return actor
    return enterprise_get_for_actor(actor=actor, enterprise_id=payload.applicant_id)


@router.post("/applications", response={201: ApplicationDetailOut}, summary="新建申请（草稿）")
def application_create(request, payload: ApplicationCreateIn):
    item = selectors.item_get_for_applying(item_id=payload.item_id)
    window = None
    if payload.channel == Channel.WINDOW:
        window = selectors.window_get_for_clerk(actor=request.auth, window_id=payload.window_id)
    application = applying.application_draft_create(
        actor=request.auth,
        item=item,
        applicant=_applicant(request, payload),
        channel=payload.channel,
        window=window,
    )
    return Status(201, application)


@router.get("/applications", response=list[ApplicationOut], summary="我的办件")
@paginate
def application_list(request, status: str = ""):
    return selectors.application_list_for_applicant(actor=request.auth, status=status or None)


def _get(request, application_id: int):
    return selectors.application_get_for_editing(actor=request.auth, application_id=application_id)


@router.get("/applications/{int:application_id}", response=ApplicationDetailOut, summary="办件详情与进度")
def application_detail(request, application_id: int):
    return _get(request, application_id)


@router.put("/applications/{int:application_id}", response=ApplicationDetailOut, summary="保存申请表（草稿）")
def application_save(request, application_id: int, payload: ApplicationSaveIn):
    return applying.application_draft_save(
        actor=request.auth,
        application=_get(request, application_id),
        form=payload.form,
        delivery_method=payload.delivery_method,
        delivery_address=payload.delivery_address,
        expected_version=payload.version,
    )


@router.post(
    "/applications/{int:application_id}/materials/{code}/files",
    response={201: MaterialOut},
    summary="上传申请材料（同时存入我的材料）",
)
def material_upload(request, application_id: int, code: str, file: File[UploadedFile]):
    material = applying_materials.application_material_upload(
        actor=request.auth, application=_get(request, application_id), code=code, upload=file
    )
    return Status(201, material)


@router.post(
    "/applications/{int:application_id}/materials/{code}/reuse",
    response=MaterialOut,
    summary="从我的材料中选用",
)
def material_reuse(request, application_id: int, code: str, payload: ReuseIn):
    application = _get(request, application_id)
    personal = selectors.personal_material_get(
        actor=request.auth, personal_material_id=payload.personal_material_id, principal=application.applicant
    )
    return applying_materials.application_material_reuse(
        actor=request.auth, application=application, code=code, personal_material=personal
    )


@router.post(
    "/applications/{int:application_id}/materials/{code}/promise", response=MaterialOut, summary="容缺后补"
)
def material_promise(request, application_id: int, code: str):
    return applying_materials.application_material_promise(
        actor=request.auth, application=_get(request, application_id), code=code
    )


@router.post(
    "/applications/{int:application_id}/materials/{code}/paper",
    response=MaterialOut,
    summary="窗口收取纸质件（窗口人员）",
)
def material_paper(request, application_id: int, code: str):
    return applying_materials.application_material_paper(
        actor=request.auth, application=_get(request, application_id), code=code
    )


@router.delete(
    "/applications/{int:application_id}/materials/{code}/files/{int:attachment_id}",
    response=MaterialOut,
    summary="删除已上传的材料文件",
)
def material_file_remove(request, application_id: int, code: str, attachment_id: int):
    return applying_materials.application_material_remove_file(
        actor=request.auth, application=_get(request, application_id), code=code, attachment_id=attachment_id
    )


@router.post("/applications/{int:application_id}/submit", response=ApplicationDetailOut, summary="提交申请")
def application_submit(request, application_id: int, payload: SubmitIn):
    return applying_submit.application_submit(
        actor=request.auth, application=_get(request, application_id), client_token=payload.client_token
    )


@router.post("/applications/{int:application_id}/withdraw", response=ApplicationDetailOut, summary="撤回申请")
def application_withdraw(request, application_id: int, payload: WithdrawIn):
    return applying_submit.application_withdraw(
        actor=request.auth, application=_get(request, application_id), reason=payload.reason
    )


@router.post("/applications/{int:application_id}/resubmit", response=ApplicationDetailOut, summary="补正提交")
def application_resubmit(request, application_id: int, payload: ResubmitIn):
    return applying_submit.application_resubmit(
        actor=request.auth, application=_get(request, application_id), note=payload.note
    )


@router.get("/materials", response=list[PersonalMaterialOut], summary="我的材料")
@paginate
def personal_material_list(request, filters: Query[MaterialFilters]):
    principal = None
    if filters.principal_id and filters.principal_id != request.auth.pk:
        principal = enterprise_get_for_actor(actor=request.auth, enterprise_id=filters.principal_id)
    return selectors.personal_material_list(
        actor=request.auth, code=filters.code or None, principal=principal
    )


@router.post("/materials/{int:material_id}/deactivate", response=PersonalMaterialOut, summary="停用我的材料")
def personal_material_deactivate(request, material_id: int):
    personal = selectors.personal_material_get(actor=request.auth, personal_material_id=material_id)
    return my_materials.personal_material_deactivate(actor=request.auth, personal_material=personal)
