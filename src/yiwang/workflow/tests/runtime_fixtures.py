"""The sample parallel approval, loaded and staffed: market and fire departments review in
parallel, the subject's department decides."""

from __future__ import annotations

from dataclasses import dataclass
from io import StringIO

import pytest
from django.core.management import call_command

from yiwang.core.accounts.models import Permission, Role
from yiwang.core.tests import factories
from yiwang.workflow.models_runtime import Task, TaskStatus
from yiwang.workflow.services.runtime import instance_start

CODE = "workflow.parallel_approval"


@dataclass
class Staff:
    market: object
    fire: object
    subject_dept: object
    market_approver: object
    fire_approver: object
    decider: object
    clerk: object


@pytest.fixture
def staff(db, city, department, other_department):
    call_command("workflow", "load", stdout=StringIO())
    Role.objects.get(code="window_clerk").permissions.add(
        Permission.objects.get(code="workflow.instance.start")
    )
    subject_dept = factories.create_department("市行政审批局", division=city)
    return Staff(
        market=department,
        fire=other_department,
        subject_dept=subject_dept,
        market_approver=factories.create_official(
            department=department, role="approver", display_name="市场审查员"
        ),
        fire_approver=factories.create_official(
            department=other_department, role="approver", display_name="消防审查员"
        ),
        decider=factories.create_official(department=subject_dept, role="approver", display_name="决定人"),
        clerk=factories.create_official(
            department=subject_dept, role="window_clerk", display_name="窗口人员"
        ),
    )


def start(staff: Staff):
    return instance_start(
        actor=staff.clerk,
        definition_code=CODE,
        subject=staff.subject_dept,
        department=staff.subject_dept,
        params={"market_department": staff.market.pk, "fire_department": str(staff.fire.pk)},
    )


def open_task(instance, state: str) -> Task:
    return Task.objects.get(instance=instance, state=state, status__in=[TaskStatus.OPEN, TaskStatus.CLAIMED])


def uploaded(actor, task: Task) -> list[int]:
    """A real file the actor attaches to the task (an action may name only files they may see)."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from yiwang.core.files.services import file_attach
    from yiwang.core.files.tests.samples import PDF
    from yiwang.workflow.owner_types import TASK_OWNER

    upload = SimpleUploadedFile("补正材料.pdf", PDF, content_type="application/pdf")
    return [file_attach(actor=actor, owner_type=TASK_OWNER, owner_id=task.pk, upload=upload).pk]
