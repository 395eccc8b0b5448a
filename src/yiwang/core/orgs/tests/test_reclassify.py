"""Correcting a department's kind and USCC, and restructuring through the admin form."""

from __future__ import annotations

import pytest

from yiwang.core import codes
from yiwang.core.audit.models import AuditRecord
from yiwang.core.errors import Conflict, InvalidInput
from yiwang.core.orgs import restructure
from yiwang.core.orgs.models import Department, DepartmentKind
from yiwang.core.orgs.tests.restructure_helpers import ORGS, fresh, post_json
from yiwang.core.tests import factories


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
