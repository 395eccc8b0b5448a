"""The loader's further rules: many problems at once, required fields, YAML safety, code
shapes, suspend/return/terminate semantics and joins — each problem named with where it is."""

from __future__ import annotations

import pytest
from django.conf import settings

from yiwang.workflow.loader import DefinitionInvalid, parse_definition
from yiwang.workflow.tests.helpers import SAMPLE, SOURCE, dump, problems_of, sample

pytestmark = pytest.mark.django_db


def test_three_problems_are_all_reported_in_one_pass():
    data = sample()
    data["states"]["market_review"]["time_limit"]["unit"] = "days"
    data["states"]["decision"]["roles"] = ["judge"]
    data["actions"]["refuse"] = {"name": "不予受理", "from": "decision", "to": "refused"}
    problems = problems_of(data)
    assert problems == [
        (
            "states.market_review.time_limit.unit",
            "时限单位“days”无效，可用：working_days、working_hours、natural_days、natural_hours",
        ),
        ("actions.refuse.to", "节点“refused”不存在"),
        ("states.decision.roles", "角色“judge”不存在"),
    ]


def test_a_resume_must_follow_a_suspend_and_a_suspend_must_reach_a_task():
    data = sample()
    data["actions"]["market_supplemented"]["from"] = "decision"
    data["actions"]["market_ask_supplement"]["to"] = "approved"
    assert (
        "actions.market_supplemented.from",
        "恢复动作只能从暂停（suspend）后的等待节点执行，“decision”不是",
    ) in (problems_of(data))
    assert ("actions.market_ask_supplement.to", "暂停动作应到达一个等待中的办理（task）节点") in problems_of(
        data
    )


def test_missing_required_fields_are_named():
    assert problems_of({"code": "x.y"}) == [
        ("name", "必填"),
        ("initial", "必填"),
        ("states", "必填"),
        ("actions", "必填"),
    ]


def test_broken_yaml_and_unsafe_tags_are_refused_without_loading_anything():
    with pytest.raises(DefinitionInvalid) as broken:
        parse_definition("code: [x\nname: y", source=SOURCE)
    assert broken.value.problems[0].message.startswith("YAML 格式错误")
    with pytest.raises(DefinitionInvalid) as unsafe:
        parse_definition("code: !!python/object/apply:os.system ['true']", source=SOURCE)
    assert unsafe.value.problems[0].message.startswith("YAML 格式错误")


def test_a_problem_names_its_file():
    data = sample()
    data["states"]["decision"]["roles"] = ["judge"]
    with pytest.raises(DefinitionInvalid) as invalid:
        parse_definition(dump(data), source="services/processes/x.yaml")
    assert str(invalid.value) == "services/processes/x.yaml: states.decision.roles: 角色“judge”不存在"


def test_a_key_on_the_wrong_kind_of_state_is_refused():
    data = sample()
    data["states"]["approved"]["roles"] = ["approver"]
    assert problems_of(data) == [("states.approved.roles", "字段“roles”只用于 task 节点")]


def test_a_state_code_must_be_lower_case_english():
    data = sample()
    data["states"]["Archive"] = {"name": "归档", "kind": "end"}
    data["actions"]["archive"] = {"name": "归档", "from": "decision", "to": "Archive"}
    assert problems_of(data)[0] == (
        "states.Archive",
        "代码“Archive”无效：应以小写字母开头，只含小写字母、数字和下划线，不超过64个字符",
    )


def test_an_unknown_initial_state_is_named():
    data = sample()
    data["initial"] = "start"
    problems = problems_of(data)
    assert problems[0] == ("initial", "起始节点“start”不存在")


def test_a_join_continues_by_exactly_one_forward_action():
    data = sample()
    data["actions"]["to_archive"] = {"name": "直接办结", "from": "reviews_done", "to": "approved"}
    assert problems_of(data) == [
        ("states.reviews_done", "汇聚节点须有且只有一个离开它的 forward 动作（汇聚完成后自动执行）")
    ]


def test_a_fork_is_not_the_start_of_an_action():
    data = sample()
    data["actions"]["skip_reviews"] = {"name": "免审", "from": "parallel_review", "to": "decision"}
    assert problems_of(data) == [
        ("actions.skip_reviews.from", "并行节点“parallel_review”自动进入各分支，不能作为动作的起点")
    ]


def test_the_example_in_the_documentation_loads():
    text = (settings.REPO_DIR / "docs" / "workflow-definitions.md").read_text(encoding="utf-8")
    example = text.split("```yaml\n", 1)[1].split("```", 1)[0]
    assert problems_of(example) == []
    assert (
        parse_definition(example, source="doc").actions
        == parse_definition(SAMPLE.read_text(encoding="utf-8"), source="doc").actions
    )


def test_a_return_goes_back_to_a_state_passed_before():
    data = sample()
    data["actions"]["send_back_early"] = {
        "name": "退回",
        "kind": "return",
        "from": "market_review",
        "to": "decision",
    }
    assert problems_of(data) == [
        ("actions.send_back_early.to", "退回只能回到此前经过的节点：“decision”不在“market_review”之前")
    ]


def test_a_terminate_ends_the_process():
    data = sample()
    data["actions"]["stop"] = {
        "name": "终止",
        "kind": "terminate",
        "from": "decision",
        "to": "parallel_review",
    }
    assert problems_of(data) == [("actions.stop.to", "终止动作应到达结束（end）节点")]


@pytest.mark.parametrize(
    ("change", "where", "message"),
    [
        (
            ("states", "decision", "department", "mayor"),
            "states.decision.department",
            "应为 subject、initiator 或 param:<参数名>",
        ),
        (
            ("states", "decision", "person", "zhang"),
            "states.decision.person",
            "应为 param:<参数名>（启动流程时指定的人员）",
        ),
        (
            ("states", "decision", "kind", "gateway"),
            "states.decision.kind",
            "节点类型“gateway”无效，可用：task、fork、join、end",
        ),
        (
            ("states", "market_review", "warning", {"left": 0}),
            "states.market_review.warning.left",
            "剩余时限预警必须大于0",
        ),
        (
            ("states", "reviews_done", "join", {"mode": "most", "from": ["market_review", "fire_review"]}),
            "states.reviews_done.join.mode",
            "汇聚方式“most”无效，可用：all、any",
        ),
        (
            ("actions", "approve", "requires", ["signature"]),
            "actions.approve.requires",
            "必需输入“signature”无效，可用：opinion、attachments、reason",
        ),
        (
            ("actions", "approve", "kind", "jump"),
            "actions.approve.kind",
            "动作类型“jump”无效，可用：forward、return、suspend、resume、withdraw、terminate、escalate",
        ),
        (
            ("actions", "market_supplemented", "to", "market_review"),
            "actions.market_supplemented.to",
            "恢复（resume）动作回到暂停前的节点，不能指定 to",
        ),
        ((None, None, "subject", "Application"), "subject", "应为“应用标签.模型名”，如 services.application"),
    ],
)
def test_a_field_of_the_wrong_shape_is_named(change, where, message):
    data = sample()
    section, code, key, value = change
    (data if section is None else data[section][code])[key] = value
    assert problems_of(data) == [(where, message)]


def test_an_any_of_join_loads():
    data = sample()
    data["states"]["reviews_done"]["join"]["mode"] = "any"
    assert problems_of(data) == []


def test_only_the_listed_branch_ends_lead_into_a_join():
    data = sample()
    data["actions"]["review_again"] = {"name": "再次汇总", "from": "decision", "to": "reviews_done"}
    assert problems_of(data) == [
        ("actions.review_again.to", "节点“decision”不在汇聚节点“reviews_done”的 join.from 中")
    ]
