"""Writes to organisations: atomic, permission-checked, audited."""

from __future__ import annotations

from django.db import IntegrityError, transaction

from yiwang.core import codes
from yiwang.core.audit import services as audit
from yiwang.core.concurrency import save_if_version
from yiwang.core.errors import InvalidInput, PermissionDenied, invalid
from yiwang.core.orgs.models import Department, DepartmentKind, Division, Grid
from yiwang.core.orgs.permissions import can_department_manage, can_division_manage, can_grid_manage


def _code(field: str, validator, value: str) -> str:
    try:
        return validator(value)
    except codes.CodeInvalid as error:
        raise invalid(field, str(error)) from None


def _insert(instance, field: str, message: str) -> None:
    """INSERT in a savepoint: two administrators creating the same code at the same moment
    get one row and one field error, not a 500."""
    try:
        with transaction.atomic():
            instance.save(force_insert=True)
    except IntegrityError:
        raise invalid(field, message) from None


def _optional_text(field: str, label: str, value: str | None, max_length: int) -> str:
    text = (value or "").strip()
    if len(text) > max_length:
        raise invalid(field, f"{label}不能超过{max_length}个字")
    return text


def _sort_order(value) -> int:
    if not isinstance(value, int) or isinstance(value, bool) or not 0 <= value <= 32767:
        raise invalid("sort_order", "排序应为0–32767的整数")
    return value


def _required_text(field: str, label: str, value: str, max_length: int) -> str:
    text = (value or "").strip()
    if not text:
        raise invalid(field, f"{label}不能为空")
    if len(text) > max_length:
        raise invalid(field, f"{label}不能超过{max_length}个字")
    return text


@transaction.atomic
def division_create(*, actor, code: str, name: str, parent: Division | None = None) -> Division:
    if not can_division_manage(actor):
        raise PermissionDenied()
    code = _code("code", codes.validate_division_code, code)
    name = _required_text("name", "名称", name, 64)
    if parent is not None:
        try:
            codes.validate_division_child(parent.code, code)
        except codes.CodeInvalid as error:
            raise invalid("code", str(error)) from None
    elif codes.division_level(code) != codes.DivisionLevel.PROVINCE and Division.objects.exists():
        raise invalid("parent", "非省级行政区划必须指定上级区划")
    if Division.objects.filter(code=code).exists():
        raise invalid("code", f"行政区划代码 {code} 已存在")
    division = Division(code=code, name=name, level=codes.division_level(code), parent=parent)
    _insert(division, "code", f"行政区划代码 {code} 已存在")
    audit.record(
        actor=actor,
        action="orgs.division.created",
        target=division,
        changes={"code": code, "name": name, "parent": parent.code if parent else None},
    )
    return division


@transaction.atomic
def division_update(*, actor, division: Division, name: str, expected_version: int | None = None) -> Division:
    """Rename a division. The code is its identity (GB/T 2260) and never changes: a new code
    is a new division."""
    if not can_division_manage(actor):
        raise PermissionDenied()
    name = _required_text("name", "名称", name, 64)
    if name == division.name:
        return division
    changes = {"name": [division.name, name]}
    division.name = name
    save_if_version(division, expected_version=expected_version, fields=["name"])
    audit.record(actor=actor, action="orgs.division.updated", target=division, changes=changes)
    return division


def _department_path(department: Department) -> str:
    parent_path = department.parent.path if department.parent_id else "/"
    return f"{parent_path}{department.pk}/"


@transaction.atomic
def department_create(
    *,
    actor,
    name: str,
    division: Division,
    parent: Department | None = None,
    kind: str = DepartmentKind.GOVERNMENT,
    uscc: str | None = None,
    short_name: str = "",
    sort_order: int = 100,
) -> Department:
    if not can_department_manage(actor):
        raise PermissionDenied()
    if division is None:
        raise invalid("division", "请选择所属区划")
    errors: dict[str, str] = {}
    name = _required_text("name", "部门名称", name, 128)
    short_name = _optional_text("short_name", "简称", short_name, 32)
    sort_order = _sort_order(sort_order)
    if parent is not None and not parent.is_active:
        errors["parent"] = "上级部门已停用"
    if uscc:
        try:
            uscc = codes.validate_uscc(uscc)
        except codes.CodeInvalid as error:
            errors["uscc"] = str(error)
        else:
            if Department.objects.filter(uscc=uscc).exists():
                errors["uscc"] = "该统一社会信用代码已被其他部门使用"
    if kind not in DepartmentKind.values:
        errors["kind"] = "部门类型无效"
    if Department.objects.filter(division=division, name=name).exists():
        errors["name"] = "同一区划下已有同名部门"
    if errors:
        raise InvalidInput(fields=errors)
    department = Department(
        name=name,
        short_name=short_name,
        division=division,
        parent=parent,
        kind=kind,
        uscc=uscc or None,
        sort_order=sort_order,
    )
    _insert(department, "name", "同一区划下已有同名部门，或统一社会信用代码已被使用")
    department.path = _department_path(department)
    department.save(update_fields=["path"])
    audit.record(
        actor=actor,
        action="orgs.department.created",
        target=department,
        changes={"name": name, "division": division.code, "parent": parent.pk if parent else None},
    )
    return department


@transaction.atomic
def department_update(
    *,
    actor,
    department: Department,
    expected_version: int | None,
    name: str | None = None,
    short_name: str | None = None,
    is_active: bool | None = None,
    sort_order: int | None = None,
) -> Department:
    """Edit a department. `expected_version` is the version the editor read: the loser of
    two concurrent edits gets a 409 and the winner's edit stands (concurrency.save_if_version)."""
    if not can_department_manage(actor):
        raise PermissionDenied()
    changes: dict[str, list] = {}
    if name is not None:
        name = _required_text("name", "部门名称", name, 128)
        if (
            Department.objects.filter(division=department.division, name=name)
            .exclude(pk=department.pk)
            .exists()
        ):
            raise invalid("name", "同一区划下已有同名部门")
    if short_name is not None:
        short_name = _optional_text("short_name", "简称", short_name, 32)
    if sort_order is not None:
        sort_order = _sort_order(sort_order)
    for field, value in (
        ("name", name),
        ("short_name", short_name),
        ("is_active", is_active),
        ("sort_order", sort_order),
    ):
        if value is not None and getattr(department, field) != value:
            changes[field] = [getattr(department, field), value]
            setattr(department, field, value)
    if not changes:
        return department
    try:
        with transaction.atomic():
            save_if_version(department, expected_version=expected_version, fields=list(changes))
    except IntegrityError:
        raise invalid("name", "同一区划下已有同名部门") from None
    audit.record(actor=actor, action="orgs.department.updated", target=department, changes=changes)
    return department


def validate_geojson_polygon(boundary) -> dict | None:
    """A GeoJSON Polygon (RFC 7946 §3.1.6): closed linear rings of ≥4 [lon, lat] positions."""
    if boundary in (None, "", {}):
        return None
    if not isinstance(boundary, dict) or boundary.get("type") != "Polygon":
        raise invalid("boundary", "边界必须是GeoJSON Polygon")
    rings = boundary.get("coordinates")
    if not isinstance(rings, list) or not rings:
        raise invalid("boundary", "边界坐标不能为空")
    for ring in rings:
        if not isinstance(ring, list) or len(ring) < 4:
            raise invalid("boundary", "每个环至少需要4个坐标点")
        for point in ring:
            if (
                not isinstance(point, list | tuple)
                or len(point) < 2
                or not all(isinstance(v, int | float) and not isinstance(v, bool) for v in point[:2])
            ):
                raise invalid("boundary", "坐标点必须是[经度, 纬度]数字")
            lon, lat = point[0], point[1]
            if not (-180 <= lon <= 180 and -90 <= lat <= 90):
                raise invalid("boundary", "经纬度超出范围")
        if list(ring[0]) != list(ring[-1]):
            raise invalid("boundary", "边界环必须首尾闭合")
    return {"type": "Polygon", "coordinates": rings}


@transaction.atomic
def grid_create(
    *, actor, code: str, name: str, division: Division, department: Department | None = None, boundary=None
) -> Grid:
    if not can_grid_manage(actor):
        raise PermissionDenied()
    code = _code("code", codes.validate_grid_code, code)
    name = _required_text("name", "网格名称", name, 64)
    if division is None:
        raise invalid("division", "请选择所属区划")
    if not code.startswith(division.code[:6]):
        raise invalid("code", "网格编码的前6位必须是所属区划的区县代码")
    if Grid.objects.filter(code=code).exists():
        raise invalid("code", f"网格编码 {code} 已存在")
    grid = Grid(
        code=code,
        name=name,
        division=division,
        department=department,
        boundary=validate_geojson_polygon(boundary),
    )
    _insert(grid, "code", f"网格编码 {code} 已存在")
    audit.record(
        actor=actor,
        action="orgs.grid.created",
        target=grid,
        changes={"code": code, "name": name, "department": department.pk if department else None},
    )
    return grid


_UNSET = object()


@transaction.atomic
def grid_update(
    *,
    actor,
    grid: Grid,
    expected_version: int | None = None,
    name: str | None = None,
    department=_UNSET,
    boundary=_UNSET,
) -> Grid:
    """Rename a grid, change its responsible department or redraw its boundary. Pass
    `department=None` / `boundary=None` to clear them; leave them out to keep them."""
    if not can_grid_manage(actor):
        raise PermissionDenied()
    changes: dict[str, list] = {}
    fields: list[str] = []
    if name is not None:
        name = _required_text("name", "网格名称", name, 64)
        if name != grid.name:
            changes["name"] = [grid.name, name]
            grid.name = name
            fields.append("name")
    if department is not _UNSET and (department.pk if department else None) != grid.department_id:
        changes["department"] = [grid.department_id, department.pk if department else None]
        grid.department = department
        fields.append("department")
    if boundary is not _UNSET:
        boundary = validate_geojson_polygon(boundary)
        if boundary != grid.boundary:
            # The polygon itself can be large; the log says that it changed, not every vertex.
            changes["boundary"] = [grid.boundary is not None, boundary is not None]
            grid.boundary = boundary
            fields.append("boundary")
    if not fields:
        return grid
    save_if_version(grid, expected_version=expected_version, fields=fields)
    audit.record(actor=actor, action="orgs.grid.updated", target=grid, changes=changes)
    return grid
