"""/api/v1/services — 一件事 (issue 5 §5): the public bundles with their merged form and
materials, their management (政务服务管理员), and the applicant's bundle applications: one draft,
one merged form, one upload per material, one submission, one combined status.

Another person's bundle application is a 404 here as on the pages."""

from ninja import File, Query, Router, Schema, Status, UploadedFile
from ninja.pagination import paginate

from yiwang.core.orgs.selectors import department_for_input
from yiwang.services import selectors_bundles as selectors
from yiwang.services.schemas_bundles import (
    BundleApplicationCreateIn,
    BundleApplicationOut,
    BundleApplicationRowOut,
    BundleApplicationSaveIn,
    BundleDeliverIn,
    BundleDetailOut,
    BundleIn,
    BundleOut,
    BundleReuseIn,
    BundleSubmitIn,
    BundleUpdateIn,
    BundleWithdrawIn,
    bundle_application_out,
    bundle_detail,
)
from yiwang.services.selectors_applications import personal_material_get
from yiwang.services.services import bundle_applying, bundle_progress, bundle_submitting, bundles

router = Router(tags=["一网通办 · 一件事"])


class BundleFilters(Schema):
    life_event: str = ""
    subject: str = ""


# --- public --------------------------------------------------------------------------------
@router.get("/bundles", auth=None, response=list[BundleOut], summary="一件事列表（公开，已发布）")
@paginate
def bundle_list(request, filters: Query[BundleFilters]):
    return selectors.bundles_published(life_event=filters.life_event[:32], subject=filters.subject[:16])


@router.get(
    "/bundles/{code}", auth=None, response=BundleDetailOut, summary="一件事办事指南：事项、合并申请表与材料"
)
def bundle_get(request, code: str):
    return bundle_detail(selectors.bundle_get_published(code=code[:64]))


# --- management ----------------------------------------------------------------------------
@router.post("/bundles", response={201: BundleDetailOut}, summary="新建一件事（政务服务管理员）")
def bundle_create(request, payload: BundleIn):
    bundle = bundles.bundle_create(
        actor=request.auth,
        code=payload.code,
        name=payload.name,
        life_event=payload.life_event,
        subject=payload.subject,
        lead_department=department_for_input(
            department_id=payload.lead_department_id, field="lead_department_id"
        ),
        description=payload.description,
        keywords=payload.keywords,
        item_ids=payload.item_ids,
    )
    return Status(201, bundle_detail(selectors.bundle_get_for_manager(actor=request.auth, code=bundle.code)))


def _managed(request, code: str):
    return selectors.bundle_get_for_manager(actor=request.auth, code=code[:64])


@router.put("/bundles/{code}", response=BundleDetailOut, summary="修改一件事（政务服务管理员）")
def bundle_update(request, code: str, payload: BundleUpdateIn):
    changes = payload.model_dump(exclude_unset=True, exclude={"version", "lead_department_id"})
    if "lead_department_id" in payload.model_fields_set:
        changes["lead_department"] = department_for_input(
            department_id=payload.lead_department_id, field="lead_department_id"
        )
    bundle = bundles.bundle_update(
        actor=request.auth, bundle=_managed(request, code), expected_version=payload.version, **changes
    )
    return bundle_detail(_managed(request, bundle.code))


@router.post("/bundles/{code}/publish", response=BundleDetailOut, summary="发布一件事")
def bundle_publish(request, code: str):
    bundles.bundle_publish(actor=request.auth, bundle=_managed(request, code))
    return bundle_detail(_managed(request, code))


@router.post("/bundles/{code}/unpublish", response=BundleDetailOut, summary="下线一件事")
def bundle_unpublish(request, code: str):
    bundles.bundle_unpublish(actor=request.auth, bundle=_managed(request, code))
    return bundle_detail(_managed(request, code))


# --- applying ------------------------------------------------------------------------------
def _mine(request, bundle_application_id: int):
    return selectors.bundle_application_get(actor=request.auth, bundle_application_id=bundle_application_id)


def _out(request, bundle_application) -> dict:
    return bundle_application_out(_mine(request, bundle_application.pk))


@router.post("/bundle-applications", response={201: BundleApplicationOut}, summary="一次申请：新建一件事草稿")
def bundle_application_create(request, payload: BundleApplicationCreateIn):
    bundle = selectors.bundle_get_published(code=payload.bundle_code)
    applicant = selectors.bundle_principal_get(
        actor=request.auth, bundle=bundle, applicant_id=payload.applicant_id
    )
    created = bundle_applying.bundle_application_create(
        actor=request.auth, bundle=bundle, applicant=applicant
    )
    return Status(201, _out(request, created))


@router.get("/bundle-applications", response=list[BundleApplicationRowOut], summary="我的一件事")
@paginate
def bundle_application_list(request):
    return selectors.bundle_applications_for_applicant(actor=request.auth)


@router.get(
    "/bundle-applications/{int:bundle_application_id}",
    response=BundleApplicationOut,
    summary="一件事申请：合并申请表、材料与统一状态",
)
def bundle_application_get(request, bundle_application_id: int):
    return bundle_application_out(_mine(request, bundle_application_id))


@router.put(
    "/bundle-applications/{int:bundle_application_id}",
    response=BundleApplicationOut,
    summary="保存合并申请表",
)
def bundle_application_save(request, bundle_application_id: int, payload: BundleApplicationSaveIn):
    saved = bundle_applying.bundle_application_save(
        actor=request.auth,
        bundle_application=_mine(request, bundle_application_id),
        form=payload.form,
        delivery_method=payload.delivery_method,
        delivery_address=payload.delivery_address,
        expected_version=payload.version,
    )
    return _out(request, saved)


@router.post(
    "/bundle-applications/{int:bundle_application_id}/materials/{code}/files",
    response={201: BundleApplicationOut},
    summary="上传材料：一次上传，所有需要该材料的事项共用",
)
def bundle_material_upload(request, bundle_application_id: int, code: str, file: File[UploadedFile]):
    bundle_application = _mine(request, bundle_application_id)
    bundle_applying.bundle_material_upload(
        actor=request.auth, bundle_application=bundle_application, code=code, upload=file
    )
    return Status(201, _out(request, bundle_application))


@router.post(
    "/bundle-applications/{int:bundle_application_id}/materials/{code}/reuse",
    response=BundleApplicationOut,
    summary="从我的材料中选用（所有需要该材料的事项）",
)
def bundle_material_reuse(request, bundle_application_id: int, code: str, payload: BundleReuseIn):
    bundle_application = _mine(request, bundle_application_id)
    personal = personal_material_get(
        actor=request.auth,
        personal_material_id=payload.personal_material_id,
        principal=bundle_application.applicant,
    )
    bundle_applying.bundle_material_reuse(
        actor=request.auth, bundle_application=bundle_application, code=code, personal_material=personal
    )
    return _out(request, bundle_application)


@router.post(
    "/bundle-applications/{int:bundle_application_id}/submit",
    response=BundleApplicationOut,
    summary="一次提交：分送各部门并行办理",
)
def bundle_application_submit(request, bundle_application_id: int, payload: BundleSubmitIn):
    submitted = bundle_submitting.bundle_application_submit(
        actor=request.auth,
        bundle_application=_mine(request, bundle_application_id),
        client_token=payload.client_token,
    )
    return _out(request, submitted)


@router.post(
    "/bundle-applications/{int:bundle_application_id}/withdraw",
    response=BundleApplicationOut,
    summary="撤回一件事（撤回尚未办结的全部事项）",
)
def bundle_application_withdraw(request, bundle_application_id: int, payload: BundleWithdrawIn):
    withdrawn = bundle_submitting.bundle_application_withdraw(
        actor=request.auth, bundle_application=_mine(request, bundle_application_id), reason=payload.reason
    )
    return _out(request, withdrawn)


@router.post(
    "/bundle-applications/{int:bundle_application_id}/deliver",
    response={204: None},
    summary="统一送达（牵头部门窗口，邮寄或窗口领取时）",
)
def bundle_application_deliver(request, bundle_application_id: int, payload: BundleDeliverIn):
    bundle_application = selectors.bundle_application_get_for_delivery(
        actor=request.auth, bundle_application_id=bundle_application_id
    )
    bundle_progress.bundle_deliver(
        actor=request.auth, bundle_application=bundle_application, note=payload.note
    )
    return Status(204, None)
