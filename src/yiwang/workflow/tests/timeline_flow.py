"""A parallel approval walked through the working week of 2026-11-02 for the timeline tests:
市场监管局 asks for 补正, the window clerk supplies a file, both branches agree, the decision
waits. Times are fixed, so time used is known exactly (office hours 09:00–12:00, 13:30–17:30)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile

from yiwang.workflow.models_runtime import ProcessInstance
from yiwang.workflow.services.runtime import task_act, task_act_with_files, task_claim
from yiwang.workflow.tests.runtime_fixtures import open_task, start

SHANGHAI = ZoneInfo("Asia/Shanghai")
PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


@pytest.fixture
def memory_storage(settings):
    """Uploaded blobs stay in memory (nothing written under var/)."""
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    }


def at(month: int, day: int, hour: int = 10, minute: int = 0) -> datetime:
    return datetime(2026, month, day, hour, minute, tzinfo=SHANGHAI)


def act(actor, task, code, **inputs):
    task.refresh_from_db()
    return task_act(actor=actor, task=task, action_code=code, expected_version=task.version, **inputs)


@dataclass
class Walk:
    instance: ProcessInstance
    first_market: object  # the market review that asked for 补正
    supplement: object
    second_market: object
    fire: object
    decision: object


def walk(staff) -> Walk:
    """Mon 11-02 start; Tue 11-03 补正; Wed 11-04 fire agrees; Thu 11-05 补正完成 with a file;
    Fri 11-06 market agrees, the decision opens."""
    with time_machine.travel(at(11, 2), tick=False):
        instance = start(staff)
    first_market = open_task(instance, "market_review")
    fire = open_task(instance, "fire_review")
    with time_machine.travel(at(11, 2, 11), tick=False):
        task_claim(actor=staff.fire_approver, task=fire, expected_version=fire.version)
    with time_machine.travel(at(11, 3), tick=False):
        act(staff.market_approver, first_market, "market_ask_supplement", reason="缺少营业执照副本")
    with time_machine.travel(at(11, 4), tick=False):
        act(staff.fire_approver, fire, "fire_agree", opinion="消防设施符合要求")
    supplement = open_task(instance, "market_supplement")
    with time_machine.travel(at(11, 5), tick=False):
        supplement.refresh_from_db()
        task_act_with_files(
            actor=staff.clerk,
            task=supplement,
            action_code="market_supplemented",
            expected_version=supplement.version,
            uploads=[SimpleUploadedFile("营业执照副本.pdf", PDF, content_type="application/pdf")],
        )
    second_market = open_task(instance, "market_review")
    with time_machine.travel(at(11, 6), tick=False):
        act(staff.market_approver, second_market, "market_agree", opinion="材料齐全，同意")
    for task in (first_market, supplement, second_market, fire):
        task.refresh_from_db()
    return Walk(
        instance=ProcessInstance.objects.get(pk=instance.pk),
        first_market=first_market,
        supplement=supplement,
        second_market=second_market,
        fire=fire,
        decision=open_task(instance, "decision"),
    )
