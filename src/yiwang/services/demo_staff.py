"""What the demo city needs before its applications can be lived through: officials in the
departments that review and decide, the 婚姻登记处's window, and a signing key for every
department with demo items.

- 审批人员 (`approver_<department>`) where the demo applications are reviewed and decided, or
  wait (生态环境局's 预警 case) — the city's `approver` serves 市市场监督管理局 only; the 并联审批
  item 建设工程规划许可证核发 needs 自然资源 and 住建 both;
- a 窗口人员 of 市民政局: 结婚登记 is accepted by the 婚姻登记机关 itself (婚姻登记条例 §4: both
  parties in person), at its own window, not at the 综合窗口;
- a 部门管理员 of 市人力资源和社会保障局, where a 差评's rectification is open (整改 is the
  department administrator's or an approver's, processes/rectification.yaml), who also keeps
  the department's signing key;
- a signing key per department (决定文书 and licences are signed with the implementing
  department's key, results.py; without one the decision is refused), unless it has an active
  key of the configured algorithm already — the licence demo made those of its issuers.

Idempotent like the city's own loader: an account is found by username, a post by (user,
department, role), a window by (department, code), a key by (department, algorithm, active).
"""

from __future__ import annotations

from yiwang.core.accounts.models import Post, Role, User
from yiwang.core.accounts.services.users import official_create, post_grant
from yiwang.core.demo import city
from yiwang.core.demo.loader import Login
from yiwang.core.orgs.models import Department
from yiwang.licenses.models import KeyStatus, SigningKey
from yiwang.licenses.permissions import can_signing_key_manage
from yiwang.licenses.services.keys import default_algorithm, signing_key_generate
from yiwang.services.demo_catalogue import ITEMS
from yiwang.services.demo_catalogue.common import CIVIL, ECOLOGY, HEALTH, HOUSING, HRSS, LAND, POLICE, URBAN
from yiwang.services.models import ServiceWindow
from yiwang.services.services import catalogue

SCOPE = "本部门及下级（一网通办示范）"
# (username, name, department, role)
STAFF = [
    ("approver_land", "郑海涛", LAND, "approver"),
    ("approver_housing", "冯雪梅", HOUSING, "approver"),
    ("approver_police", "马骏", POLICE, "approver"),
    ("approver_hrss", "何晓燕", HRSS, "approver"),
    ("approver_civil", "罗志刚", CIVIL, "approver"),
    ("approver_health", "许文静", HEALTH, "approver"),
    ("approver_urban", "邓鹏", URBAN, "approver"),
    ("approver_ecology", "苏婉清", ECOLOGY, "approver"),
    ("clerk_civil", "林小芸", CIVIL, "window_clerk"),
    ("deptadmin_hrss", "高建华", HRSS, "dept_admin"),
]
MARRIAGE_WINDOW = {"department": CIVIL, "code": "M01", "name": "婚姻登记处结婚登记窗口"}


def department(name: str) -> Department:
    return Department.objects.get(name=name, division__code=city.CITY["code"])


def staff_load(*, actor) -> list[Login]:
    roles = {role.code: role for role in Role.objects.filter(code__in={spec[3] for spec in STAFF})}
    logins = []
    for username, name, department_name, role_code in STAFF:
        place, role = department(department_name), roles[role_code]
        user = User.objects.filter(username=username).first()
        if user is None:
            official_create(
                actor=actor,
                username=username,
                password=city.DEMO_PASSWORD,
                display_name=name,
                department=place,
                role=role,
            )
        elif not Post.objects.filter(user=user, department=place, role=role).exists():
            post_grant(actor=actor, user=user, department=place, role=role)
        logins.append(Login(username, role.name, place.name, SCOPE))
    return logins


def marriage_window_load(*, actor) -> ServiceWindow:
    place = department(MARRIAGE_WINDOW["department"])
    window = ServiceWindow.objects.filter(department=place, code=MARRIAGE_WINDOW["code"]).first()
    if window is None:
        window = catalogue.window_create(
            actor=actor, department=place, code=MARRIAGE_WINDOW["code"], name=MARRIAGE_WINDOW["name"]
        )
    return window


def signing_keys_load(*, actor) -> None:
    """A key for every department implementing a demo item; kept by its 部门管理员 if it has one."""
    algorithm = default_algorithm()
    for name in dict.fromkeys(spec["department"] for spec in ITEMS):
        place = department(name)
        active = SigningKey.objects.filter(
            department=place, algorithm=algorithm.value, status=KeyStatus.ACTIVE
        )
        if active.exists():
            continue
        keeper = next(
            (
                post.user
                for post in Post.objects.filter(
                    department=place, role__code="dept_admin", user__is_active=True
                )
                .select_related("user")
                .order_by("id")
                if can_signing_key_manage(post.user, place)
            ),
            actor,
        )
        signing_key_generate(actor=keeper, department=place, algorithm=algorithm)
