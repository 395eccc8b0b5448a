from yiwang.core.accounts.rbac import has_permission, scope_for
from yiwang.core.tests import factories


def test_department_admin_scope_covers_children_not_siblings(db, department, other_department):
    child = factories.create_department("政务服务中心", parent=department)
    admin = factories.create_official(department=department, role="dept_admin")
    scope = scope_for(admin, "accounts.user.view")
    assert scope.includes(department) and scope.includes(child)
    assert not scope.includes(other_department)
    assert not has_permission(admin, "orgs.division.manage")


def test_city_wide_post_reaches_every_department(db, sys_admin, other_department):
    assert scope_for(sys_admin, "accounts.user.view").includes(other_department)
