import pytest

from yiwang.core.audit import services as audit
from yiwang.core.tests import factories


@pytest.fixture
def supervisor(db, department):
    return factories.create_official(department=department, role="supervisor", display_name="赵监察")


@pytest.fixture
def window_clerk(db, department):
    return factories.create_official(department=department, role="window_clerk", display_name="钱窗口")


@pytest.fixture
def some_records(db, sys_admin, department, other_department):
    """Three records by two people on two objects."""
    audit.record(
        actor=sys_admin, action="orgs.department.updated", target=department, changes={"name": ["旧", "新"]}
    )
    audit.record(
        actor=sys_admin, action="accounts.user.locked", target=sys_admin, changes={"reason": "多次失败"}
    )
    audit.record(actor=None, action="orgs.department.created", target=other_department)
    return department, other_department
