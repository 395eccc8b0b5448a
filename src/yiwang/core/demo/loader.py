"""Loads 示范市 (`city`) through the services, idempotently: what exists is left alone.

The one bootstrap step: services need an actor with permissions, and on an empty database
nobody has any. So the first administrator (`city.OFFICIALS[0]`) is written directly,
together with the divisions and the department that administrator's post needs, and one
audit record `core.demo.bootstrap` (actor none) says so. Every later write is made by that
administrator through the services (`division_create`, `department_create`, `grid_create`,
`official_create`, `post_grant`, `citizen_register`, `enterprise_register`), so each is
validated, permission-checked and audited like any other.

Extension point for later pillars: an installed app `yiwang.<pillar>` may ship a module (or
package) `yiwang.<pillar>.demo` with `load(*, actor) -> Iterable[Login] | None`. It is called
after the kernel's data, in the same transaction, with the demo administrator as actor; it
must be idempotent too (look up before creating) and write through its own services. Logins
it returns are added to the table `yiwang demo` prints.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass

from django.apps import apps as django_apps
from django.contrib.auth.hashers import make_password
from django.db import transaction

from yiwang.core import codes
from yiwang.core.accounts.models import EnterpriseAgent, Post, Role, User, UserKind
from yiwang.core.accounts.rbac import BUILTIN_ROLES, forget_grants
from yiwang.core.accounts.services.users import (
    citizen_register,
    enterprise_register,
    official_create,
    post_grant,
)
from yiwang.core.audit import services as audit
from yiwang.core.demo import city
from yiwang.core.orgs.models import Department, Division, Grid
from yiwang.core.orgs.services import department_create, division_create, grid_create

_ROLE_NAMES = {code: name for code, name, _ in BUILTIN_ROLES}


@dataclass(frozen=True)
class Login:
    username: str
    role: str
    department: str
    scope: str = ""  # what the account sees: 全市, 本部门及下级, 本人, 本企业


@dataclass
class DemoResult:
    logins: list[Login]
    created: int  # objects created by this run; 0 on a second run


@transaction.atomic
def load_demo() -> DemoResult:
    """Everything or nothing: a failure part-way leaves the database as it was."""
    counter = _Counter()
    actor = _bootstrap(counter)
    divisions = _load_divisions(actor, counter)
    departments = _load_departments(actor, divisions, counter)
    _load_grids(actor, divisions, departments, counter)
    logins = _load_officials(actor, departments, counter)
    logins += _load_public_users(counter)
    logins += load_extensions(actor=actor)
    return DemoResult(logins=logins, created=counter.created)


class DemoConflict(Exception):
    """The database holds something under a demo name that is not the demo's."""


@dataclass
class _Counter:
    created: int = 0

    def add(self) -> None:
        self.created += 1


def _bootstrap(counter: _Counter) -> User:
    spec = city.OFFICIALS[0]
    existing = User.objects.filter(username=spec["username"]).first()
    if existing is not None:
        if not Post.objects.filter(user=existing, role__code=spec["role"], city_wide=True).exists():
            raise DemoConflict(
                f"用户 {spec['username']} 已存在但不是全市范围的系统管理员，请使用空数据库加载示范数据"
            )
        return existing
    province, _ = Division.objects.get_or_create(
        code=city.PROVINCE["code"],
        defaults={"name": city.PROVINCE["name"], "level": codes.division_level(city.PROVINCE["code"])},
    )
    city_division, _ = Division.objects.get_or_create(
        code=city.CITY["code"],
        defaults={"name": city.CITY["name"], "level": codes.DivisionLevel.CITY, "parent": province},
    )
    department_spec = next(d for d in city.DEPARTMENTS if d["name"] == spec["department"])
    department = Department.objects.filter(division=city_division, name=department_spec["name"]).first()
    if department is None:
        department = Department.objects.create(
            name=department_spec["name"],
            short_name=department_spec["short_name"],
            division=city_division,
            kind=department_spec["kind"],
            uscc=department_spec["uscc"],
            sort_order=department_spec["sort_order"],
        )
        department.path = f"/{department.pk}/"
        department.save(update_fields=["path"])
    admin = User.objects.create(
        username=spec["username"],
        kind=UserKind.OFFICIAL,
        display_name=spec["display_name"],
        password=make_password(city.DEMO_PASSWORD),
    )
    Post.objects.create(
        user=admin, department=department, role=Role.objects.get(code=spec["role"]), city_wide=True
    )
    forget_grants(admin)
    audit.record(
        actor=None,
        action="core.demo.bootstrap",
        target=admin,
        changes={
            "divisions": [province.code, city_division.code],
            "department": department.name,
            "role": spec["role"],
        },
    )
    counter.add()
    return admin


def _load_divisions(actor: User, counter: _Counter) -> dict[str, Division]:
    divisions = {d.code: d for d in Division.objects.filter(code__startswith=city.CITY["code"][:4])}
    divisions.setdefault(city.PROVINCE["code"], Division.objects.get(code=city.PROVINCE["code"]))

    def ensure(code: str, name: str, parent_code: str) -> None:
        if code not in divisions:
            divisions[code] = division_create(
                actor=actor, code=code, name=name, parent=divisions[parent_code]
            )
            counter.add()

    ensure(city.CITY["code"], city.CITY["name"], city.PROVINCE["code"])
    for district in city.DISTRICTS:
        ensure(district["code"], district["name"], city.CITY["code"])
        for township in district["townships"]:
            ensure(township["code"], township["name"], district["code"])
            for code, name in township["villages"]:
                ensure(code, name, township["code"])
    return divisions


def _load_departments(
    actor: User, divisions: dict[str, Division], counter: _Counter
) -> dict[str, Department]:
    departments: dict[str, Department] = {}
    for spec in city.DEPARTMENTS:
        division = divisions[spec["division"]]
        department = Department.objects.filter(division=division, name=spec["name"]).first()
        if department is None:
            department = department_create(
                actor=actor,
                name=spec["name"],
                short_name=spec["short_name"],
                division=division,
                parent=departments[spec["parent"]] if spec["parent"] else None,
                kind=spec["kind"],
                uscc=spec["uscc"],
                sort_order=spec["sort_order"],
            )
            counter.add()
        departments[spec["name"]] = department
    return departments


def _load_grids(actor: User, divisions, departments, counter: _Counter) -> None:
    existing = set(
        Grid.objects.filter(code__in=[g["code"] for g in city.GRIDS]).values_list("code", flat=True)
    )
    for spec in city.GRIDS:
        if spec["code"] in existing:
            continue
        grid_create(
            actor=actor,
            code=spec["code"],
            name=spec["name"],
            division=divisions[spec["division"]],
            department=departments[spec["department"]],
            boundary=spec["boundary"],
        )
        counter.add()


def _load_officials(actor: User, departments: dict[str, Department], counter: _Counter) -> list[Login]:
    roles = {role.code: role for role in Role.objects.all()}
    logins = []
    for spec in city.OFFICIALS:
        department, role = departments[spec["department"]], roles[spec["role"]]
        user = User.objects.filter(username=spec["username"]).first()
        if user is None:
            user = official_create(
                actor=actor,
                username=spec["username"],
                password=city.DEMO_PASSWORD,
                display_name=spec["display_name"],
                department=department,
                role=role,
                city_wide=spec["city_wide"],
            )
            counter.add()
        elif not Post.objects.filter(user=user, department=department, role=role).exists():
            post_grant(actor=actor, user=user, department=department, role=role, city_wide=spec["city_wide"])
            counter.add()
        scope = "全市" if spec["city_wide"] else "本部门及下级"
        logins.append(Login(spec["username"], _ROLE_NAMES[spec["role"]], department.name, scope))
    return logins


def _load_public_users(counter: _Counter) -> list[Login]:
    spec = city.CITIZEN
    citizen = User.objects.filter(username=spec["username"]).first()
    if citizen is None:
        citizen = citizen_register(
            username=spec["username"],
            password=city.DEMO_PASSWORD,
            display_name=spec["display_name"],
            id_number=spec["id_number"],
            phone=spec["phone"],
            email=spec["email"],
        )
        counter.add()
    spec = city.ENTERPRISE
    enterprise = User.objects.filter(username=spec["username"]).first()
    if enterprise is None:
        # The citizen registers the enterprise and so becomes its first 经办人 (agent).
        enterprise_register(
            agent=citizen,
            username=spec["username"],
            password=city.DEMO_PASSWORD,
            name=spec["name"],
            uscc=spec["uscc"],
            legal_representative=spec["legal_representative"],
            phone=spec["phone"],
        )
        counter.add()
    elif not EnterpriseAgent.objects.filter(enterprise=enterprise, agent=citizen).exists():
        raise DemoConflict(f"用户 {spec['username']} 已存在但不是示范企业，请使用空数据库加载示范数据")
    return [
        Login(city.CITIZEN["username"], "个人用户（群众）", "—", "本人"),
        Login(city.ENTERPRISE["username"], "企业（法人）", "—", "本企业"),
    ]


def load_extensions(*, actor: User) -> list[Login]:
    """Calls `load(actor=...)` of every installed `yiwang.*` app's `demo` module, in
    INSTALLED_APPS order. The kernel's own data (this package) is loaded above."""
    logins: list[Login] = []
    for config in django_apps.get_app_configs():
        if not config.name.startswith("yiwang.") or config.name == "yiwang.core":
            continue
        module_name = f"{config.name}.demo"
        try:
            module = importlib.import_module(module_name)
        except ModuleNotFoundError as error:
            if error.name != module_name:
                raise  # the module exists but is broken: say so, do not skip it
            continue
        logins.extend(module.load(actor=actor) or ())
    return logins
