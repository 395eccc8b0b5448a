"""`yiwang workflow load [--check]` and `yiwang workflow show CODE`."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from yiwang.workflow.models import ProcessDefinitionVersion
from yiwang.workflow.services import definitions
from yiwang.workflow.tests.helpers import SAMPLE, dump, sample

pytestmark = pytest.mark.django_db


def run(*args) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command("workflow", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


@pytest.fixture
def broken_file(tmp_path, monkeypatch):
    data = sample()
    data["states"]["market_review"]["time_limit"]["unit"] = "days"
    data["actions"]["approve"]["to"] = "aproved"
    path = tmp_path / "broken.yaml"
    path.write_text(dump(data), encoding="utf-8")
    monkeypatch.setattr(definitions, "definition_files", lambda: [SAMPLE, path])
    return path


def test_check_passes_on_the_shipped_files_and_stores_nothing():
    out, _ = run("load", "--check")
    assert "校验通过" in out
    assert not ProcessDefinitionVersion.objects.exists()


def test_check_exits_1_and_lists_every_problem(broken_file):
    with pytest.raises(CommandError) as failed:
        run("load", "--check")
    assert failed.value.returncode == 1
    assert "3处问题" in str(failed.value)
    with pytest.raises(CommandError):
        call_command("workflow", "load", "--check", stdout=StringIO(), stderr=(err := StringIO()))
    lines = err.getvalue().splitlines()
    assert f"{broken_file}: states.market_review.time_limit.unit: 时限单位“days”无效" in lines[0]
    assert lines[1] == f"{broken_file}: actions.approve.to: 节点“aproved”不存在"
    assert lines[2] == f"{broken_file}: states.approved: 从起始节点无法到达此节点"


def test_load_with_a_broken_file_stores_nothing(broken_file):
    with pytest.raises(CommandError):
        run("load")
    assert not ProcessDefinitionVersion.objects.exists()


def test_load_stores_then_reports_unchanged():
    out, _ = run("load")
    assert "workflow.parallel_approval v1：新版本（yiwang/workflow/processes/parallel_approval.yaml）" in out
    out, _ = run("load")
    assert "workflow.parallel_approval v1：未变化" in out
    assert ProcessDefinitionVersion.objects.filter(code="workflow.parallel_approval").count() == 1


def test_show_prints_the_current_version_with_its_states_and_actions():
    run("load")
    out, _ = run("show", "workflow.parallel_approval")
    assert "并联审批（示例）（workflow.parallel_approval）当前版本 v1" in out
    assert "  market_review 市场监管局审查 [task] · 时限 5工作日" in out
    assert "  market_supplemented 补正完成 [resume] market_supplement → （回到暂停前的节点）" in out


def test_show_of_an_unknown_process_says_so():
    with pytest.raises(CommandError, match="流程定义“nothing.here”尚未载入"):
        run("show", "nothing.here")


def test_check_of_named_files_only(tmp_path):
    good = tmp_path / "good.yaml"
    good.write_text(dump(sample()), encoding="utf-8")
    out, _ = run("load", "--check", str(good))
    assert "1个流程定义文件校验通过" in out
    bad = tmp_path / "bad.yaml"
    bad.write_text("code: x.y\n", encoding="utf-8")
    with pytest.raises(CommandError, match="4处问题"):
        run("load", "--check", str(good), str(bad))


def test_the_demo_lists_the_problems_of_a_broken_process_file_instead_of_a_traceback(db, monkeypatch):
    from django.core.management import CommandError, call_command

    from yiwang.workflow import demo
    from yiwang.workflow.problems import DefinitionInvalid, Problem

    def broken(*, actor):
        raise DefinitionInvalid([Problem(source="x.yaml", where="states.a", message="环节不可达")])

    monkeypatch.setattr(demo, "definition_load_all", broken)
    with pytest.raises(CommandError, match="环节不可达"):
        call_command("demo", verbosity=0)
