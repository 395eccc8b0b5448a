"""一网通办 demo data (`yiwang demo`): the halls' service windows and the demo catalogue of
demo_catalogue/ (about twenty items of eleven departments), each drafted, submitted and
published through the catalogue services, so every item has a published version 1, its
materials, its form and an audit trail like any other.

Called by `core.demo.loader.load_extensions` with the demo administrator (`sysadmin`) as actor,
after the licence demo (INSTALLED_APPS order), whose licence types the items' results and
免提交 materials name. Who does what follows services/permissions.py: the department's 部门管理员
drafts where the demo city has one (`deptadmin`, 市场监管局), otherwise the administrator; the
政务服务管理员 (`servicemgr`) publishes, otherwise the administrator, whose city-wide post holds
every permission. Idempotent: a window is found by its hall and code, an item by its department
and 基本编码; what exists is left alone. A service refusing a step stops the demo with a
DemoConflict naming the item and every field it refused. Applications follow, in
demo_applications.py.
"""

from __future__ import annotations

from contextlib import contextmanager
from datetime import timedelta

from django.utils import timezone

from yiwang.core.accounts.models import User
from yiwang.core.demo import city
from yiwang.core.demo.loader import DemoConflict
from yiwang.core.errors import DomainError
from yiwang.core.orgs.models import Department
from yiwang.services.demo_catalogue import ITEMS, WINDOWS, license_type_code
from yiwang.services.models import ServiceItem, ServiceWindow
from yiwang.services.permissions import can_item_manage, can_item_publish
from yiwang.services.services import catalogue


@contextmanager
def _step(what: str):
    try:
        yield
    except DomainError as error:
        details = "；".join(f"{name}：{reason}" for name, reason in error.fields.items())
        raise DemoConflict(
            f"一网通办示范数据未载入：{what}失败：{error.message}" + (f"（{details}）" if details else "")
        ) from None


def _departments() -> dict[str, Department]:
    names = {spec["department"] for spec in ITEMS} | {spec["department"] for spec in WINDOWS}
    for spec in ITEMS:
        content = spec["content"]
        names |= {content["acceptance_department"]} - {None} | set(content["joint_departments"])
    divisions = {d["name"]: d["division"] for d in city.DEPARTMENTS}
    found = {}
    for name in names:
        department = Department.objects.filter(name=name, division__code=divisions.get(name, "")).first()
        if department is None:
            raise DemoConflict(f"一网通办示范数据未载入：示范市缺少部门 {name}")
        found[name] = department
    return found


def _user(username: str, fallback: User, allowed) -> User:
    user = User.objects.filter(username=username, is_active=True).first()
    return user if user is not None and allowed(user) else fallback


def _content(spec: dict, departments: dict[str, Department]) -> dict:
    """The data's names resolved to what the services take (ids and licence type codes)."""
    content = dict(spec["content"])
    acceptance = content.get("acceptance_department")
    content["acceptance_department"] = departments[acceptance].pk if acceptance else None
    content["joint_departments"] = [departments[name].pk for name in content.get("joint_departments", [])]
    if content.get("result_license_type"):
        content["result_license_type"] = license_type_code(content["result_license_type"])
    return content


def _materials(spec: dict) -> list[dict]:
    return [
        {
            **material,
            "license_type": license_type_code(material["license_type"]) if material["license_type"] else "",
        }
        for material in spec["materials"]
    ]


def _load_windows(actor, departments) -> int:
    created = 0
    for spec in WINDOWS:
        department = departments[spec["department"]]
        if ServiceWindow.objects.filter(department=department, code=spec["code"]).exists():
            continue
        with _step(f"新增窗口“{spec['name']}”"):
            catalogue.window_create(actor=actor, department=department, code=spec["code"], name=spec["name"])
        created += 1
    return created


def _publish_item(spec: dict, departments, *, actor: User, drafter: User, publisher: User) -> ServiceItem:
    department = departments[spec["department"]]
    author = drafter if can_item_manage(drafter, department) else actor
    content = _content(spec, departments)
    name = content["name"]
    with _step(f"编制事项“{name}”"):
        item = catalogue.item_create(
            actor=author,
            department=department,
            base_code=spec["base_code"],
            content={"name": name, "item_type": content["item_type"]},
        )
        version = item.versions.get(number=1)
        version = catalogue.version_update(
            actor=author, version=version, content=content, expected_version=version.edit_version
        )
        catalogue.version_set_materials(
            actor=author, version=version, materials=_materials(spec), expected_version=version.edit_version
        )
        version.refresh_from_db()
        catalogue.version_submit(actor=author, version=version, expected_version=version.edit_version)
    with _step(f"发布事项“{name}”"):
        catalogue.version_publish(actor=publisher, version=version, opinion="示范数据：审核通过")
    return item


CATALOGUE_AGE_DAYS = 60


def load(*, actor) -> list | None:
    departments = _departments()
    publisher = _user("servicemgr", actor, can_item_publish)
    drafter = _user("deptadmin", actor, lambda user: True)
    _load_windows(publisher, departments)
    existing = set(ServiceItem.objects.values_list("department_id", "base_code"))
    from yiwang.services.demo_clock import clock_at

    # Published two months ago, before the demo applications were made under these versions.
    with clock_at(timezone.now() - timedelta(days=CATALOGUE_AGE_DAYS)):
        for spec in ITEMS:
            if (departments[spec["department"]].pk, spec["base_code"]) in existing:
                continue
            _publish_item(spec, departments, actor=actor, drafter=drafter, publisher=publisher)
    # The staff, the bundles and the applications lived through (demo_applications.py).
    from yiwang.services.demo_applications import load as load_applications

    return load_applications(actor=actor)
