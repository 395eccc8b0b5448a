"""/api/v1/services — 目录: the public catalogue (published items and their 办事指南), the
officials' drafting and review of items and versions, and the service windows.

Public reads need no sign-in (auth=None). Officials' reads are scoped: an item outside the
caller's reach is a 404. Writes go through services/catalogue*.py, whose per-field reasons
come back in the error envelope's `fields`.
"""

from django.urls import reverse
from ninja import Query, Router, Status
from ninja.pagination import paginate

from yiwang.core.orgs.selectors import department_for_input
from yiwang.services import selectors_catalogue as catalogue
from yiwang.services.models import ServiceItemVersion
from yiwang.services.schemas_catalogue import (
    GuideOut,
    ItemCreateIn,
    ItemFilters,
    ItemOut,
    MaterialsIn,
    OpinionIn,
    ReasonIn,
    SubmitIn,
    VersionOut,
    VersionSummaryOut,
    VersionUpdateIn,
    WindowIn,
    WindowOut,
)
from yiwang.services.services import catalogue as services
from yiwang.services.views_catalogue_public import apply_url

router = Router(tags=["一网通办 · 目录"])


def _office_version(request, item_id: int, number: int):
    return catalogue.version_get_for_office(actor=request.auth, item_id=item_id, number=number)


def _reloaded(version):
    """The version as stored after a write, with what VersionOut reads."""
    return (
        ServiceItemVersion.objects.select_related("item")
        .prefetch_related("joint_departments", "materials")
        .get(pk=version.pk)
    )


# --- public ----------------------------------------------------------------------------------------
@router.get("/items", auth=None, response=list[ItemOut], summary="已发布的政务服务事项（公开）")
@paginate
def item_list(request, filters: Query[ItemFilters]):
    return catalogue.items_published(
        department_id=filters.department_id,
        subject=filters.subject or "",
        life_event=filters.life_event or "",
        theme=filters.theme or "",
    )


@router.get("/items/{int:item_id}", auth=None, response=GuideOut, summary="办事指南（公开，现行版本）")
def item_guide(request, item_id: int):
    item = catalogue.item_get_published(item_id)
    version = catalogue.version_get_public(item.pk, item.published_version.number)
    guide = catalogue.guide_of(version)
    for material in guide["materials"]:
        for kind in ("template", "sample"):
            url = None
            if getattr(material, f"{kind}_id"):
                url = reverse("services:guide_file", args=[item.pk, version.number, material.pk, kind])
            setattr(material, f"{kind}_url", url)
    return {
        **guide,
        "item": item,
        "acceptance_department_name": guide["acceptance_department"].name,
        "joint_department_names": [d.name for d in guide["joint_departments"]],
        "apply_url": apply_url(item, guide),
    }


# --- officials: items and versions --------------------------------------------------------------
@router.get(
    "/items/{int:item_id}/versions",
    response=list[VersionSummaryOut],
    summary="事项的全部版本（编制与审核人员）",
)
def version_list(request, item_id: int):
    item = catalogue.item_get_for_office(actor=request.auth, item_id=item_id)
    return list(catalogue.item_versions(item=item))


@router.get(
    "/items/{int:item_id}/versions/{int:number}",
    response=VersionOut,
    summary="事项的一个版本（编制与审核人员）",
)
def version_detail(request, item_id: int, number: int):
    return _reloaded(_office_version(request, item_id, number))


@router.post("/items", response={201: VersionOut}, summary="新建事项（第1版草稿）")
def item_create(request, payload: ItemCreateIn):
    department = department_for_input(department_id=payload.department_id, field="department_id")
    item = services.item_create(
        actor=request.auth, department=department, base_code=payload.base_code, content=payload.content
    )
    return Status(201, _reloaded(item.versions.get(number=1)))


@router.put(
    "/items/{int:item_id}/versions/{int:number}", response=VersionOut, summary="修改草稿或已退回的版本"
)
def version_update(request, item_id: int, number: int, payload: VersionUpdateIn):
    version = _office_version(request, item_id, number)
    services.version_update(
        actor=request.auth,
        version=version,
        content=payload.content,
        expected_version=payload.expected_version,
    )
    return _reloaded(version)


@router.put(
    "/items/{int:item_id}/versions/{int:number}/materials", response=VersionOut, summary="整体替换申请材料"
)
def version_materials(request, item_id: int, number: int, payload: MaterialsIn):
    version = _office_version(request, item_id, number)
    services.version_set_materials(
        actor=request.auth,
        version=version,
        materials=payload.materials,
        expected_version=payload.expected_version,
    )
    return _reloaded(version)


@router.post("/items/{int:item_id}/versions/{int:number}/submit", response=VersionOut, summary="提交审核")
def version_submit(request, item_id: int, number: int, payload: SubmitIn):
    version = _office_version(request, item_id, number)
    services.version_submit(actor=request.auth, version=version, expected_version=payload.expected_version)
    return _reloaded(version)


@router.post(
    "/items/{int:item_id}/versions/{int:number}/publish", response=VersionOut, summary="审核通过并发布"
)
def version_publish(request, item_id: int, number: int, payload: OpinionIn):
    version = _office_version(request, item_id, number)
    services.version_publish(actor=request.auth, version=version, opinion=payload.opinion)
    return _reloaded(version)


@router.post("/items/{int:item_id}/versions/{int:number}/return", response=VersionOut, summary="退回修改")
def version_return(request, item_id: int, number: int, payload: OpinionIn):
    version = _office_version(request, item_id, number)
    services.version_return(actor=request.auth, version=version, opinion=payload.opinion)
    return _reloaded(version)


@router.post("/items/{int:item_id}/drafts", response={201: VersionOut}, summary="从现行版本新建修订草稿")
def draft_new(request, item_id: int):
    item = catalogue.item_get_for_office(actor=request.auth, item_id=item_id)
    return Status(201, _reloaded(services.version_draft_new(actor=request.auth, item=item)))


@router.post("/items/{int:item_id}/unpublish", response=ItemOut, summary="下线事项")
def item_unpublish(request, item_id: int, payload: ReasonIn):
    item = catalogue.item_get_for_office(actor=request.auth, item_id=item_id)
    return services.item_unpublish(actor=request.auth, item=item, reason=payload.reason)


@router.post("/items/{int:item_id}/restore", response=ItemOut, summary="恢复发布")
def item_restore(request, item_id: int):
    item = catalogue.item_get_for_office(actor=request.auth, item_id=item_id)
    return services.item_restore(actor=request.auth, item=item)


# --- windows -------------------------------------------------------------------------------------
@router.get("/windows", response=list[WindowOut], summary="服务窗口")
@paginate
def window_list(request):
    return catalogue.windows_for_office(actor=request.auth)


@router.post("/windows", response={201: WindowOut}, summary="新增服务窗口")
def window_create(request, payload: WindowIn):
    department = department_for_input(department_id=payload.department_id, field="department_id")
    window = services.window_create(
        actor=request.auth, department=department, code=payload.code, name=payload.name
    )
    return Status(201, window)


@router.post("/windows/{int:window_id}/deactivate", response=WindowOut, summary="停用服务窗口")
def window_deactivate(request, window_id: int):
    window = catalogue.window_get_for_office(actor=request.auth, window_id=window_id)
    return services.window_deactivate(actor=request.auth, window=window)
