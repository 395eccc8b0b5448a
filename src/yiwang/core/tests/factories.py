"""Factories for the kernel's objects. Codes are generated valid (check digits computed)."""

from __future__ import annotations

import itertools
from datetime import date

from django.contrib.auth.hashers import make_password

from yiwang.core import codes
from yiwang.core.accounts.models import Post, Role, User, UserKind
from yiwang.core.accounts.rbac import forget_grants
from yiwang.core.accounts.services.users import set_id_number, set_phone
from yiwang.core.orgs.models import Department, DepartmentKind, Division, DivisionLevel

PASSWORD = "Yiwang@2026"
_counter = itertools.count(1)
_hashed: dict[str, str] = {}


def hashed_password(password: str = PASSWORD) -> str:
    # Hash once per run: argon2 is deliberately slow, and factories make many users.
    if password not in _hashed:
        _hashed[password] = make_password(password)
    return _hashed[password]


def make_id_number(
    *, division: str = "110105", born: date = date(1990, 1, 1), sequence: int | None = None
) -> str:
    sequence = next(_counter) % 1000 if sequence is None else sequence
    body = f"{division}{born:%Y%m%d}{sequence:03d}"
    return body + codes.id_number_check_char(body)


def make_uscc(
    *, registrar: str = "9", kind: str = "1", division: str = "110105", serial: int | None = None
) -> str:
    serial = next(_counter) if serial is None else serial
    org_body = f"M{serial:07d}"[-8:]
    org = org_body + codes.org_code_check_char(org_body)
    body = f"{registrar}{kind}{division}{org}"
    return body + codes.uscc_check_char(body)


def make_mobile() -> str:
    return f"139{next(_counter):08d}"


def create_division(code: str = "110000", name: str = "示例省", parent: Division | None = None) -> Division:
    division, _ = Division.objects.get_or_create(
        code=code, defaults={"name": name, "level": codes.division_level(code), "parent": parent}
    )
    return division


def create_city() -> Division:
    province = create_division("330000", "示范省")
    return create_division("330100", "示范市", parent=province)


def create_department(
    name: str | None = None,
    *,
    parent: Department | None = None,
    division: Division | None = None,
    kind: str = DepartmentKind.GOVERNMENT,
) -> Department:
    division = division or (parent.division if parent else create_city())
    department = Department.objects.create(
        name=name or f"测试部门{next(_counter)}", division=division, parent=parent, kind=kind
    )
    department.path = f"{parent.path if parent else '/'}{department.pk}/"
    department.save(update_fields=["path"])
    return department


def create_citizen(
    *,
    username: str | None = None,
    display_name: str = "张三",
    id_number: str | None = None,
    phone: str | None = None,
    password: str = PASSWORD,
) -> User:
    user = User(
        username=username or f"citizen{next(_counter)}",
        kind=UserKind.CITIZEN,
        display_name=display_name,
        password=hashed_password(password),
    )
    set_id_number(user, id_number or make_id_number())
    set_phone(user, phone or make_mobile())
    user.save()
    return user


def create_enterprise(*, name: str = "示范科技有限公司", uscc: str | None = None) -> User:
    return User.objects.create(
        username=f"ent{next(_counter)}",
        kind=UserKind.ENTERPRISE,
        display_name=name,
        uscc=uscc or make_uscc(),
        legal_representative="李四",
        password=hashed_password(),
    )


def create_official(
    *,
    department: Department | None = None,
    role: str | None = None,
    city_wide: bool = False,
    username: str | None = None,
    display_name: str = "王五",
    phone: str | None = None,
) -> User:
    user = User(
        username=username or f"official{next(_counter)}",
        kind=UserKind.OFFICIAL,
        display_name=display_name,
        password=hashed_password(),
    )
    set_phone(user, phone or make_mobile())
    user.save()
    if role:
        grant(user, department or create_department(), role, city_wide=city_wide)
    return user


def grant(user: User, department: Department, role: str, *, city_wide: bool = False) -> Post:
    post = Post.objects.create(
        user=user, department=department, role=Role.objects.get(code=role), city_wide=city_wide
    )
    forget_grants(user)
    return post


def create_sys_admin() -> User:
    return create_official(role="sys_admin", city_wide=True, display_name="系统管理员")


__all__ = ["DivisionLevel", "PASSWORD"]
