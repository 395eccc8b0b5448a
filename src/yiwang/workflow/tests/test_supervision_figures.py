"""电子监察 figures and the overdue list (issue 3 §5) over a month whose numbers are known by hand
(see supervision_fixtures.py for what each task and instance is)."""

from __future__ import annotations

from datetime import date

import pytest
import time_machine

from yiwang.core.errors import InvalidInput, NotFound, PermissionDenied
from yiwang.workflow import clock
from yiwang.workflow.selectors_supervision import overdue_list, supervision_figures, supervision_scope
from yiwang.workflow.services.supervision import notice_acknowledge, notice_press
from yiwang.workflow.tests import runtime_fixtures, supervision_fixtures
from yiwang.workflow.tests.supervision_fixtures import NOW, end_of

pytestmark = pytest.mark.django_db
staff = runtime_fixtures.staff  # fixtures, used by name
month, leader = supervision_fixtures.month, supervision_fixtures.leader
market_supervisor = supervision_fixtures.market_supervisor
fire_supervisor = supervision_fixtures.fire_supervisor
COUNTS = ("open", "warning", "overdue", "completed", "on_time", "early")


def figures(actor, **filters):
    with time_machine.travel(NOW, tick=False):
        return supervision_figures(actor=actor, **filters)


def counts(row) -> tuple:
    return tuple(row[name] for name in COUNTS)


def test_department_rows_count_tasks_with_on_time_early_and_average_days(staff, month, leader):
    result = figures(leader)
    assert result["period"] == {"start": date(2026, 11, 1), "end": date(2026, 11, 20)}
    rows = {row["key"]: row for row in result["by_department"]}
    assert set(rows) == {staff.market.pk, staff.fire.pk, staff.subject_dept.pk}
    market = rows[staff.market.pk]
    # 3 on time (one early, one done on its due day, one without a limit), 1 late; 2 open, 1 overdue.
    assert market["name"] == "市政务服务管理局"
    assert counts(market) == (2, 0, 1, 4, 3, 1)
    assert market["on_time_rate"] == pytest.approx(0.75)
    assert market["early_rate"] == pytest.approx(0.25)
    assert market["avg_working_days"] == pytest.approx(4.0)  # (2 + 4 + 6) / 3: t3 has no used time
    # The fire task of a completed instance is not open work.
    assert counts(rows[staff.fire.pk]) == (1, 1, 0, 0, 0, 0)
    assert rows[staff.fire.pk]["on_time_rate"] is None and rows[staff.fire.pk]["avg_working_days"] is None
    # A task without a candidate department counts under its instance's department.
    assert counts(rows[staff.subject_dept.pk]) == (1, 0, 1, 0, 0, 0)
    totals = result["totals"]
    assert counts(totals) == (4, 1, 2, 4, 3, 1)
    assert totals["avg_working_days"] == pytest.approx(4.0)


def test_process_rows_count_instances_and_only_completed_ones_are_done(staff, month, leader):
    (row,) = figures(leader)["by_process"]
    assert row["key"] == runtime_fixtures.CODE and row["name"] == "并联审批（示例）"
    # i1 early, i2 late; i3 terminated and i6 (October) do not count; i4, i5 open.
    assert counts(row) == (2, 1, 1, 2, 1, 1)
    assert row["on_time_rate"] == pytest.approx(0.5) and row["early_rate"] == pytest.approx(0.5)
    assert row["avg_working_days"] == pytest.approx(6.0)


def test_the_period_decides_what_completed_work_counts_but_open_work_counts_now(staff, month, leader):
    october = figures(leader, start=date(2026, 10, 1), end=date(2026, 10, 31))
    market = next(r for r in october["by_department"] if r["key"] == staff.market.pk)
    assert counts(market) == (2, 0, 1, 1, 1, 1)  # t7 only: done 10-20, due 10-22
    assert market["avg_working_days"] == pytest.approx(1.0)
    (process,) = october["by_process"]
    assert counts(process) == (2, 1, 1, 1, 1, 1)  # i6 only


def test_a_supervisor_of_one_department_sees_only_its_rows(staff, month, market_supervisor):
    result = figures(market_supervisor)
    assert [row["key"] for row in result["by_department"]] == [staff.market.pk]
    assert result["by_process"] == []  # the instances belong to the subject department
    assert counts(result["totals"]) == (2, 0, 1, 4, 3, 1)
    with pytest.raises(NotFound):
        figures(market_supervisor, department_id=staff.fire.pk)


def test_filters_by_department_and_process(staff, month, leader):
    fire = figures(leader, department_id=staff.fire.pk)
    assert [row["key"] for row in fire["by_department"]] == [staff.fire.pk]
    assert fire["by_process"] == []
    nothing = figures(leader, process="workflow.no_such_process")
    assert nothing["by_department"] == [] and nothing["by_process"] == []
    assert counts(nothing["totals"]) == (0,) * 6 and nothing["totals"]["on_time_rate"] is None


def test_an_approver_without_the_permission_is_refused(staff, month):
    assert supervision_scope(staff.market_approver).empty
    with pytest.raises(PermissionDenied, match="查看电子监察"):
        figures(staff.market_approver)
    with pytest.raises(PermissionDenied):
        overdue_list(actor=staff.market_approver)


def test_end_before_start_names_the_field(month, leader):
    with pytest.raises(InvalidInput) as refused:
        figures(leader, start=date(2026, 11, 10), end=date(2026, 11, 1))
    assert "end" in refused.value.fields


def test_counting_is_a_fixed_handful_of_queries(month, leader, django_assert_max_num_queries):
    with django_assert_max_num_queries(7):  # grants; per table: grouped rows, names, totals
        figures(leader)


def test_overdue_rows_cost_no_query_each_beyond_one_calendar_reading_per_due_time(
    staff, month, leader, django_assert_max_num_queries
):
    for _ in range(5):  # five more overdue tasks due the same day as t5
        supervision_fixtures.add_task(
            month.instances[4], staff.market, clock_status="overdue", due_at=end_of(11, 10)
        )
    with time_machine.travel(NOW, tick=False), django_assert_max_num_queries(7):
        assert len(overdue_list(actor=leader)) == 7


def test_overdue_list_is_most_overdue_first_with_the_responsible_person(staff, month, leader):
    tasks = month.tasks
    with time_machine.travel(NOW, tick=False):
        notice = notice_press(
            actor=supervision_fixtures.factories.create_official(
                department=staff.subject_dept, role="supervisor", city_wide=True
            ),
            instance=month.instances[4],
            task=tasks["t5"],
            message="请加快办理",
        )
        rows = overdue_list(actor=leader)
    assert [r["task_id"] for r in rows] == [tasks["t5"].pk, tasks["s1"].pk]  # f2's instance is done
    first, second = rows
    assert first["responsible"] == "待签收（市政务服务管理局）" and first["responsible_id"] is None
    assert first["department"] == "市政务服务管理局" and first["state_name"] == "市场监管局审查"
    assert first["process_name"] == "并联审批（示例）"
    assert first["due_at"] == end_of(11, 10)
    # From the end of 11-10 to 11-20 noon: 11-11..13 and 11-16..19 whole, 11-20 morning.
    assert first["overdue_working_days"] == clock.used_working_days(end_of(11, 10), NOW)
    assert 7 < first["overdue_working_days"] < 8
    assert (first["notices"], first["pending_notice"]) == (1, True)
    assert second["responsible"] == "决定人" and second["responsible_id"] == staff.decider.pk
    assert second["department_id"] == staff.subject_dept.pk
    assert (second["notices"], second["pending_notice"]) == (0, False)

    with time_machine.travel(NOW, tick=False):
        notice_acknowledge(
            actor=staff.market_approver, notice=notice, reply="已办理", expected_version=notice.version
        )
        assert overdue_list(actor=leader)[0]["pending_notice"] is False


def test_overdue_list_is_scoped(staff, month, market_supervisor, fire_supervisor):
    with time_machine.travel(NOW, tick=False):
        assert [r["task_id"] for r in overdue_list(actor=market_supervisor)] == [month.tasks["t5"].pk]
        assert overdue_list(actor=fire_supervisor) == []
