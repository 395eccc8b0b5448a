"""机构改革: moving a department rewrites its subtree's paths (and so every scope), and its
kind and USCC can be corrected — through the services, the API and the admin alike."""

from __future__ import annotations

import threading

import pytest
from django.db import connection, connections

from yiwang.core import codes
from yiwang.core.accounts.rbac import scope_for
from yiwang.core.audit.models import AuditRecord
from yiwang.core.errors import Conflict, InvalidInput, PermissionDenied
from yiwang.core.orgs import restructure
from yiwang.core.orgs.models import Department, DepartmentKind
from yiwang.core.tests import factories

ORGS = "/api/v1/orgs"


def post_json(client, url, data):
    return client.post(url, data, content_type="application/json")


def fresh(department: Department) -> Department:
    return Department.objects.get(pk=department.pk)


@pytest.fixture
def tree(city):
    """Two bureaus; under the first a 3-level subtree (科 → 股 → 组) and a sibling 科."""
    old_parent = factories.create_department("市农业农村局", division=city)
    new_parent = factories.create_department("市乡村振兴局", division=city)
    moved = factories.create_department("帮扶科", parent=old_parent)
    child = factories.create_department("帮扶一股", parent=moved)
    grandchild = factories.create_department("帮扶一组", parent=child)
    sibling = factories.create_department("种植业科", parent=old_parent)
    return {
        "old_parent": old_parent,
        "new_parent": new_parent,
        "moved": moved,
        "child": child,
        "grandchild": grandchild,
        "sibling": sibling,
    }


# --- moving ------------------------------------------------------------------------------------
def test_moving_a_subtree_rewrites_every_path_below_it_and_leaves_siblings_alone(sys_admin, tree):
    moved, child, grandchild, new_parent = (
        tree["moved"],
        tree["child"],
        tree["grandchild"],
        tree["new_parent"],
    )
    sibling_path = tree["sibling"].path

    restructure.department_move(actor=sys_admin, department=moved, new_parent=new_parent, expected_version=1)

    base = f"{new_parent.path}{moved.pk}/"
    assert fresh(moved).path == base and fresh(moved).parent_id == new_parent.pk
    assert fresh(child).path == f"{base}{child.pk}/"
    assert fresh(grandchild).path == f"{base}{child.pk}/{grandchild.pk}/"
    assert fresh(child).parent_id == moved.pk  # the inner structure is kept
    assert fresh(tree["sibling"]).path == sibling_path
    assert fresh(tree["old_parent"]).path == f"/{tree['old_parent'].pk}/"
    assert fresh(moved).version == 2


def test_a_move_is_audited_with_both_parents_and_the_number_of_departments(sys_admin, tree):
    moved = tree["moved"]
    old_path = moved.path

    restructure.department_move(
        actor=sys_admin, department=moved, new_parent=tree["new_parent"], expected_version=1
    )

    record = AuditRecord.objects.get(action="orgs.department.moved")
    assert record.actor_id == sys_admin.pk and record.target_id == str(moved.pk)
    assert record.changes == {
        "parent": [tree["old_parent"].pk, tree["new_parent"].pk],
        "path": [old_path, f"{tree['new_parent'].path}{moved.pk}/"],
        "departments": 3,
    }


def test_a_department_can_become_top_level(sys_admin, tree):
    restructure.department_move(
        actor=sys_admin, department=tree["moved"], new_parent=None, expected_version=1
    )

    moved = fresh(tree["moved"])
    assert moved.parent_id is None and moved.path == f"/{moved.pk}/"
    assert fresh(tree["grandchild"]).path == f"/{moved.pk}/{tree['child'].pk}/{tree['grandchild'].pk}/"


@pytest.mark.parametrize("target", ["moved", "child", "grandchild"])
def test_a_department_cannot_move_under_itself_or_its_descendants(sys_admin, tree, target):
    paths = dict(Department.objects.values_list("pk", "path"))

    with pytest.raises(InvalidInput) as caught:
        restructure.department_move(
            actor=sys_admin, department=tree["moved"], new_parent=tree[target], expected_version=1
        )

    assert caught.value.fields == {"parent_id": "不能移到本部门或其下级部门之下"}
    assert dict(Department.objects.values_list("pk", "path")) == paths
    assert not AuditRecord.objects.filter(action="orgs.department.moved").exists()


def test_a_department_cannot_move_under_an_inactive_one(sys_admin, tree):
    Department.objects.filter(pk=tree["new_parent"].pk).update(is_active=False)

    with pytest.raises(InvalidInput) as caught:
        restructure.department_move(
            actor=sys_admin,
            department=tree["moved"],
            new_parent=fresh(tree["new_parent"]),
            expected_version=1,
        )

    assert caught.value.fields == {"parent_id": "上级部门已停用"}
    assert fresh(tree["moved"]).parent_id == tree["old_parent"].pk


def test_a_move_on_a_stale_version_conflicts_and_changes_nothing(sys_admin, tree):
    Department.objects.filter(pk=tree["moved"].pk).update(version=2)
    before = fresh(tree["grandchild"]).path

    with pytest.raises(Conflict):
        restructure.department_move(
            actor=sys_admin, department=tree["moved"], new_parent=tree["new_parent"], expected_version=1
        )

    assert fresh(tree["moved"]).parent_id == tree["old_parent"].pk
    assert fresh(tree["grandchild"]).path == before


def test_a_subtree_moved_below_a_moved_ancestor_uses_the_current_paths(sys_admin, tree):
    """Instances read before another move still move correctly: the service re-reads paths."""
    child, new_parent = tree["child"], tree["new_parent"]
    restructure.department_move(
        actor=sys_admin, department=tree["moved"], new_parent=None, expected_version=1
    )

    restructure.department_move(actor=sys_admin, department=child, new_parent=new_parent, expected_version=1)

    assert fresh(tree["grandchild"]).path == f"{new_parent.path}{child.pk}/{tree['grandchild'].pk}/"


def test_moving_needs_the_department_manage_permission(tree):
    clerk = factories.create_official(department=tree["old_parent"], role="dept_admin")

    with pytest.raises(PermissionDenied):
        restructure.department_move(
            actor=clerk, department=tree["moved"], new_parent=tree["new_parent"], expected_version=1
        )


def test_scopes_follow_the_moved_subtree(sys_admin, tree):
    old_admin = factories.create_official(department=tree["old_parent"], role="dept_admin")
    new_admin = factories.create_official(department=tree["new_parent"], role="dept_admin")
    assert scope_for(old_admin, "accounts.user.view").includes(fresh(tree["grandchild"]))
    assert not scope_for(new_admin, "accounts.user.view").includes(fresh(tree["grandchild"]))

    restructure.department_move(
        actor=sys_admin, department=tree["moved"], new_parent=tree["new_parent"], expected_version=1
    )

    # Grants are cached per user object (one request); a new request loads them afresh.
    old_admin, new_admin = (type(u).objects.get(pk=u.pk) for u in (old_admin, new_admin))
    for name in ("moved", "child", "grandchild"):
        assert not scope_for(old_admin, "accounts.user.view").includes(fresh(tree[name]))
        assert scope_for(new_admin, "accounts.user.view").includes(fresh(tree[name]))
    assert scope_for(old_admin, "accounts.user.view").includes(fresh(tree["sibling"]))


def _visible_usernames(client, user) -> set[str]:
    client.force_login(user)
    response = client.get("/api/v1/users?limit=100")
    assert response.status_code == 200
    return {item["username"] for item in response.json()["items"]}


def test_the_users_list_follows_the_moved_subtree(client, sys_admin, tree):
    old_admin = factories.create_official(department=tree["old_parent"], role="dept_admin")
    new_admin = factories.create_official(department=tree["new_parent"], role="dept_admin")
    worker = factories.create_official(
        department=tree["grandchild"], role="handler", username="bangfu_worker"
    )
    assert worker.username in _visible_usernames(client, old_admin)
    assert worker.username not in _visible_usernames(client, new_admin)

    client.force_login(sys_admin)
    response = post_json(
        client,
        f"{ORGS}/departments/{tree['moved'].pk}/move",
        {"parent_id": tree["new_parent"].pk, "version": 1},
    )
    assert response.status_code == 200

    assert worker.username not in _visible_usernames(client, old_admin)
    assert worker.username in _visible_usernames(client, new_admin)


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="SQLite serialises all writers: no concurrent moves to race"
)
@pytest.mark.django_db(transaction=True)
def test_two_crossed_concurrent_moves_cannot_make_a_cycle():
    """A under B and B under A at the same moment: the row locks let one through and the
    other then sees the cycle; the tree stays a tree."""
    admin = factories.create_sys_admin()
    first, second = factories.create_department("甲局"), factories.create_department("乙局")
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def move(department, parent):
        try:
            barrier.wait()
            restructure.department_move(
                actor=admin, department=department, new_parent=parent, expected_version=1
            )
            outcomes.append("moved")
        except InvalidInput as error:
            outcomes.append(error.fields["parent_id"])
        except Exception as error:  # reported to the main thread, which fails the test
            outcomes.append(repr(error))
        finally:
            connections.close_all()

    threads = [
        threading.Thread(target=move, args=(fresh(first), fresh(second))),
        threading.Thread(target=move, args=(fresh(second), fresh(first))),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(outcomes) == ["moved", "不能移到本部门或其下级部门之下"]
    roots = Department.objects.filter(pk__in=[first.pk, second.pk], parent=None)
    assert roots.count() == 1
    root = roots.get()
    assert all(
        d.path.startswith(f"/{root.pk}/") for d in Department.objects.filter(pk__in=[first.pk, second.pk])
    )


# --- moving through the API ----------------------------------------------------------------
def test_the_move_endpoint_answers_the_moved_department(client, sys_admin, tree):
    client.force_login(sys_admin)

    response = post_json(
        client,
        f"{ORGS}/departments/{tree['moved'].pk}/move",
        {"parent_id": tree["new_parent"].pk, "version": 1},
    )

    body = response.json()
    assert response.status_code == 200
    assert body["parent_id"] == tree["new_parent"].pk
    assert body["path"] == f"{tree['new_parent'].path}{tree['moved'].pk}/"
    assert body["version"] == 2


@pytest.mark.parametrize(
    ("body", "status", "field"),
    [
        ({"parent_id": "child", "version": 1}, 422, "parent_id"),
        ({"parent_id": 99999999, "version": 1}, 422, "parent_id"),
        ({"parent_id": None}, 422, "version"),
        ({"version": 1}, 422, "parent_id"),
        ({"parent_id": "new_parent", "version": 7}, 409, "version"),
    ],
)
def test_the_move_endpoint_refuses_bad_input_with_the_field(client, sys_admin, tree, body, status, field):
    client.force_login(sys_admin)
    body = {key: tree[value].pk if value in tree else value for key, value in body.items()}

    response = post_json(client, f"{ORGS}/departments/{tree['moved'].pk}/move", body)

    assert response.status_code == status
    assert field in response.json()["error"]["fields"]
    assert fresh(tree["moved"]).parent_id == tree["old_parent"].pk


def test_the_move_endpoint_answers_top_level_for_a_null_parent(client, sys_admin, tree):
    client.force_login(sys_admin)

    response = post_json(
        client, f"{ORGS}/departments/{tree['moved'].pk}/move", {"parent_id": None, "version": 1}
    )

    assert response.status_code == 200
    assert response.json()["path"] == f"/{tree['moved'].pk}/"


def test_restructuring_endpoints_refuse_a_non_manager(client, tree):
    clerk = factories.create_official(department=tree["old_parent"], role="window_clerk")
    client.force_login(clerk)
    url = f"{ORGS}/departments/{tree['moved'].pk}"

    moved = post_json(client, f"{url}/move", {"parent_id": tree["new_parent"].pk, "version": 1})
    reclassified = post_json(client, f"{url}/reclassify", {"kind": "institution", "version": 1})

    assert (moved.status_code, reclassified.status_code) == (403, 403)
    assert (fresh(tree["moved"]).parent_id, fresh(tree["moved"]).kind) == (
        tree["old_parent"].pk,
        "government",
    )
    assert not AuditRecord.objects.filter(action__startswith="orgs.department.").exists()


# --- reclassifying -----------------------------------------------------------------------------
def test_reclassify_changes_kind_and_uscc_and_audits(sys_admin, department, city):
    uscc = factories.make_uscc(registrar="1", kind="1", division=city.code)

    restructure.department_reclassify(
        actor=sys_admin, department=department, expected_version=1, kind=DepartmentKind.INSTITUTION, uscc=uscc
    )

    department = fresh(department)
    assert (department.kind, department.uscc, department.version) == ("institution", uscc, 2)
    record = AuditRecord.objects.get(action="orgs.department.reclassified")
    assert record.changes == {"kind": ["government", "institution"], "uscc": [None, uscc]}


def test_reclassify_refuses_a_bad_check_digit_with_its_reason(sys_admin, department):
    good = factories.make_uscc()
    wrong = good[:-1] + ("0" if good[-1] != "0" else "1")
    with pytest.raises(codes.CodeInvalid) as reason:
        codes.validate_uscc(wrong)

    with pytest.raises(InvalidInput) as caught:
        restructure.department_reclassify(
            actor=sys_admin, department=department, expected_version=1, uscc=wrong
        )

    assert caught.value.fields == {"uscc": str(reason.value)}
    assert "校验位" in caught.value.fields["uscc"]
    assert fresh(department).uscc is None


def test_reclassify_refuses_a_uscc_used_by_another_department(sys_admin, department, other_department):
    uscc = factories.make_uscc()
    Department.objects.filter(pk=other_department.pk).update(uscc=uscc)

    with pytest.raises(InvalidInput) as caught:
        restructure.department_reclassify(
            actor=sys_admin, department=department, expected_version=1, uscc=uscc
        )

    assert caught.value.fields == {"uscc": "该统一社会信用代码已被其他部门使用"}


def test_reclassify_refuses_an_unknown_kind(sys_admin, department):
    with pytest.raises(InvalidInput) as caught:
        restructure.department_reclassify(
            actor=sys_admin, department=department, expected_version=1, kind="bureau"
        )

    assert caught.value.fields == {"kind": "部门类型无效"}


def test_a_corrected_uscc_clears_the_legacy_warning_and_an_empty_one_removes_the_code(sys_admin, department):
    Department.objects.filter(pk=department.pk).update(uscc="91330100MA00000000", uscc_flagged="校验位错误")
    good = factories.make_uscc()

    restructure.department_reclassify(
        actor=sys_admin, department=fresh(department), expected_version=1, uscc=good
    )
    assert (fresh(department).uscc, fresh(department).uscc_flagged) == (good, "")

    restructure.department_reclassify(
        actor=sys_admin, department=fresh(department), expected_version=2, uscc=""
    )
    assert fresh(department).uscc is None


def test_reclassify_on_a_stale_version_conflicts(sys_admin, department):
    Department.objects.filter(pk=department.pk).update(version=3)

    with pytest.raises(Conflict):
        restructure.department_reclassify(
            actor=sys_admin, department=fresh(department), expected_version=1, kind="institution"
        )

    assert fresh(department).kind == "government"


def test_the_reclassify_endpoint(client, sys_admin, department, other_department):
    client.force_login(sys_admin)
    url = f"{ORGS}/departments/{department.pk}/reclassify"
    uscc = factories.make_uscc()

    response = post_json(client, url, {"kind": "hotline", "uscc": uscc, "version": 1})
    assert response.status_code == 200
    assert (response.json()["kind"], response.json()["uscc"], response.json()["version"]) == (
        "hotline",
        uscc,
        2,
    )

    taken = post_json(
        client, f"{ORGS}/departments/{other_department.pk}/reclassify", {"uscc": uscc, "version": 1}
    )
    assert taken.status_code == 422
    assert taken.json()["error"]["fields"] == {"uscc": "该统一社会信用代码已被其他部门使用"}

    for body in ({"kind": "bureau", "version": 2}, {"uscc": uscc[:-1] + "I", "version": 2}):
        bad = post_json(client, url, body)
        assert bad.status_code == 422 and set(bad.json()["error"]["fields"]) == set(body) - {"version"}

    assert post_json(client, url, {"kind": "other", "version": 1}).status_code == 409


# --- admin -------------------------------------------------------------------------------------
def admin_form(department: Department, **overrides) -> dict:
    data = {
        "name": department.name,
        "short_name": department.short_name,
        "parent": department.parent_id or "",
        "kind": department.kind,
        "uscc": department.uscc or "",
        "is_active": "on",
        "sort_order": str(department.sort_order),
        "expected_version": str(department.version),
    }
    data.update(overrides)
    return data


def test_the_admin_change_form_moves_and_reclassifies_through_the_services(client, sys_admin, tree):
    client.force_login(sys_admin)
    moved = tree["moved"]
    uscc = factories.make_uscc()
    form = admin_form(
        moved, name="乡村振兴帮扶科", parent=tree["new_parent"].pk, kind="institution", uscc=uscc
    )

    response = client.post(f"/admin/orgs/department/{moved.pk}/change/", form)

    assert response.status_code == 302
    moved = fresh(moved)
    assert (moved.name, moved.parent_id, moved.kind, moved.uscc) == (
        "乡村振兴帮扶科",
        tree["new_parent"].pk,
        "institution",
        uscc,
    )
    assert moved.version == 4  # one version per service: updated, moved, reclassified
    assert fresh(tree["grandchild"]).path.startswith(tree["new_parent"].path)
    actions = set(AuditRecord.objects.values_list("action", flat=True))
    assert {"orgs.department.updated", "orgs.department.moved", "orgs.department.reclassified"} <= actions


def test_the_admin_change_form_shows_a_cycle_beside_the_parent_and_writes_nothing(client, sys_admin, tree):
    client.force_login(sys_admin)
    moved = tree["moved"]
    form = admin_form(moved, name="改名不应生效", parent=tree["grandchild"].pk)

    response = client.post(f"/admin/orgs/department/{moved.pk}/change/", form)

    assert response.status_code == 200
    assert "不能移到本部门或其下级部门之下" in response.content.decode()
    assert response.context["adminform"].form.errors["parent"] == ["不能移到本部门或其下级部门之下"]
    assert (fresh(moved).name, fresh(moved).parent_id) == ("帮扶科", tree["old_parent"].pk)
    assert not AuditRecord.objects.filter(action__startswith="orgs.department.").exists()


def test_the_admin_change_form_keeps_the_division_read_only(client, sys_admin, department):
    client.force_login(sys_admin)

    page = client.get(f"/admin/orgs/department/{department.pk}/change/").content.decode()

    assert 'name="parent"' in page and 'name="kind"' in page and 'name="uscc"' in page
    assert 'name="division"' not in page


def test_an_admin_post_without_the_restructuring_fields_keeps_parent_kind_and_uscc(client, sys_admin, tree):
    client.force_login(sys_admin)
    child = tree["child"]
    form = admin_form(child, name="帮扶二股")
    for name in ("parent", "kind", "uscc"):
        del form[name]

    assert client.post(f"/admin/orgs/department/{child.pk}/change/", form).status_code == 302

    child = fresh(child)
    assert (child.name, child.parent_id, child.kind) == ("帮扶二股", tree["moved"].pk, "government")
    assert not AuditRecord.objects.filter(action="orgs.department.moved").exists()


def test_a_move_that_would_overflow_the_path_column_is_refused(sys_admin, tree, monkeypatch):
    # The column holds 255 characters; a deeper new parent must not silently truncate paths.
    longest = len(fresh(tree["grandchild"]).path)
    monkeypatch.setattr(restructure, "_PATH_MAX", longest)

    with pytest.raises(InvalidInput) as caught:
        restructure.department_move(
            actor=sys_admin, department=tree["moved"], new_parent=tree["sibling"], expected_version=1
        )

    assert caught.value.fields == {"parent_id": "部门层级过深，无法移到该上级部门之下"}
    assert fresh(tree["moved"]).parent_id == tree["old_parent"].pk
