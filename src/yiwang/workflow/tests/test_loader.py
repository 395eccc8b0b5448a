"""Process files are validated at load: every problem listed, with where it is (issue 3)."""

from __future__ import annotations

import pytest
from django.core.exceptions import ImproperlyConfigured

from yiwang.core.accounts.models import Role
from yiwang.workflow import hooks
from yiwang.workflow.definitions import ActionKind, JoinMode, Requirement, StateKind, TimeUnit
from yiwang.workflow.loader import parse_definition
from yiwang.workflow.tests.helpers import SAMPLE, problems_of, sample

pytestmark = pytest.mark.django_db


def test_the_sample_parallel_approval_loads_with_its_fork_join_and_clock_stops():
    definition = parse_definition(SAMPLE.read_text(encoding="utf-8"), source="parallel_approval.yaml")
    assert definition.code == "workflow.parallel_approval"
    assert definition.initial == "parallel_review"
    fork = definition.state("parallel_review")
    assert fork.kind == StateKind.FORK and fork.branches == ("market_review", "fire_review")
    join = definition.state("reviews_done")
    assert join.join_mode == JoinMode.ALL and join.joins == ("market_review", "fire_review")
    review = definition.state("market_review")
    assert review.assignment.roles == ("approver",)
    assert review.time_limit.amount == 5 and review.time_limit.unit == TimeUnit.WORKING_DAYS
    assert review.warning.share == 0.8 and review.warning.left == 1
    kinds = {action.code: action.kind for action in definition.actions}
    assert kinds["market_ask_supplement"] == ActionKind.SUSPEND
    assert kinds["market_supplemented"] == ActionKind.RESUME
    send_back = next(action for action in definition.actions if action.code == "send_back")
    assert send_back.kind == ActionKind.RETURN and Requirement.REASON in send_back.requires
    assert [e.notify for e in definition.escalations][0] == ("supervisor",)


def test_a_state_nothing_leads_to_is_unreachable():
    data = sample()
    data["states"]["archive"] = {"name": "归档", "time_limit": {"amount": 1, "unit": "working_days"}}
    data["actions"]["archive_done"] = {"name": "归档完成", "from": "archive", "to": "approved"}
    assert problems_of(data) == [("states.archive", "从起始节点无法到达此节点")]


def test_an_action_to_an_unknown_state_is_named():
    data = sample()
    data["actions"]["approve_now"] = {"name": "当场准予", "from": "decision", "to": "aproved"}
    assert problems_of(data) == [("actions.approve_now.to", "节点“aproved”不存在")]


def test_an_action_from_an_unknown_state_is_named():
    data = sample()
    data["actions"]["approve"]["from"] = ["decision", "decison"]
    assert problems_of(data) == [("actions.approve.from", "节点“decison”不存在")]


def test_a_join_whose_branches_do_not_come_from_one_fork_is_refused():
    data = sample()
    data["states"]["reviews_done"]["join"]["from"] = ["market_review"]
    assert problems_of(data) == [
        ("actions.fire_agree.to", "节点“fire_review”不在汇聚节点“reviews_done”的 join.from 中"),
        ("actions.fire_disagree.to", "节点“fire_review”不在汇聚节点“reviews_done”的 join.from 中"),
        (
            "states.reviews_done.join.from",
            "所汇聚的分支不都来自同一个并行节点：应为同一并行节点的每个分支各列出其最后一个节点",
        ),
    ]


def test_a_join_of_two_states_of_one_branch_is_refused():
    data = sample()
    data["states"]["market_recheck"] = {"name": "市场监管局复核", "roles": ["approver"]}
    data["actions"]["market_recheck"] = {"name": "复核", "from": "market_review", "to": "market_recheck"}
    data["actions"]["market_rechecked"] = {"name": "复核完成", "from": "market_recheck", "to": "reviews_done"}
    data["states"]["reviews_done"]["join"]["from"] = ["market_review", "market_recheck"]
    assert problems_of(data) == [
        ("actions.fire_agree.to", "节点“fire_review”不在汇聚节点“reviews_done”的 join.from 中"),
        ("actions.fire_disagree.to", "节点“fire_review”不在汇聚节点“reviews_done”的 join.from 中"),
        (
            "states.reviews_done.join.from",
            "所汇聚的分支不都来自同一个并行节点：应为同一并行节点的每个分支各列出其最后一个节点",
        ),
    ]


def test_an_unknown_role_is_named_and_a_role_added_in_the_database_is_known():
    data = sample()
    data["states"]["fire_review"]["roles"] = ["fire_inspector"]
    assert problems_of(data) == [("states.fire_review.roles", "角色“fire_inspector”不存在")]
    Role.objects.create(code="fire_inspector", name="消防检查员")
    assert problems_of(data) == []


def test_unknown_roles_in_actions_and_escalations_are_named():
    data = sample()
    data["actions"]["approve"]["roles"] = ["boss"]
    data["escalations"][0]["notify"] = ["supervisr"]
    assert problems_of(data) == [
        ("actions.approve.roles", "角色“boss”不存在"),
        ("escalations[0].notify", "角色“supervisr”不存在"),
    ]


def test_a_task_without_a_limit_is_refused_when_the_process_has_none():
    data = sample()
    del data["time_limit"]
    del data["states"]["fire_review"]["time_limit"]
    assert problems_of(data) == [
        ("states.fire_review.time_limit", "办理节点必须设定时限（或为整个流程设定 time_limit）")
    ]


def test_a_task_without_a_limit_runs_against_the_process_limit():
    data = sample()
    del data["states"]["fire_review"]["time_limit"]
    assert problems_of(data) == []


def test_a_misspelt_key_is_named_with_a_suggestion():
    data = sample()
    data["states"]["market_review"]["tme_limit"] = data["states"]["market_review"].pop("time_limit")
    assert problems_of(data) == [
        ("states.market_review.tme_limit", "未知字段“tme_limit”，是否应为“time_limit”")
    ]


def test_a_unit_that_is_not_a_time_unit_is_refused():
    data = sample()
    data["states"]["market_review"]["time_limit"]["unit"] = "workdays"
    assert problems_of(data) == [
        (
            "states.market_review.time_limit.unit",
            "时限单位“workdays”无效，可用：working_days、working_hours、natural_days、natural_hours",
        )
    ]


@pytest.mark.parametrize("amount", [0, -3])
def test_a_limit_must_be_positive(amount):
    data = sample()
    data["time_limit"]["amount"] = amount
    assert problems_of(data) == [("time_limit.amount", "时限必须大于0")]


def test_a_limit_in_days_must_be_whole_days():
    data = sample()
    data["states"]["decision"]["time_limit"]["amount"] = 1.5
    assert problems_of(data) == [("states.decision.time_limit.amount", "以日计的时限必须为整数")]


@pytest.mark.parametrize("share", [0, 1, 1.2])
def test_a_warning_share_must_lie_between_zero_and_one(share):
    data = sample()
    data["states"]["market_review"]["warning"]["share"] = share
    assert problems_of(data) == [
        ("states.market_review.warning.share", "预警比例必须在0与1之间（不含0和1），如0.8")
    ]


def test_a_fork_needs_two_branches():
    data = sample()
    data["states"]["parallel_review"]["branches"] = ["market_review"]
    assert ("states.parallel_review.branches", "并行节点至少要有两个分支") in problems_of(data)


def test_an_end_state_with_an_outgoing_action_is_refused():
    data = sample()
    data["actions"]["reopen"] = {"name": "重新审批", "from": "approved", "to": "decision"}
    assert problems_of(data) == [("states.approved", "结束节点不能再有动作（reopen）")]


def test_a_task_without_any_action_is_refused():
    data = sample()
    data["states"]["hearing"] = {"name": "听证", "roles": ["approver"]}
    data["actions"]["hold_hearing"] = {"name": "组织听证", "from": "decision", "to": "hearing"}
    assert problems_of(data) == [("states.hearing", "办理节点没有任何动作，流程会停在这里")]


def test_a_code_written_twice_is_refused_with_its_line():
    text = SAMPLE.read_text(encoding="utf-8")
    text = text.replace(
        "  send_back:\n",
        "  approve:\n    name: 再次准予\n    from: decision\n    to: approved\n  send_back:\n",
    )
    line = text.splitlines().index("  approve:", text.splitlines().index("  approve:") + 1) + 1
    assert problems_of(text) == [("actions.approve", f"“approve”重复出现（第{line}行）")]


def test_an_escalation_of_an_unknown_state_is_refused():
    data = sample()
    data["escalations"][0]["state"] = "market_reveiw"
    assert problems_of(data) == [("escalations[0].state", "节点“market_reveiw”不存在")]


def test_an_escalation_must_fire_an_escalate_action():
    data = sample()
    data["escalations"][2]["action"] = "approve"
    assert problems_of(data) == [("escalations[2].action", "动作“approve”不是升级（escalate）动作")]


def test_an_escalation_may_fire_an_escalate_action_from_its_state():
    data = sample()
    data["actions"]["escalate_decision"] = {
        "name": "提级审批",
        "kind": "escalate",
        "from": "decision",
        "to": "rejected",
    }
    data["escalations"][2]["action"] = "escalate_decision"
    assert problems_of(data) == []


def test_hooks_must_be_registered(monkeypatch):
    data = sample()
    data["actions"]["approve"]["guard"] = "tests.files_complete"
    data["actions"]["approve"]["effect"] = "tests.issue_licence"
    assert problems_of(data) == [
        ("actions.approve.guard", "条件钩子“tests.files_complete”未注册"),
        ("actions.approve.effect", "后续处理钩子“tests.issue_licence”未注册"),
    ]
    monkeypatch.setattr(hooks, "_GUARDS", {})
    monkeypatch.setattr(hooks, "_EFFECTS", {})
    hooks.register_guard("tests.files_complete", lambda **kwargs: True)
    hooks.register_effect("tests.issue_licence", lambda **kwargs: None)
    assert problems_of(data) == []


def test_a_hook_name_registered_twice_for_different_functions_is_a_configuration_error(monkeypatch):
    monkeypatch.setattr(hooks, "_GUARDS", {})
    hooks.register_guard("services.ready", print)
    hooks.register_guard("services.ready", print)  # the same registration again: harmless
    with pytest.raises(ImproperlyConfigured):
        hooks.register_guard("services.ready", repr)
