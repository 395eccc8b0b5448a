"""`yiwang demo`: 示范市 loads through the services, idempotently, with valid codes."""

from __future__ import annotations

import io
import sys
import types

import pytest
from django.core.management import CommandError, call_command

from yiwang.core import codes
from yiwang.core.accounts.models import EnterpriseAgent, Post, User, UserKind
from yiwang.core.accounts.rbac import BUILTIN_ROLES
from yiwang.core.accounts.services.login import login_check
from yiwang.core.audit.models import AuditRecord
from yiwang.core.demo import city, loader
from yiwang.core.orgs.models import Department, Division, Grid
from yiwang.core.tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _quick_hashing(settings):
    # argon2 is slow by design (≈1 s per hash on a busy machine, eleven accounts); these
    # tests are about the demo data, not about hashing.
    settings.PASSWORD_HASHERS = [
        "django.contrib.auth.hashers.MD5PasswordHasher",
        "django.contrib.auth.hashers.Argon2PasswordHasher",
    ]


def run_demo() -> str:
    out = io.StringIO()
    call_command("demo", stdout=out)
    return out.getvalue()


def snapshot() -> dict[str, int]:
    return {
        "divisions": Division.objects.count(),
        "departments": Department.objects.count(),
        "grids": Grid.objects.count(),
        "users": User.objects.count(),
        "posts": Post.objects.count(),
        "agents": EnterpriseAgent.objects.count(),
        "audit": AuditRecord.objects.count(),
    }


@pytest.fixture
def demo():
    return run_demo()


def test_running_demo_twice_changes_nothing(demo):
    first = snapshot()
    second_output = run_demo()
    assert snapshot() == first
    assert "未做任何更改" in second_output
    assert first["departments"] >= 15
    kernel = [spec["username"] for spec in city.OFFICIALS] + [
        city.CITIZEN["username"],
        city.ENTERPRISE["username"],
    ]
    assert User.objects.filter(username__in=kernel).count() == len(kernel)
    # Pillar demos (e.g. 一网通办's departments' approvers) add officials of their own.
    assert first["users"] >= len(kernel)


def test_city_has_two_counties_with_townships_and_villages(demo):
    assert Division.objects.get(code=city.CITY["code"]).name == "示范市"
    counties = Division.objects.filter(parent__code=city.CITY["code"])
    assert counties.count() == 2
    for county in counties:
        townships = Division.objects.filter(parent=county)
        assert 2 <= townships.count() <= 3
        for township in townships:
            # 统计用区划代码: 001–099 街道, 100–199 镇, 200–399 乡.
            assert township.name.endswith(codes.township_kind(township.code))
            villages = Division.objects.filter(parent=township)
            assert villages.count() == 2
            for village in villages:
                codes.validate_division_child(township.code, village.code)


def test_every_department_has_a_valid_uscc(demo):
    departments = Department.objects.filter(division__code__startswith=city.CITY["code"][:4])
    assert departments.count() == len(city.DEPARTMENTS)
    for department in departments:
        assert codes.validate_uscc(department.uscc) == department.uscc
        assert department.uscc[:2] in {"11", "12"}  # 机关 / 事业单位 (GB 32100 §4.1)
    names = set(departments.values_list("name", flat=True))
    assert {"市政务服务管理局", "市大数据管理局", "12345热线中心", "市应急管理局"} <= names
    centre = Department.objects.get(name="市政务服务中心")
    assert centre.parent.name == "市政务服务管理局"
    assert centre.path.startswith(centre.parent.path)
    assert Department.objects.get(name="12345热线中心").kind == "hotline"


def test_every_builtin_role_has_a_demo_account_that_can_log_in(demo):
    demo_usernames = [spec["username"] for spec in city.OFFICIALS]
    for code, _name, _description in BUILTIN_ROLES:
        post = Post.objects.filter(role__code=code, user__username__in=demo_usernames).first()
        assert post is not None, f"no demo account for {code}"
    clerk = login_check(identifier="clerk", password=city.DEMO_PASSWORD)
    # Its own post comes first; a pillar's demo may add posts (workflow: 补正 at the starter's window).
    assert clerk.posts.order_by("id").first().department.name == "市政务服务中心"
    assert Post.objects.get(user__username="leader").city_wide


def test_citizen_and_enterprise_have_valid_codes_and_are_linked(demo):
    citizen = User.objects.get(username=city.CITIZEN["username"])
    assert citizen.kind == UserKind.CITIZEN
    assert codes.validate_id_number(citizen.id_number) == citizen.id_number
    assert codes.validate_mobile(citizen.phone) == citizen.phone
    enterprise = User.objects.get(username=city.ENTERPRISE["username"])
    assert enterprise.uscc.startswith("91")
    assert codes.validate_uscc(enterprise.uscc) == enterprise.uscc
    assert enterprise.legal_representative == "李华"
    assert EnterpriseAgent.objects.filter(enterprise=enterprise, agent=citizen).exists()
    # The citizen signs in by phone too.
    assert login_check(identifier=city.CITIZEN["phone"], password=city.DEMO_PASSWORD) == citizen


def test_grids_have_fourteen_digit_codes_and_polygons(demo):
    grids = Grid.objects.select_related("division", "department")
    assert grids.count() == len(city.GRIDS)
    for grid in grids:
        assert len(grid.code) == 14 and grid.code.startswith(grid.division.code)
        ring = grid.boundary["coordinates"][0]
        assert grid.boundary["type"] == "Polygon" and ring[0] == ring[-1]
        assert grid.department is not None


def test_only_the_bootstrap_is_written_directly_and_everything_is_audited(demo):
    bootstrap = AuditRecord.objects.get(action="core.demo.bootstrap")
    assert bootstrap.actor_id is None
    admin = User.objects.get(username="sysadmin")
    later = AuditRecord.objects.exclude(action="core.demo.bootstrap")
    created = later.filter(action="orgs.department.created")
    # The bootstrap made 市大数据管理局; every other department went through department_create.
    assert created.count() == len(city.DEPARTMENTS) - 1
    assert set(created.values_list("actor_id", flat=True)) == {admin.pk}
    granted = later.filter(action="core.post.granted").values_list("target_id", flat=True)
    kernel = [spec["username"] for spec in city.OFFICIALS]
    holders = User.objects.filter(pk__in={int(i) for i in granted}, username__in=kernel)
    # Every kernel official but the bootstrap administrator got a post through post_grant (pillar
    # demos may grant some a second post, and post their own officials too).
    assert holders.count() == len(city.OFFICIALS) - 1
    assert later.filter(action="orgs.grid.created").count() == len(city.GRIDS)
    assert set(later.values_list("channel", flat=True)) == {"cli:demo"}


def test_output_lists_every_login_and_the_password(demo):
    for spec in city.OFFICIALS:
        assert spec["username"] in demo
    assert "12345坐席" in demo and "市市场监督管理局" in demo
    assert city.DEMO_PASSWORD in demo


def test_pillar_demo_modules_are_loaded_with_the_admin_as_actor(demo, monkeypatch):
    seen = []
    module = types.ModuleType("yiwang.fakepillar.demo")

    def load(*, actor):
        seen.append(actor.username)
        return [loader.Login("inspector", "检查员", "市城市管理局", "本部门")]

    module.load = load
    monkeypatch.setitem(sys.modules, "yiwang.fakepillar", types.ModuleType("yiwang.fakepillar"))
    monkeypatch.setitem(sys.modules, "yiwang.fakepillar.demo", module)
    configs = [
        types.SimpleNamespace(name="yiwang.core.orgs"),
        types.SimpleNamespace(name="yiwang.fakepillar"),
    ]
    monkeypatch.setattr(loader.django_apps, "get_app_configs", lambda: configs)

    output = run_demo()

    assert seen == ["sysadmin"]
    assert "inspector" in output and "检查员" in output


def test_a_failure_part_way_leaves_nothing_behind(db, monkeypatch):
    def broken(**kwargs):
        raise RuntimeError("grid service down")

    monkeypatch.setattr(loader, "grid_create", broken)
    with pytest.raises(RuntimeError):
        run_demo()
    assert not Department.objects.exists()
    assert not User.objects.exists()


def test_demo_refuses_a_database_where_its_names_mean_something_else(db):
    factories.create_citizen(username="sysadmin")
    with pytest.raises(CommandError, match="已存在但不是全市范围的系统管理员"):
        run_demo()
    assert not Department.objects.exists()
