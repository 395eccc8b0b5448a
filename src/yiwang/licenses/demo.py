"""电子证照 demo data (`yiwang demo`): the licence catalogue of demo_catalogue.py, a signing key
for every issuing department, and the licences the demo citizen and enterprise hold — one of
each verification state: valid, about to expire, revoked, superseded (with its newer version).

Called by `core.demo.loader.load_extensions` with the demo administrator (`sysadmin`) as actor.
Who does what follows licenses/permissions.py:
- licence types: the administrator (licenses.type.manage belongs to system administrators);
- signing keys: the department's 部门管理员 where the demo city has one (`deptadmin`, 市场监管局),
  otherwise the administrator, whose city-wide post holds every permission;
- issuing, revising, revoking: the department's 审批人员 where there is one (`approver`,
  市场监管局), otherwise the administrator.

Keys are made for the configured algorithm (YIWANG_LICENSE_ALGORITHM, SM2-SM3 unless changed),
since that is the one issuing signs with. Idempotent: a type is found by its code, a key by its
department (an active key of that algorithm), a licence by holder and type; what exists is left
alone, so a second run writes nothing. A service refusing a step stops the demo with a
DemoConflict naming the step. The 到期提醒 job runs once at the end, as the worker would today,
so the enterprise's inbox shows the reminder for its 食品经营许可证 at once.
"""

from __future__ import annotations

from contextlib import contextmanager

from django.utils import timezone

from yiwang.core.accounts.models import Post, User, UserKind
from yiwang.core.demo import city
from yiwang.core.demo.loader import DemoConflict, Login
from yiwang.core.errors import DomainError
from yiwang.core.orgs.models import Department
from yiwang.licenses.demo_catalogue import TYPES, Holding, TypeSpec, holdings
from yiwang.licenses.models import KeyStatus, License, LicenseType, SigningKey
from yiwang.licenses.permissions import can_license_issue, can_license_revoke, can_signing_key_manage
from yiwang.licenses.services.issuing import license_issue
from yiwang.licenses.services.keys import default_algorithm, signing_key_generate
from yiwang.licenses.services.reminders import license_expiry_remind
from yiwang.licenses.services.revising import license_revise, license_revoke
from yiwang.licenses.services.types import license_type_create


@contextmanager
def _step(what: str):
    try:
        yield
    except DomainError as error:
        details = "；".join(f"{name}：{reason}" for name, reason in error.fields.items())
        raise DemoConflict(
            f"电子证照示范数据未载入：{what}失败：{error.message}" + (f"（{details}）" if details else "")
        ) from None


def _departments() -> dict[str, Department]:
    names = {name for spec in TYPES for name in spec.issuers}
    found = {d.name: d for d in Department.objects.filter(division__code=city.CITY["code"], name__in=names)}
    missing = sorted(names - set(found))
    if missing:
        raise DemoConflict(f"电子证照示范数据未载入：示范市缺少部门 {'、'.join(missing)}")
    return found


def _officer(department: Department, role_code: str, may, fallback: User) -> User:
    """The first holder of `role_code` in the department who may act (`may(user, department)`);
    the administrator if the demo city staffs no such post there."""
    posts = Post.objects.filter(department=department, role__code=role_code, user__is_active=True)
    for post in posts.select_related("user").order_by("id"):
        if may(post.user, department):
            return post.user
    return fallback


def _ensure_type(actor: User, spec: TypeSpec, departments: dict[str, Department]) -> LicenseType:
    defining = departments[spec.department]
    code = f"{defining.uscc}{spec.serial}"
    existing = LicenseType.objects.filter(code=code).first()
    if existing is not None:
        if existing.name != spec.name:
            raise DemoConflict(
                f"证照类型代码 {code} 已用于“{existing.name}”而不是示范的“{spec.name}”，"
                "请使用空数据库加载示范数据"
            )
        return existing
    with _step(f"新增证照类型“{spec.name}”"):
        return license_type_create(
            actor=actor,
            code=code,
            name=spec.name,
            holder_kind=spec.holder_kind,
            defining_department=defining,
            issuers=[departments[name] for name in spec.issuers],
            fields=spec.fields,
            validity=spec.validity,
            layout=spec.layout,
            replaces=spec.replaces,
        )


def _ensure_key(actor: User, department: Department) -> None:
    algorithm = default_algorithm()
    active = SigningKey.objects.filter(
        department=department, algorithm=algorithm.value, status=KeyStatus.ACTIVE
    )
    if active.exists():
        return
    keeper = _officer(department, "dept_admin", can_signing_key_manage, actor)
    with _step(f"生成“{department.name}”的签名密钥"):
        signing_key_generate(actor=keeper, department=department, algorithm=algorithm)


def _holders() -> dict[str, User]:
    wanted = {"citizen": (city.CITIZEN["username"], UserKind.CITIZEN)}
    wanted["enterprise"] = (city.ENTERPRISE["username"], UserKind.ENTERPRISE)
    holders = {}
    for key, (username, kind) in wanted.items():
        user = User.objects.filter(username=username, kind=kind).first()
        if user is None:
            raise DemoConflict(f"电子证照示范数据未载入：没有示范账号 {username}")
        holders[key] = user
    return holders


def _ensure_licence(actor: User, holding: Holding, types: dict, holders: dict, departments: dict) -> None:
    spec = next(s for s in TYPES if s.name == holding.type_name)
    license_type, holder = types[spec.name], holders[holding.holder]
    if License.objects.filter(holder=holder, license_type=license_type).exists():
        return
    issuer = departments[spec.department]
    officer = _officer(issuer, "approver", can_license_issue, actor)
    with _step(f"向{holder.display_name}颁发“{spec.name}”"):
        issued = license_issue(
            actor=officer,
            license_type=license_type,
            holder=holder,
            number=holding.number,
            data=holding.data,
            issued_on=holding.issued_on,
            valid_until=holding.valid_until,
            issuer=issuer,
        )
    if holding.revise:
        changes, reason = holding.revise
        with _step(f"变更{holder.display_name}的“{spec.name}”"):
            license_revise(actor=officer, license=issued, data={**holding.data, **changes}, reason=reason)
    if holding.revoke:
        revoker = officer if can_license_revoke(officer, issued) else actor
        with _step(f"吊销{holder.display_name}的“{spec.name}”"):
            license_revoke(actor=revoker, license=issued, reason=holding.revoke)


def load(*, actor) -> list[Login]:
    departments = _departments()
    types = {spec.name: _ensure_type(actor, spec, departments) for spec in TYPES}
    for name in dict.fromkeys(name for spec in TYPES for name in spec.issuers):
        _ensure_key(actor, departments[name])
    holders = _holders()
    enterprise = holders["enterprise"]
    for holding in holdings(
        timezone.localdate(),
        enterprise_name=enterprise.display_name,
        enterprise_uscc=enterprise.uscc,
        citizen_name=holders["citizen"].display_name,
    ):
        _ensure_licence(actor, holding, types, holders, departments)
    license_expiry_remind()
    return []  # no new accounts: the licences belong to `citizen` and `enterprise`
