"""Writes to organisations: atomic, permission-checked, audited."""

from __future__ import annotations

from django.db import transaction

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
    division.full_clean()
    division.save()
    audit.record(actor=actor, action="orgs.division.created", target=division, changes={"code": code, "name": name})
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
    errors: dict[str, str] = {}
    name = _required_text("name", "部门名称", name, 128)
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
    department.save()
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
    *, actor, department: Department, expected_version: int, name: str | None = None,
    short_name: str | None = None, is_active: bool | None = None, sort_order: int | None = None,
) -> Department:
    if not can_department_manage(actor):
        raise PermissionDenied()
    changes: dict[str, list] = {}
    if name is not None:
        name = _required_text("name", "部门名称", name, 128)
        if Department.objects.filter(division=department.division, name=name).exclude(pk=department.pk).exists():
            raise invalid("name", "同一区划下已有同名部门")
    for field, value in (("name", name), ("short_name", short_name), ("is_active", is_active), ("sort_order", sort_order)):
        if value is not None and getattr(department, field) != value:
            changes[field] = [getattr(department, field), value]
            setattr(department, field, value)
    if not changes:
        return department
    save_if_version(department, expected_version=expected_version, fields=list(changes))
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
    if not code.startswith(division.code[:6]):
        raise invalid("code", "网格编码的前6位必须是所属区划的区县代码")
    if Grid.objects.filter(code=code).exists():
        raise invalid("code", f"网格编码 {code} 已存在")
    grid = Grid(code=code, name=name, division=division, department=department,
                boundary=validate_geojson_polygon(boundary))
    grid.save()
    audit.record(actor=actor, action="orgs.grid.created", target=grid, changes={"code": code, "name": name})
    return grid
