"""`yiwang demo`: the 电子监察 cases give the demo supervisor true figures, once."""

from __future__ import annotations

import io
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.management import call_command

from yiwang.core.accounts.models import Post, User
from yiwang.core.audit.models import AuditRecord
from yiwang.core.audit.verify import verify_chains
from yiwang.core.notify.models import Message
from yiwang.workflow import clock
from yiwang.workflow.models_runtime import (
    ClockStatus,
    InstanceEvent,
    InstanceStatus,
    ProcessInstance,
    Task,
    TaskStatus,
)
from yiwang.workflow.models_supervision import Accountability, SupervisionNotice
from yiwang.workflow.selectors import definition_of
from yiwang.workflow.selectors_supervision import overdue_list, supervision_figures

pytestmark = pytest.mark.django_db
SHANGHAI = ZoneInfo("Asia/Shanghai")
NOW = datetime(2026, 11, 20, 15, tzinfo=SHANGHAI)  # a Friday; the cases reach back to 10-16


@pytest.fixture(autouse=True)
def _quick_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def run_demo() -> None:
    with time_machine.travel(NOW, tick=False):
        call_command("demo", stdout=io.StringIO())


@pytest.fixture
def demo():
    run_demo()
    with time_machine.travel(NOW, tick=False):
        yield User.objects.get(username="supervisor")


def test_the_demo_supervisor_sees_every_kind_of_case(demo):
    figures = supervision_figures(actor=demo)  # this month, city-wide
    tasks, cases = figures["totals"], figures["process_totals"]
    assert tasks["overdue"] >= 1 and tasks["warning"] >= 1 and tasks["completed"] >= 3
    # The 12 parallel-approval cases of this demo, exactly; 一网通办's demo applications (issue 5)
    # run their own processes and add to the totals.
    parallel = next(row for row in figures["by_process"] if row["key"] == "workflow.parallel_approval")
    assert (parallel["completed"], parallel["on_time"], parallel["early"]) == (5, 4, 2)
    assert (parallel["open"], parallel["warning"], parallel["overdue"]) == (7, 1, 1)
    assert cases["completed"] >= 5 and cases["open"] >= 7
    rows = {row["name"]: row for row in figures["by_department"]}
    assert rows["市市场监督管理局"]["overdue"] >= 1 and rows["市应急管理局"]["completed"] >= 1
    # 补正 waits at the starter's department (`department: initiator`): the administrator's.
    assert rows["市大数据管理局"]["open"] == 1

    overdue = overdue_list(actor=demo)
    assert {row["responsible"] for row in overdue} == {"孙伟"}  # claimed: a person answers for each
    assert sum(row["pending_notice"] for row in overdue) == 1
    notices = SupervisionNotice.objects.all()
    assert notices.filter(acknowledged_at__isnull=True).count() == 1
    assert notices.filter(acknowledged_at__isnull=False, reply__contains="督促").count() == 1
    record = Accountability.objects.get()
    assert (record.kind, record.responsible.username, record.department.name) == (
        "overdue",
        "approver",
        "市应急管理局",
    )
    suspended = ProcessInstance.objects.get(
        status=InstanceStatus.SUSPENDED, definition_code="workflow.parallel_approval"
    )
    assert suspended.pauses.get().ended_at is None
    # The supervisor was told of what went late, as the sweep tells.
    assert Message.objects.filter(recipient=demo, title__startswith="督办：待办已超期").exists()


def test_the_figures_are_the_engines_own(demo):
    """Times, due times, clock states and used time agree, as if the cases had been lived."""
    for task in Task.objects.select_related("instance__definition"):
        state = definition_of(version=task.instance.definition).state(task.state)
        if task.status == TaskStatus.DONE:
            assert task.working_days_used == clock.used_working_days(task.created_at, task.completed_at)
            assert task.completed_at <= NOW
        elif task.status in (TaskStatus.OPEN, TaskStatus.CLAIMED) and state.time_limit is not None:
            expected = clock.status_at(
                NOW, started=task.created_at, due=task.due_at, limit=state.time_limit, warning=state.warning
            )
            assert task.clock_status == expected, task
            assert task.due_at == clock.due_from(task.created_at, state.time_limit)
    for instance in ProcessInstance.objects.filter(status=InstanceStatus.COMPLETED):
        assert instance.working_days_used == clock.instance_used_working_days(instance)
        assert instance.working_days_used > 0
    late = ProcessInstance.objects.get(accountabilities__isnull=False)
    assert late.clock_status == ClockStatus.OVERDUE and late.ended_at > late.due_at
    moments = list(InstanceEvent.objects.order_by("id").values_list("instance_id", "at"))
    for instance_id in {i for i, _ in moments}:
        times = [at for i, at in moments if i == instance_id]
        assert times == sorted(times) and times[-1] <= NOW
    # The audit log keeps the real time of loading: intact, and no chain runs backwards in time.
    assert verify_chains().intact
    for chain in AuditRecord.objects.values_list("chain", flat=True).distinct():
        times = list(
            AuditRecord.objects.filter(chain=chain).order_by("seq").values_list("created_at", flat=True)
        )
        assert times == sorted(times)


def test_running_the_demo_twice_creates_nothing_new(demo):
    def snapshot():
        return [
            model.objects.count()
            for model in (
                ProcessInstance,
                Task,
                InstanceEvent,
                SupervisionNotice,
                Accountability,
                Message,
                Post,
            )
        ]

    first = snapshot()
    run_demo()
    assert snapshot() == first
    assert Post.objects.filter(user__username="approver", department__name="市应急管理局").count() == 1
