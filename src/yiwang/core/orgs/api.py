"""The organisations API at /api/v1/orgs: divisions, departments, grids.

Reads are open to every signed-in user (public master data); writes need the
`orgs.*.manage` permissions and are audited by the services. Edits carry the `version` the
editor read, so the loser of two concurrent edits gets a 409 instead of a lost update.
"""

from ninja import File, Query, Router, Status
from ninja.files import UploadedFile
from ninja.pagination import paginate

from yiwang.core.errors import InvalidInput
from yiwang.core.orgs import imports, restructure, selectors, services
from yiwang.core.orgs.schemas import (
    DepartmentCreateIn,
    DepartmentFilters,
    DepartmentMoveIn,
    DepartmentOut,
    DepartmentReclassifyIn,
    DepartmentUpdateIn,
    DivisionCreateIn,
    DivisionFilters,
    DivisionOut,
    DivisionUpdateIn,
    GridCreateIn,
    GridFilters,
    GridOut,
    GridUpdateIn,
    ImportReportOut,
)

router = Router(tags=["orgs"])


# --- divisions -------------------------------------------------------------------------------
@router.get("/divisions", response=list[DivisionOut], summary="行政区划列表")
@paginate
def division_list(request, filters: Query[DivisionFilters]):
    return selectors.division_list(parent_code=filters.parent, level=filters.level, query=filters.q)


@router.post("/divisions", response={201: DivisionOut}, summary="新增行政区划")
def division_create(request, payload: DivisionCreateIn):
    parent = selectors.division_for_input(code=payload.parent_code, field="parent_code")
    return Status(
        201, services.division_create(actor=request.auth, code=payload.code, name=payload.name, parent=parent)
    )


@router.get("/divisions/{code}", response=DivisionOut, summary="行政区划详情")
def division_detail(request, code: str):
    return selectors.division_get(code=code)


@router.patch("/divisions/{code}", response=DivisionOut, summary="修改行政区划名称")
def division_update(request, code: str, payload: DivisionUpdateIn):
    division = selectors.division_get(code=code)
    return services.division_update(
        actor=request.auth, division=division, name=payload.name, expected_version=payload.version
    )


# --- departments -----------------------------------------------------------------------------
@router.get("/departments", response=list[DepartmentOut], summary="部门列表")
@paginate
def department_list(request, filters: Query[DepartmentFilters]):
    return selectors.department_list(
        division_code=filters.division,
        parent_id=filters.parent,
        query=filters.q,
        include_inactive=filters.include_inactive,
    )


@router.post("/departments", response={201: DepartmentOut}, summary="新增部门")
def department_create(request, payload: DepartmentCreateIn):
    division = selectors.division_for_input(code=payload.division_code, field="division_code")
    parent = selectors.department_for_input(department_id=payload.parent_id, field="parent_id")
    data = payload.model_dump(exclude={"division_code", "parent_id"})
    return Status(
        201, services.department_create(actor=request.auth, division=division, parent=parent, **data)
    )


@router.get("/departments/{department_id}", response=DepartmentOut, summary="部门详情")
def department_detail(request, department_id: int):
    return selectors.department_get(department_id=department_id)


@router.patch("/departments/{department_id}", response=DepartmentOut, summary="修改部门（带版本号）")
def department_update(request, department_id: int, payload: DepartmentUpdateIn):
    department = selectors.department_get(department_id=department_id)
    data = payload.model_dump(exclude={"version"})
    return services.department_update(
        actor=request.auth, department=department, expected_version=payload.version, **data
    )


@router.post("/departments/{department_id}/move", response=DepartmentOut, summary="调整上级部门（机构改革）")
def department_move(request, department_id: int, payload: DepartmentMoveIn):
    """Moves the department and its whole subtree; the scopes of officials follow."""
    department = selectors.department_get(department_id=department_id)
    parent = selectors.department_for_input(department_id=payload.parent_id, field="parent_id")
    return restructure.department_move(
        actor=request.auth, department=department, new_parent=parent, expected_version=payload.version
    )


@router.post(
    "/departments/{department_id}/reclassify",
    response=DepartmentOut,
    summary="更正部门类型或统一社会信用代码",
)
def department_reclassify(request, department_id: int, payload: DepartmentReclassifyIn):
    department = selectors.department_get(department_id=department_id)
    return restructure.department_reclassify(
        actor=request.auth,
        department=department,
        expected_version=payload.version,
        kind=payload.kind,
        uscc=payload.uscc,
    )


# --- grids -----------------------------------------------------------------------------------
@router.get("/grids", response=list[GridOut], summary="网格列表")
@paginate
def grid_list(request, filters: Query[GridFilters]):
    return selectors.grid_list(division_code=filters.division, department_id=filters.department)


@router.post("/grids", response={201: GridOut}, summary="新增网格")
def grid_create(request, payload: GridCreateIn):
    division = selectors.division_for_input(code=payload.division_code, field="division_code")
    department = selectors.department_for_input(department_id=payload.department_id, field="department_id")
    return Status(
        201,
        services.grid_create(
            actor=request.auth,
            code=payload.code,
            name=payload.name,
            division=division,
            department=department,
            boundary=payload.boundary,
        ),
    )


@router.get("/grids/{code}", response=GridOut, summary="网格详情（含GeoJSON边界）")
def grid_detail(request, code: str):
    return selectors.grid_get(code=code)


@router.patch("/grids/{code}", response=GridOut, summary="修改网格")
def grid_update(request, code: str, payload: GridUpdateIn):
    grid = selectors.grid_get(code=code)
    given = payload.model_dump(exclude_unset=True, exclude={"version", "department_id"})
    if "department_id" in payload.model_fields_set:
        given["department"] = selectors.department_for_input(
            department_id=payload.department_id, field="department_id"
        )
    return services.grid_update(actor=request.auth, grid=grid, expected_version=payload.version, **given)


# --- imports ---------------------------------------------------------------------------------
_TRUE, _FALSE = {"1", "true", "on", "yes"}, {"", "0", "false", "off", "no"}


def _legacy_flag(request) -> bool:
    """`allow_legacy_uscc` from the query string or the multipart form."""
    value = (request.POST.get("allow_legacy_uscc") or request.GET.get("allow_legacy_uscc") or "").lower()
    if value not in _TRUE | _FALSE:
        raise InvalidInput(fields={"allow_legacy_uscc": "allow_legacy_uscc应为true或false"})
    return value in _TRUE


@router.post("/import/divisions", response=ImportReportOut, summary="导入行政区划（CSV）")
def divisions_import(request, file: File[UploadedFile | None] = None):
    """Columns 区划代码, 名称, 上级区划代码 (or code, name, parent_code). 200 with a row-by-row
    report even when some rows failed; 422 only when the file as a whole is unreadable."""
    return imports.import_file(actor=request.auth, kind="divisions", data=file)


_LEGACY_PARAMETER = {
    "name": "allow_legacy_uscc",
    "in": "query",
    "required": False,
    "schema": {"type": "boolean", "default": False},
    "description": "保留校验位错误的历史统一社会信用代码并标记（权限 orgs.import.legacy）；也可作为表单字段提交",
}


@router.post(
    "/import/departments",
    response=ImportReportOut,
    summary="导入部门（CSV）",
    openapi_extra={"parameters": [_LEGACY_PARAMETER]},
)
def departments_import(request, file: File[UploadedFile | None] = None):
    """Columns 部门名称, 统一社会信用代码, 所属区划代码, 上级部门名称, 部门类型, 排序. With
    `allow_legacy_uscc=true` (数据管理员) a USCC failing its check digit is kept and flagged."""
    return imports.import_file(
        actor=request.auth,
        kind="departments",
        data=file,
        allow_legacy_uscc=_legacy_flag(request),
    )
