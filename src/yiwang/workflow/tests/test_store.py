"""Stored versions: a new version only when the text changed; all files valid or nothing stored."""

from __future__ import annotations

import pytest

from yiwang.core.audit.models import AuditRecord
from yiwang.core.errors import PermissionDenied
from yiwang.core.tests.factories import create_official
from yiwang.workflow import selectors
from yiwang.workflow.loader import DefinitionInvalid, parse_definition
from yiwang.workflow.models import ProcessDefinitionVersion
from yiwang.workflow.services.definitions import definition_load_all, definition_load_files, definition_store
from yiwang.workflow.tests.helpers import SAMPLE, dump, sample

pytestmark = pytest.mark.django_db

CODE = "workflow.parallel_approval"


def write(directory, name: str, data: dict | str):
    path = directory / name
    path.write_text(data if isinstance(data, str) else dump(data), encoding="utf-8")
    return path


def loaded_audits():
    return AuditRecord.objects.filter(action="workflow.definition.loaded")


def test_loading_all_finds_the_sample_in_the_workflow_package_and_audits_it():
    [loaded] = [item for item in definition_load_all() if item.version.code == CODE]
    version = ProcessDefinitionVersion.objects.get(code=CODE)
    assert loaded.status == "new" and loaded.version == version
    assert (version.version, version.is_current, version.name) == (1, True, "并联审批（示例）")
    assert version.source == "yiwang/workflow/processes/parallel_approval.yaml"
    assert version.text == SAMPLE.read_text(encoding="utf-8")
    audit = loaded_audits().get(target_id=str(version.pk))
    assert audit.changes["code"] == CODE and audit.changes["version"] == 1
    assert audit.changes["content_sha256"] == version.content_sha256


def test_reloading_an_unchanged_file_stores_nothing_new():
    definition_load_all()
    before = (ProcessDefinitionVersion.objects.count(), loaded_audits().count())
    statuses = {item.version.code: item.status for item in definition_load_all()}
    assert statuses[CODE] == "unchanged"
    assert (ProcessDefinitionVersion.objects.count(), loaded_audits().count()) == before


def test_a_changed_file_becomes_version_two_and_version_one_is_kept(tmp_path):
    path = write(tmp_path, "p.yaml", sample())
    [first] = definition_load_files(paths=[path])
    changed = sample()
    changed["states"]["decision"]["time_limit"]["amount"] = 5
    write(tmp_path, "p.yaml", changed)
    [second] = definition_load_files(paths=[path])
    assert (first.version.version, second.version.version, second.status) == (1, 2, "new")
    versions = selectors.definition_versions(code=CODE)
    assert [(v.version, v.is_current) for v in versions] == [(2, True), (1, False)]
    assert selectors.definition_of(version=versions[1]).state("decision").time_limit.amount == 3
    assert selectors.definition_version_current(code=CODE).version == 2
    assert loaded_audits().count() == 2


def test_going_back_to_an_earlier_text_makes_that_version_current_again(tmp_path):
    original = dump(sample())
    changed = sample()
    changed["name"] = "并联审批（改）"
    path = write(tmp_path, "p.yaml", original)
    definition_load_files(paths=[path])
    write(tmp_path, "p.yaml", changed)
    definition_load_files(paths=[path])
    write(tmp_path, "p.yaml", original)
    [restored] = definition_load_files(paths=[path])
    assert (restored.status, restored.version.version) == ("restored", 1)
    assert [(v.version, v.is_current) for v in selectors.definition_versions(code=CODE)] == [
        (2, False),
        (1, True),
    ]
    assert [a.changes["restored"] for a in loaded_audits().order_by("created_at")] == [False, False, True]


def test_a_broken_file_among_good_ones_stores_nothing_and_all_problems_are_listed(tmp_path):
    other = sample()
    other["code"] = "workflow.other"
    broken = sample()
    broken["code"] = "workflow.broken"
    broken["actions"]["approve"]["roles"] = ["nobody"]
    worse = "code: workflow.worse\nname: [\n"
    paths = [
        write(tmp_path, "a.yaml", sample()),
        write(tmp_path, "b.yaml", broken),
        write(tmp_path, "c.yaml", other),
        write(tmp_path, "d.yaml", worse),
    ]
    with pytest.raises(DefinitionInvalid) as invalid:
        definition_load_files(paths=paths)
    found = [(problem.source.rsplit("/", 1)[-1], problem.where) for problem in invalid.value.problems]
    assert found == [("b.yaml", "actions.approve.roles"), ("d.yaml", "")]
    assert not ProcessDefinitionVersion.objects.exists()
    assert not loaded_audits().exists()


def test_two_files_declaring_one_process_are_refused(tmp_path):
    paths = [write(tmp_path, "a.yaml", sample()), write(tmp_path, "b.yaml", sample())]
    with pytest.raises(DefinitionInvalid) as invalid:
        definition_load_files(paths=paths)
    [problem] = invalid.value.problems
    assert problem.where == "code" and problem.message.startswith("流程代码“workflow.parallel_approval”已在")
    assert not ProcessDefinitionVersion.objects.exists()


def test_storing_needs_the_manage_permission(department):
    text = SAMPLE.read_text(encoding="utf-8")
    parsed = parse_definition(text, source="p.yaml")
    approver = create_official(department=department, role="approver")
    with pytest.raises(PermissionDenied):
        definition_store(actor=approver, parsed=parsed, text=text)
    assert not ProcessDefinitionVersion.objects.exists()
    version = definition_store(actor=None, parsed=parsed, text=text)
    assert definition_store(actor=None, parsed=parsed, text=text) == version
    assert ProcessDefinitionVersion.objects.count() == 1


def test_a_stored_version_still_reads_after_its_role_is_removed(tmp_path):
    from yiwang.core.accounts.models import Role

    Role.objects.create(code="fire_inspector", name="消防检查员")
    data = sample()
    data["states"]["fire_review"]["roles"] = ["fire_inspector"]
    [loaded] = definition_load_files(paths=[write(tmp_path, "p.yaml", data)])
    Role.objects.filter(code="fire_inspector").delete()
    definition = selectors.definition_of(version=loaded.version)
    assert definition.state("fire_review").assignment.roles == ("fire_inspector",)


def test_the_demo_loads_the_shipped_definitions_once():
    from yiwang.core.demo.loader import load_demo

    load_demo()
    load_demo()
    assert ProcessDefinitionVersion.objects.filter(code=CODE, is_current=True).count() == 1
    assert loaded_audits().filter(changes__code=CODE).count() == 1


def test_the_admin_shows_a_version_with_its_picture_and_refuses_edits(client, sys_admin):
    from django.urls import reverse

    [loaded] = [item for item in definition_load_all() if item.version.code == CODE]
    client.force_login(sys_admin)
    listing = client.get(reverse("admin:workflow_processdefinitionversion_changelist"))
    assert listing.status_code == 200 and "并联审批（示例）" in listing.content.decode()
    page = client.get(reverse("admin:workflow_processdefinitionversion_change", args=[loaded.version.pk]))
    body = page.content.decode()
    assert page.status_code == 200
    assert "<svg" in body and "市场监管局审查" in body and "market_ask_supplement" in body
    assert client.post(reverse("admin:workflow_processdefinitionversion_add"), {}).status_code == 403


def test_a_loader_that_loses_a_race_for_the_first_version_tries_again(monkeypatch):
    from django.db import IntegrityError

    from yiwang.workflow.services import definitions

    real_store, calls = definitions._store, []

    def racing_store(**kwargs):
        calls.append(kwargs["parsed"].code)
        if len(calls) == 1:  # another loader stored version 1 first
            real_store(**kwargs)
            raise IntegrityError("duplicate key value violates unique constraint")
        return real_store(**kwargs)

    monkeypatch.setattr(definitions, "_store", racing_store)
    [loaded] = definition_load_files(paths=[SAMPLE])
    assert len(calls) == 2 and loaded.version.version == 1
    assert ProcessDefinitionVersion.objects.count() == 1 and loaded_audits().count() == 1
