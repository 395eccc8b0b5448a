"""The timeline (issue 3 §6): who did what, when, with which opinion and attachments, and the
time used against the time allowed, per step and for the whole process."""

from __future__ import annotations

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from yiwang.core.errors import NotFound
from yiwang.core.files.services import file_attach
from yiwang.core.tests import factories
from yiwang.workflow import timeline
from yiwang.workflow.models_runtime import EventKind, ProcessInstance
from yiwang.workflow.services import engine
from yiwang.workflow.tests import runtime_fixtures, timeline_flow
from yiwang.workflow.tests.runtime_fixtures import open_task, start
from yiwang.workflow.tests.timeline_flow import PDF, act, at, walk

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("memory_storage")]
staff = runtime_fixtures.staff  # the fixtures, used by name
memory_storage = timeline_flow.memory_storage


def timeline_of(actor, instance):
    fresh = timeline.instance_get_for_actor(actor=actor, instance_id=instance.pk)
    return timeline.instance_timeline(actor=actor, instance=fresh)


def test_steps_show_who_did_what_in_order_with_opinions_reasons_and_attachments(staff):
    done = walk(staff)
    with time_machine.travel(at(11, 9), tick=False):
        shown = timeline_of(staff.market_approver, done.instance)
    assert [(s.state_name, s.who, s.action_name, s.status_name) for s in shown.steps] == [
        ("市场监管局审查", "市场审查员", "补正", "已办理"),
        ("消防审查", "消防审查员", "同意", "已办理"),
        ("补正中（市场监管局）", "窗口人员", "补正完成", "已办理"),
        ("市场监管局审查", "市场审查员", "同意", "已办理"),
        ("审批决定", "待签收", "", "待签收"),
    ]
    first, fire, supplement, second, decision = shown.steps
    assert (first.reason, first.action_kind) == ("缺少营业执照副本", "suspend")
    assert fire.opinion == "消防设施符合要求" and fire.department == "市公安局"
    assert fire.claimed_at == at(11, 2, 11) and fire.completed_at == at(11, 4)
    assert second.opinion == "材料齐全，同意"
    assert (supplement.branch_name, supplement.department) == ("市场监管局审查", "市行政审批局")
    assert decision.branch_name == "" and decision.department == "市行政审批局"
    (file,) = supplement.attachments
    assert (file.name, file.size) == ("营业执照副本.pdf", len(PDF))
    assert file.url == reverse("files:download", args=[file.id])
    assert (shown.process_name, shown.version, shown.status_name) == ("并联审批（示例）", 1, "办理中")


def test_time_used_is_shown_against_the_time_allowed_for_each_step_and_the_whole_process(staff):
    done = walk(staff)
    with time_machine.travel(at(11, 9), tick=False):  # Monday; the decision opened on Friday
        shown = timeline_of(staff.decider, done.instance)
    first, fire, supplement, second, decision = shown.steps
    assert (fire.used, fire.allowed) == (2.0, "5个工作日")  # Mon 10:00 → Wed 10:00
    assert (first.used, second.used) == (1.0, 1.0)
    assert (supplement.allowed, supplement.clock_name) == ("", "无时限")
    assert (decision.used, decision.allowed, decision.clock_status) == (1.0, "3个工作日", "normal")
    # Mon 11-02 → Mon 11-09 is five working days; the two days of 补正 do not count.
    assert (shown.used, shown.allowed) == (3.0, "20个工作日")
    assert shown.clock_status == "normal" and shown.due_at is not None


def test_an_approved_instance_shows_its_outcome_and_the_time_it_took(staff):
    done = walk(staff)
    with time_machine.travel(at(11, 10), tick=False):
        act(staff.decider, done.decision, "approve", opinion="准予")
    with time_machine.travel(at(11, 20), tick=False):  # later reads show the time it took, not more
        shown = timeline_of(staff.clerk, done.instance)
    assert (shown.status_name, shown.outcome_name, shown.ended_at) == ("已办结", "准予许可", at(11, 10))
    assert shown.used == 4.0  # Mon 11-02 → Tue 11-10: six working days, two of them 补正
    assert (shown.steps[-1].who, shown.steps[-1].used) == ("决定人", 2.0)


def test_a_step_done_after_its_due_time_shows_overdue(staff):
    with time_machine.travel(at(11, 2), tick=False):
        instance = start(staff)
    with time_machine.travel(at(11, 12), tick=False):  # due at the end of Mon 11-09
        act(staff.fire_approver, open_task(instance, "fire_review"), "fire_agree", opinion="同意")
        fire = next(s for s in timeline_of(staff.fire_approver, instance).steps if s.state == "fire_review")
    assert (fire.used, fire.clock_status, fire.clock_name) == (8.0, "overdue", "超期")


def test_notes_beside_the_steps_name_departments_and_people_in_words(staff):
    done = walk(staff)
    engine.record_event(
        instance=done.instance,
        actor=staff.decider,
        kind=EventKind.TRANSFER,
        task=done.decision,
        from_state="decision",
        reason="属消防事项",
        detail={"from_department": staff.subject_dept.pk, "to_department": staff.fire.pk},
    )
    engine.record_event(
        instance=done.instance,
        actor=staff.decider,
        kind=EventKind.COPY,
        opinion="请知悉",
        detail={"recipients": [staff.market_approver.pk, staff.fire_approver.pk]},
    )
    engine.record_event(
        instance=done.instance,
        actor=staff.clerk,
        kind=EventKind.PRESS,
        opinion="请加快办理",
        detail={"notice": 7, "department": staff.subject_dept.pk},
    )
    shown = timeline_of(staff.decider, done.instance)
    notes = {event.kind: event for event in shown.events}
    assert EventKind.ACT not in notes and EventKind.CLAIM not in notes  # those are the steps
    assert (notes["start"].actor, notes["start"].to_state_name) == ("窗口人员", "并联审查")
    auto = notes["auto"]
    assert (auto.actor, auto.action_name, auto.state_name, auto.to_state_name) == (
        "系统",
        "汇总审查意见",
        "审查汇总",
        "审批决定",
    )
    assert notes["transfer"].details == [("原部门", "市行政审批局"), ("转至部门", "市公安局")]
    assert notes["transfer"].reason == "属消防事项" and notes["transfer"].state_name == "审批决定"
    assert notes["copy"].details == [("抄送给", "市场审查员、消防审查员")]
    assert (notes["copy"].opinion_label, notes["copy"].opinion) == ("附言", "请知悉")
    assert notes["press"].details == [("被督办部门", "市行政审批局")]


def test_attachments_are_listed_only_to_those_who_may_download_them(staff):
    with time_machine.travel(at(11, 2), tick=False):
        instance = start(staff)
    own = file_attach(
        actor=staff.fire_approver,
        owner_type="accounts.user",
        owner_id=staff.fire_approver.pk,
        upload=SimpleUploadedFile("个人证件.pdf", PDF, content_type="application/pdf"),
    )
    act(
        staff.fire_approver,
        open_task(instance, "fire_review"),
        "fire_agree",
        opinion="同意",
        attachments=[own.pk],
    )

    def files_seen_by(actor):
        return [f.name for s in timeline_of(actor, instance).steps for f in s.attachments]

    assert files_seen_by(staff.fire_approver) == ["个人证件.pdf"]
    assert files_seen_by(staff.market_approver) == []  # sees the step, not another's personal file


def test_an_official_of_an_unrelated_department_may_not_see_the_instance(staff, city):
    instance = start(staff)
    stranger = factories.create_official(
        department=factories.create_department("市教育局", division=city), role="approver"
    )
    with pytest.raises(NotFound):
        timeline.instance_get_for_actor(actor=stranger, instance_id=instance.pk)
    with pytest.raises(NotFound):
        timeline.instance_timeline(actor=stranger, instance=ProcessInstance.objects.get(pk=instance.pk))
    assert timeline.instances_for_subject(actor=stranger, subject=staff.subject_dept) == []
    assert [
        i.pk for i in timeline.instances_for_subject(actor=staff.fire_approver, subject=staff.subject_dept)
    ] == [instance.pk]


def test_queries_do_not_grow_with_the_number_of_steps(staff, django_assert_max_num_queries):
    done = walk(staff)
    bound = 18  # seeing it 4, rows 3, the task files check 4, pauses 1, three live clocks 2 each
    with time_machine.travel(at(11, 9), tick=False), django_assert_max_num_queries(bound):
        assert len(timeline_of(staff.market_approver, done.instance).steps) == 5
    with time_machine.travel(at(11, 9, 11), tick=False):  # 退回重审: both branches again
        act(staff.decider, done.decision, "send_back", reason="消防意见需复核")
        act(staff.market_approver, open_task(done.instance, "market_review"), "market_agree", opinion="同意")
        act(staff.fire_approver, open_task(done.instance, "fire_review"), "fire_agree", opinion="同意")
    with time_machine.travel(at(11, 10), tick=False), django_assert_max_num_queries(bound):
        assert len(timeline_of(staff.market_approver, done.instance).steps) == 8
