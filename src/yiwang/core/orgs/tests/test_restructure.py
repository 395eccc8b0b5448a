"""机构改革: moving a department rewrites its subtree's paths (and so every scope), through the
services and the API."""

from __future__ import annotations

import threading

import pytest
from django.db import connection, connections

from yiwang.core.accounts.rbac import scope_for
from yiwang.core.audit.models import AuditRecord
from yiwang.core.errors import Conflict, InvalidInput, PermissionDenied
from yiwang.core.orgs import restructure
from yiwang.core.orgs.models import Department
from yiwang.core.orgs.tests.restructure_helpers import ORGS, fresh, post_json
from yiwang.core.tests import factories


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
