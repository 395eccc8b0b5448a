"""Django admin for master data: access from roles, saves through the services, no N+1,
personal data masked."""

from __future__ import annotations

import pytest
from django.urls import reverse

from yiwang.core.accounts.models import Post, Role, User
from yiwang.core.audit.models import AuditRecord
from yiwang.core.orgs.models import Department, Division, Grid
from yiwang.core.tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client, sys_admin):
    client.force_login(sys_admin)
    return client


def department_form(city, **overrides) -> dict:
    data = {
        "name": "市档案馆",
        "short_name": "",
        "division": city.pk,
        "parent": "",
        "kind": "institution",
        "uscc": factories.make_uscc(registrar="1", kind="2", division=city.code),
        "sort_order": "100",
    }
    data.update(overrides)
    return data


def test_sys_admin_opens_admin_index_and_department_changelist(admin_client, department):
    assert admin_client.get("/admin/").status_code == 200
    response = admin_client.get("/admin/orgs/department/")
    assert response.status_code == 200
    assert "市政务服务管理局" in response.content.decode()


def test_window_clerk_is_kept_out_of_admin(client, department):
    clerk = factories.create_official(department=department, role="window_clerk")
    client.force_login(clerk)
    for url in ("/admin/", "/admin/orgs/department/", "/admin/accounts/user/"):
        response = client.get(url)
        assert response.status_code in (302, 403)
        if response.status_code == 302:
            assert response["Location"].startswith("/admin/login/")


def test_django_groups_are_not_offered(admin_client):
    assert admin_client.get("/admin/auth/group/").status_code == 404


def test_own_password_change_goes_to_the_audited_page(admin_client):
    response = admin_client.get("/admin/password_change/")
    assert response.status_code == 302 and response["Location"] == reverse("web:me_password")


def test_creating_a_department_goes_through_the_service_and_is_audited(admin_client, sys_admin, city):
    response = admin_client.post("/admin/orgs/department/add/", department_form(city))
    assert response.status_code == 302
    created = Department.objects.get(name="市档案馆")
    assert created.path == f"/{created.pk}/"
    record = AuditRecord.objects.get(action="orgs.department.created")
    assert record.actor_id == sys_admin.pk and record.target_id == str(created.pk)


def test_a_bad_uscc_is_refused_with_the_chinese_reason_and_nothing_is_written(admin_client, city):
    good = factories.make_uscc(registrar="1", kind="1", division=city.code)
    wrong_check = good[:-1] + ("0" if good[-1] != "0" else "1")
    response = admin_client.post("/admin/orgs/department/add/", department_form(city, uscc=wrong_check))
    assert response.status_code == 200
    assert "统一社会信用代码校验位错误" in response.content.decode()
    assert not Department.objects.filter(name="市档案馆").exists()
    assert not AuditRecord.objects.filter(action="orgs.department.created").exists()


def department_change_form(*, name: str, expected_version: int) -> dict:
    return {
        "name": name,
        "short_name": "",
        "sort_order": "100",
        "is_active": "on",
        "expected_version": str(expected_version),
    }


def test_a_stale_department_edit_is_refused_not_lost(admin_client, department):
    url = f"/admin/orgs/department/{department.pk}/change/"
    form = department_change_form(name="新名称", expected_version=1)
    Department.objects.filter(pk=department.pk).update(name="别人改的名称", version=2)
    response = admin_client.post(url, form)
    assert response.status_code == 200
    assert "数据已被他人修改" in response.content.decode()
    assert Department.objects.get(pk=department.pk).name == "别人改的名称"


def test_renaming_a_department_is_audited(admin_client, department):
    url = f"/admin/orgs/department/{department.pk}/change/"
    form = department_change_form(name="市政务服务数据管理局", expected_version=department.version)
    assert admin_client.post(url, form).status_code == 302
    department.refresh_from_db()
    assert department.name == "市政务服务数据管理局" and department.version == 2
    assert (
        AuditRecord.objects.get(action="orgs.department.updated").changes["name"][1] == "市政务服务数据管理局"
    )


def test_a_division_code_must_extend_its_parent(admin_client, city):
    response = admin_client.post(
        "/admin/orgs/division/add/", {"code": "110105", "name": "错区", "parent": city.pk}
    )
    assert response.status_code == 200
    assert "未以上级代码" in response.content.decode()
    response = admin_client.post(
        "/admin/orgs/division/add/", {"code": "330102", "name": "上城区", "parent": city.pk}
    )
    assert response.status_code == 302
    assert Division.objects.get(code="330102").level == "county"
    assert AuditRecord.objects.filter(action="orgs.division.created").count() == 1


def test_a_grid_boundary_must_be_a_closed_polygon(admin_client, city):
    district = factories.create_division("330102", "上城区", parent=city)
    open_ring = '{"type": "Polygon", "coordinates": [[[120, 30], [120.1, 30], [120.1, 30.1], [120, 30.1]]]}'
    data = {
        "code": "33010200100101",
        "name": "第一网格",
        "division": district.pk,
        "department": "",
        "boundary": open_ring,
    }
    response = admin_client.post("/admin/orgs/grid/add/", data)
    assert response.status_code == 200
    assert "首尾闭合" in response.content.decode()
    data["boundary"] = open_ring.replace("[120, 30.1]]", "[120, 30.1], [120, 30]]")
    assert admin_client.post("/admin/orgs/grid/add/", data).status_code == 302
    assert Grid.objects.get(code="33010200100101").boundary["type"] == "Polygon"


def test_changelists_do_not_grow_queries_with_rows(admin_client, city, django_assert_max_num_queries):
    parent = factories.create_department("市政府", division=city)
    for n in range(30):
        factories.create_department(f"部门{n}", parent=parent)
        factories.create_official(department=parent, role="handler")
    for url in (
        "/admin/orgs/department/",
        "/admin/orgs/division/",
        "/admin/orgs/grid/",
        "/admin/accounts/user/",
        "/admin/accounts/role/",
        "/admin/accounts/permission/",
    ):
        with django_assert_max_num_queries(10):  # 7–8 whatever the number of rows
            assert admin_client.get(url).status_code == 200


def test_user_list_shows_personal_data_masked_only(admin_client):
    id_number = factories.make_id_number(division="110105")
    person = factories.create_citizen(display_name="赵六", id_number=id_number, phone="13912345678")
    html = admin_client.get("/admin/accounts/user/").content.decode()
    assert "139****5678" in html and id_number[:6] + "********" + id_number[-4:] in html
    assert "13912345678" not in html and id_number not in html
    assert person.phone_encrypted not in html
    detail = admin_client.get(f"/admin/accounts/user/{person.pk}/change/").content.decode()
    assert "13912345678" not in detail and id_number not in detail and person.phone_encrypted not in detail
    assert "id_number_encrypted" not in detail and 'name="password"' not in detail


def test_a_person_is_found_by_full_phone_through_the_blind_index(admin_client):
    factories.create_citizen(display_name="钱七", phone="13700001111")
    factories.create_citizen(display_name="孙八", phone="13700002222")
    html = admin_client.get("/admin/accounts/user/", {"q": "13700001111"}).content.decode()
    assert "钱七" in html and "孙八" not in html


def official_form(department, **overrides) -> dict:
    data = {
        "username": "newclerk",
        "display_name": "周九",
        "password1": "Yiwang@2026",
        "password2": "Yiwang@2026",
        "department": department.pk,
        "role": Role.objects.get(code="window_clerk").pk,
        "phone": "",
        "email": "",
    }
    data.update(overrides)
    return data


def test_adding_an_official_creates_account_and_post_through_the_services(admin_client, department):
    role = Role.objects.get(code="window_clerk")
    response = admin_client.post("/admin/accounts/user/add/", official_form(department))
    assert response.status_code == 302
    user = User.objects.get(username="newclerk")
    assert user.check_password("Yiwang@2026")
    assert Post.objects.filter(user=user, department=department, role=role).exists()
    assert {"core.user.created", "core.post.granted"} <= set(
        AuditRecord.objects.values_list("action", flat=True)
    )


def test_a_weak_password_is_refused_in_chinese(admin_client, department):
    form = official_form(
        department, username="weak", display_name="吴十", password1="abcdefgh", password2="abcdefgh"
    )
    response = admin_client.post("/admin/accounts/user/add/", form)
    assert response.status_code == 200
    assert "密码须包含" in response.content.decode()
    assert not User.objects.filter(username="weak").exists()


def _post_formset(post: Post | None, extra: list[dict]) -> dict:
    rows = ([{"id": post.pk, "department": post.department_id, "role": post.role_id}] if post else []) + extra
    data = {
        "display_name": "王五",
        "is_active": "on",
        "posts-TOTAL_FORMS": str(len(rows)),
        "posts-INITIAL_FORMS": "1" if post else "0",
        "posts-MIN_NUM_FORMS": "0",
        "posts-MAX_NUM_FORMS": "1000",
    }
    for n, row in enumerate(rows):
        for key, value in row.items():
            data[f"posts-{n}-{key}"] = value
    return data


def test_posts_are_granted_and_revoked_inline_through_the_services(
    admin_client, department, other_department
):
    official = factories.create_official(department=department, role="handler")
    post = official.posts.get()
    data = _post_formset(
        post, [{"department": other_department.pk, "role": Role.objects.get(code="approver").pk}]
    )
    data["posts-0-DELETE"] = "on"
    data["expected_version"] = str(official.version)
    response = admin_client.post(f"/admin/accounts/user/{official.pk}/change/", data)
    assert response.status_code == 302, response.content.decode()[:2000]
    assert list(official.posts.values_list("department__name", "role__code")) == [("市公安局", "approver")]
    actions = list(AuditRecord.objects.values_list("action", flat=True))
    assert "core.post.revoked" in actions and "core.post.granted" in actions


def test_a_refused_post_grant_changes_nothing(client, department, other_department):
    manager = factories.create_official(department=department, role="dept_admin")
    manager_admin_access = Role.objects.get(code="dept_admin")
    manager_admin_access.permissions.add(
        *Role.objects.get(code="sys_admin").permissions.filter(code="core.admin.access")
    )
    colleague = factories.create_official(department=department, role="handler")
    client.force_login(manager)
    data = _post_formset(
        colleague.posts.get(),
        [{"department": other_department.pk, "role": Role.objects.get(code="handler").pk}],
    )
    data["display_name"] = "改了名字"
    response = client.post(f"/admin/accounts/user/{colleague.pk}/change/", data)
    assert response.status_code == 200
    assert "无权管理该部门的人员" in response.content.decode()
    colleague.refresh_from_db()
    assert colleague.display_name == "王五"  # the valid part of the form was rolled back too
    assert colleague.posts.count() == 1


def test_role_permission_edits_are_audited(admin_client):
    role = Role.objects.get(code="leader")
    before = set(role.permissions.values_list("pk", flat=True))
    added = Role.objects.get(code="sys_admin").permissions.exclude(pk__in=before).first()
    data = {
        "name": role.name,
        "description": role.description,
        "permissions": [str(pk) for pk in before | {added.pk}],
    }
    assert admin_client.post(f"/admin/accounts/role/{role.pk}/change/", data).status_code == 302
    record = AuditRecord.objects.get(action="core.role.updated")
    assert record.changes["permissions_added"] == [added.code]
    assert record.changes["permissions_removed"] == []


def test_password_reset_in_admin_is_audited(admin_client, department):
    official = factories.create_official(department=department, role="handler")
    url = reverse("admin:auth_user_password_change", args=[official.pk])
    response = admin_client.post(
        url, {"password1": "Neu@Passwort1", "password2": "Neu@Passwort1", "usable_password": "true"}
    )
    assert response.status_code == 302
    official.refresh_from_db()
    assert official.check_password("Neu@Passwort1")
    assert AuditRecord.objects.get(action="core.user.password_reset").target_id == str(official.pk)


def test_change_pages_open_for_every_kind_of_user(admin_client, department):
    enterprise = factories.create_enterprise()
    citizen = factories.create_citizen()
    official = factories.create_official(department=department, role="handler")
    for user in (enterprise, citizen, official):
        assert admin_client.get(f"/admin/accounts/user/{user.pk}/change/").status_code == 200
    for url in (
        f"/admin/orgs/department/{department.pk}/change/",
        f"/admin/orgs/division/{department.division_id}/change/",
        "/admin/orgs/department/add/",
        "/admin/orgs/grid/add/",
        "/admin/orgs/division/add/",
        "/admin/accounts/user/add/",
        "/admin/accounts/role/add/",
    ):
        assert admin_client.get(url).status_code == 200, url


def test_an_admin_without_manage_rights_sees_master_data_read_only(client, department):
    viewer_role = Role.objects.create(code="auditor", name="审计员")
    viewer_role.permissions.add(
        *Role.objects.get(code="sys_admin").permissions.filter(code="core.admin.access")
    )
    viewer = factories.create_official(department=department, role="auditor")
    client.force_login(viewer)
    page = client.get(f"/admin/orgs/department/{department.pk}/change/")
    assert page.status_code == 200 and 'name="name"' not in page.content.decode()
    response = client.post(f"/admin/orgs/department/{department.pk}/change/", {"name": "改名"})
    assert response.status_code == 403
    assert Department.objects.get(pk=department.pk).name == department.name


def test_permissions_are_shown_but_never_added_or_edited_in_admin(admin_client):
    permission = Role.objects.get(code="sys_admin").permissions.get(code="core.admin.access")
    assert admin_client.get("/admin/accounts/permission/add/").status_code == 403
    page = admin_client.get(f"/admin/accounts/permission/{permission.pk}/change/")
    assert page.status_code == 200 and 'name="name"' not in page.content.decode()
    response = admin_client.post(f"/admin/accounts/permission/{permission.pk}/change/", {"name": "改名"})
    assert response.status_code == 403
    permission.refresh_from_db()
    assert permission.name != "改名"
