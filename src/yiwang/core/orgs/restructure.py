"""机构改革: moving a department under another parent, and correcting its kind or USCC.

Moving rewrites the materialised `path` of the whole subtree, which is what every scope
(`accounts.rbac.Scope`) filters on: officials of the old parent lose sight of the moved
departments and officials of the new parent gain it, from their next request on.
"""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.db.models import CharField, Max, Value
from django.db.models.functions import Concat, Length, Substr

from yiwang.core import codes
from yiwang.core.audit import services as audit
from yiwang.core.concurrency import save_if_version
from yiwang.core.errors import Conflict, InvalidInput, PermissionDenied, invalid
from yiwang.core.orgs.models import Department, DepartmentKind
from yiwang.core.orgs.permissions import can_department_manage

_PATH_MAX = Department._meta.get_field("path").max_length
_STALE = "数据已被他人修改，请刷新后重试"


def _locked(*departments: Department) -> dict[int, Department]:
    """Lock the moved department and its new parent in id order and read their current paths.

    Two concurrent moves (A under B, B under A) each lock both rows, so the second waits
    for the first and then sees the cycle; the id order keeps them from deadlocking. A move
    of an ancestor meanwhile rewrites these rows' paths, so the locked read is the one used."""
    ids = sorted({d.pk for d in departments})
    rows = Department.objects.select_for_update().filter(pk__in=ids).order_by("pk")
    return {row.pk: row for row in rows}


@transaction.atomic
def department_move(
    *, actor, department: Department, new_parent: Department | None, expected_version: int | None
) -> Department:
    """Put `department` (and everything under it) under `new_parent`, or at the top level
    when `new_parent` is None. `expected_version` is the department's version the editor read."""
    if not can_department_manage(actor):
        raise PermissionDenied()
    locked = _locked(department, *([new_parent] if new_parent is not None else []))
    current = locked.get(department.pk)
    if current is None or (expected_version is not None and current.version != expected_version):
        raise Conflict(fields={"version": _STALE})
    parent = locked.get(new_parent.pk) if new_parent is not None else None
    if new_parent is not None:
        if parent is None:
            raise invalid("parent_id", "上级部门不存在")
        if parent.path.startswith(current.path):
            raise invalid("parent_id", "不能移到本部门或其下级部门之下")
        if not parent.is_active:
            raise invalid("parent_id", "上级部门已停用")
    new_parent_id = parent.pk if parent is not None else None
    if new_parent_id == current.parent_id:
        return department
    old_prefix = current.path
    new_prefix = f"{parent.path if parent is not None else '/'}{current.pk}/"
    subtree = Department.objects.filter(path__startswith=old_prefix)
    longest = subtree.aggregate(longest=Max(Length("path")))["longest"] or len(old_prefix)
    if longest - len(old_prefix) + len(new_prefix) > _PATH_MAX:
        raise invalid("parent_id", "部门层级过深，无法移到该上级部门之下")
    old_parent_id = current.parent_id
    department.parent = parent
    save_if_version(department, expected_version=current.version, fields=["parent"])
    # One UPDATE for the whole subtree: the old prefix is replaced by the new one. Concat and
    # Substr compile to `||`/CONCAT and SUBSTR on both SQLite and PostgreSQL.
    moved = subtree.update(
        path=Concat(Value(new_prefix), Substr("path", len(old_prefix) + 1), output_field=CharField())
    )
    department.path = new_prefix
    audit.record(
        actor=actor,
        action="orgs.department.moved",
        target=department,
        changes={
            "parent": [old_parent_id, new_parent_id],
            "path": [old_prefix, new_prefix],
            "departments": moved,
        },
    )
    return department


def _checked_uscc(department: Department, uscc: str) -> str | None:
    """An empty string clears the code; anything else must pass GB 32100 and be unused."""
    uscc = uscc.strip()
    if not uscc:
        return None
    try:
        uscc = codes.validate_uscc(uscc)
    except codes.CodeInvalid as error:
        raise invalid("uscc", str(error)) from None
    if Department.objects.filter(uscc=uscc).exclude(pk=department.pk).exists():
        raise invalid("uscc", "该统一社会信用代码已被其他部门使用")
    return uscc


@transaction.atomic
def department_reclassify(
    *,
    actor,
    department: Department,
    expected_version: int | None,
    kind: str | None = None,
    uscc: str | None = None,
) -> Department:
    """Correct a department's kind and/or USCC. None leaves a value as it is; `uscc=""`
    removes the code. A corrected code also clears a legacy-import warning about the old one."""
    if not can_department_manage(actor):
        raise PermissionDenied()
    errors: dict[str, str] = {}
    if kind is not None and kind not in DepartmentKind.values:
        errors["kind"] = "部门类型无效"
    new_uscc = department.uscc
    if uscc is not None:
        try:
            new_uscc = _checked_uscc(department, uscc)
        except InvalidInput as error:
            errors.update(error.fields)
    if errors:
        raise InvalidInput(fields=errors)
    changes: dict[str, list] = {}
    kind = str(kind) if kind is not None else None  # a DepartmentKind member from the API
    if kind is not None and kind != department.kind:
        changes["kind"] = [department.kind, kind]
        department.kind = kind
    if new_uscc != department.uscc:
        changes["uscc"] = [department.uscc, new_uscc]
        department.uscc = new_uscc
        if department.uscc_flagged:
            changes["uscc_flagged"] = [department.uscc_flagged, ""]
            department.uscc_flagged = ""
    if not changes:
        return department
    try:
        with transaction.atomic():
            save_if_version(department, expected_version=expected_version, fields=list(changes))
    except IntegrityError:
        # Two administrators giving the same code at the same moment: one field error, no 500.
        raise invalid("uscc", "该统一社会信用代码已被其他部门使用") from None
    audit.record(actor=actor, action="orgs.department.reclassified", target=department, changes=changes)
    return department
