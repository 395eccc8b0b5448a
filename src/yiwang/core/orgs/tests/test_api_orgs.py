"""The organisations API: divisions, departments (with versioned edits), grids."""

from __future__ import annotations

import pytest
from django.conf import settings

from yiwang.core.accounts.tests.helpers import queries_for
from yiwang.core.audit.models import AuditRecord
from yiwang.core.orgs.models import Department, Division, Grid
from yiwang.core.tests import factories

ORGS = "/api/v1/orgs"
SQUARE = {"type": "Polygon", "coordinates": [[[120.1, 30.2], [120.2, 30.2], [120.2, 30.3], [120.1, 30.2]]]}


def post_json(client, url, data):
    return client.post(url, data, content_type="application/json")


def patch_json(client, url, data):
    return client.patch(url, data, content_type="application/json")


def grid_code(prefix: str = "330102") -> str:
    return prefix + "1" * (settings.GRID_CODE_LENGTH - len(prefix))


# --- divisions ---------------------------------------------------------------------------------
def test_admin_adds_a_district_under_the_city(client, sys_admin, city):
    client.force_login(sys_admin)

    response = post_json(
        client, f"{ORGS}/divisions", {"code": "330102", "name": "上城区", "parent_code": "330100"}
    )

    assert response.status_code == 201
    assert response.json() == {
        "code": "330102",
        "name": "上城区",
        "level": "county",
        "level_label": "县级",
        "parent_code": "330100",
        "version": 1,
    }
    assert AuditRecord.objects.filter(action="orgs.division.created", actor_id=sys_admin.pk).exists()


def test_child_code_must_extend_the_parents(client, sys_admin, city):
    client.force_login(sys_admin)

    response = post_json(
        client, f"{ORGS}/divisions", {"code": "320102", "name": "错区", "parent_code": "330100"}
    )

    assert response.status_code == 422
    assert response.json()["error"]["fields"] == {
        "code": "行政区划代码 320102 未以上级代码 330100 的前缀开头"
    }
    assert not Division.objects.filter(code="320102").exists()


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"code": "33010", "name": "x", "parent_code": "330100"}, "code"),
        ({"code": "330102", "name": "", "parent_code": "330100"}, "name"),
        ({"code": "330102", "name": "x", "parent_code": "339900"}, "parent_code"),
        ({"code": "330100", "name": "重复", "parent_code": "330000"}, "code"),
        ({"code": "330103", "name": "x"}, "parent"),
    ],
)
def test_bad_division_input_names_the_field(client, sys_admin, city, body, field):
    client.force_login(sys_admin)

    response = post_json(client, f"{ORGS}/divisions", body)

    assert response.status_code == 422
    assert field in response.json()["error"]["fields"]


def test_division_detail_list_and_rename(client, sys_admin, city):
    client.force_login(sys_admin)

    assert client.get(f"{ORGS}/divisions/330100").json()["name"] == "示范市"
    assert client.get(f"{ORGS}/divisions/999999").status_code == 404
    children = client.get(f"{ORGS}/divisions?parent=330000").json()
    assert [d["code"] for d in children["items"]] == ["330100"]
    renamed = patch_json(client, f"{ORGS}/divisions/330100", {"name": "示范新市", "version": 1})
    stale = patch_json(client, f"{ORGS}/divisions/330100", {"name": "又一个名", "version": 1})
    assert renamed.json()["version"] == 2
    assert stale.status_code == 409


def test_only_administrators_write_divisions(client, department):
    clerk = factories.create_official(department=department, role="window_clerk")
    client.force_login(clerk)

    assert client.get(f"{ORGS}/divisions").status_code == 200
    response = post_json(
        client, f"{ORGS}/divisions", {"code": "330102", "name": "上城区", "parent_code": "330100"}
    )
    assert response.status_code == 403


def test_anonymous_reads_are_refused(client, city):
    assert client.get(f"{ORGS}/divisions").status_code == 401


# --- departments -------------------------------------------------------------------------------
def test_department_create_builds_its_path(client, sys_admin, department):
    client.force_login(sys_admin)

    response = post_json(
        client,
        f"{ORGS}/departments",
        {
            "name": "政务服务中心",
            "division_code": "330100",
            "parent_id": department.pk,
            "kind": "service_center",
        },
    )

    assert response.status_code == 201
    body = response.json()
    assert body["path"] == f"{department.path}{body['id']}/"
    assert body["kind_label"] == "政务服务中心"


def test_department_with_a_wrong_uscc_is_refused(client, sys_admin, city):
    client.force_login(sys_admin)
    uscc = factories.make_uscc()
    wrong = uscc[:-1] + ("0" if uscc[-1] != "0" else "1")

    response = post_json(
        client, f"{ORGS}/departments", {"name": "市民政局", "division_code": "330100", "uscc": wrong}
    )

    assert response.json()["error"]["fields"] == {"uscc": "统一社会信用代码校验位错误"}
    assert not Department.objects.filter(name="市民政局").exists()


def test_concurrent_department_edits_end_in_a_409_for_the_loser(client, sys_admin, department):
    client.force_login(sys_admin)
    url = f"{ORGS}/departments/{department.pk}"
    version = client.get(url).json()["version"]

    first = patch_json(client, url, {"version": version, "short_name": "政务办"})
    second = patch_json(client, url, {"version": version, "short_name": "数据局"})

    assert first.status_code == 200 and first.json()["version"] == version + 1
    assert second.status_code == 409
    assert second.json()["error"]["code"] == "conflict"
    department.refresh_from_db()
    assert department.short_name == "政务办"
    assert AuditRecord.objects.filter(action="orgs.department.updated").count() == 1


def test_department_patch_needs_a_version_and_valid_fields(client, sys_admin, department, other_department):
    client.force_login(sys_admin)
    url = f"{ORGS}/departments/{department.pk}"

    no_version = patch_json(client, url, {"name": "x"})
    same_name = patch_json(client, url, {"version": 1, "name": other_department.name})
    too_long = patch_json(client, url, {"version": 1, "short_name": "长" * 40})

    assert no_version.json()["error"]["fields"] == {"version": "此项为必填项"}
    assert same_name.json()["error"]["fields"] == {"name": "同一区划下已有同名部门"}
    assert too_long.status_code == 422 and "short_name" in too_long.json()["error"]["fields"]
    assert client.get(f"{ORGS}/departments/99999999999999999999").status_code in (404, 422)


def test_department_list_query_count_does_not_grow(client, sys_admin, city, django_assert_max_num_queries):
    client.force_login(sys_admin)
    baseline = queries_for(client, f"{ORGS}/departments")
    for number in range(10):
        factories.create_department(f"部门{number}", division=city)

    with django_assert_max_num_queries(baseline):
        response = client.get(f"{ORGS}/departments")

    assert response.json()["count"] == Department.objects.count() >= 10


# --- grids -------------------------------------------------------------------------------------
@pytest.fixture
def district(city):
    return factories.create_division("330102", "上城区", parent=city)


def test_grid_with_a_polygon_round_trips(client, sys_admin, district):
    client.force_login(sys_admin)
    code = grid_code()

    created = post_json(
        client,
        f"{ORGS}/grids",
        {"code": code, "name": "第一网格", "division_code": "330102", "boundary": SQUARE},
    )

    assert created.status_code == 201
    assert client.get(f"{ORGS}/grids/{code}").json()["boundary"] == SQUARE
    assert AuditRecord.objects.filter(action="orgs.grid.created").exists()


@pytest.mark.parametrize(
    ("boundary", "message"),
    [
        ({"type": "Point", "coordinates": [120, 30]}, "边界必须是GeoJSON Polygon"),
        ({"type": "Polygon", "coordinates": [[[120, 30], [121, 30], [120, 30]]]}, "每个环至少需要4个坐标点"),
        (
            {"type": "Polygon", "coordinates": [[[120, 30], [121, 30], [121, 31], [120, 31]]]},
            "边界环必须首尾闭合",
        ),
        (
            {"type": "Polygon", "coordinates": [[[200, 30], [121, 30], [121, 31], [200, 30]]]},
            "经纬度超出范围",
        ),
        (
            {"type": "Polygon", "coordinates": [[["a", 30], [121, 30], [121, 31], ["a", 30]]]},
            "坐标点必须是[经度, 纬度]数字",
        ),
    ],
)
def test_bad_boundaries_are_refused_with_the_reason(client, sys_admin, district, boundary, message):
    client.force_login(sys_admin)

    response = post_json(
        client,
        f"{ORGS}/grids",
        {"code": grid_code(), "name": "网格", "division_code": "330102", "boundary": boundary},
    )

    assert response.status_code == 422
    assert response.json()["error"]["fields"] == {"boundary": message}
    assert not Grid.objects.exists()


def test_grid_code_must_sit_in_its_district(client, sys_admin, district):
    client.force_login(sys_admin)

    wrong_place = post_json(
        client, f"{ORGS}/grids", {"code": grid_code("330199"), "name": "网格", "division_code": "330102"}
    )
    wrong_shape = post_json(
        client, f"{ORGS}/grids", {"code": "12", "name": "网格", "division_code": "330102"}
    )

    assert wrong_place.json()["error"]["fields"] == {"code": "网格编码的前6位必须是所属区划的区县代码"}
    assert "code" in wrong_shape.json()["error"]["fields"]


def test_grid_update_redraws_and_clears(client, sys_admin, district, department):
    client.force_login(sys_admin)
    code = grid_code()
    post_json(
        client, f"{ORGS}/grids", {"code": code, "name": "网格", "division_code": "330102", "boundary": SQUARE}
    )

    assigned = patch_json(client, f"{ORGS}/grids/{code}", {"version": 1, "department_id": department.pk})
    cleared = patch_json(client, f"{ORGS}/grids/{code}", {"version": 2, "boundary": None})
    stale = patch_json(client, f"{ORGS}/grids/{code}", {"version": 1, "name": "旧版本"})

    assert assigned.json()["department_id"] == department.pk
    assert cleared.json()["boundary"] is None and cleared.json()["department_id"] == department.pk
    assert stale.status_code == 409


def test_grid_list_query_count(client, sys_admin, district, django_assert_max_num_queries):
    client.force_login(sys_admin)
    baseline = queries_for(client, f"{ORGS}/grids")
    for number in range(8):
        Grid.objects.create(code=grid_code()[:-2] + f"{number:02d}", name=f"网格{number}", division=district)

    with django_assert_max_num_queries(baseline):
        assert client.get(f"{ORGS}/grids").json()["count"] == 8


def test_division_list_query_count(client, sys_admin, district, django_assert_max_num_queries):
    client.force_login(sys_admin)
    baseline = queries_for(client, f"{ORGS}/divisions")
    for number in range(1, 9):
        factories.create_division(f"330102{number:03d}000", f"街道{number}", parent=district)

    with django_assert_max_num_queries(baseline):
        assert client.get(f"{ORGS}/divisions").json()["count"] == 11
