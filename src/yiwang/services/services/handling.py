"""办理 at the window (行政许可法 §32): 预审, 一次性告知补正, 受理 or 容缺受理, 不予受理.

Each service finds the actor's open task of the application (handling_tasks.task_for: 404
outside the scope, 409 at another step, 403 naming the role), then moves it through the
workflow; the effects (effects.py) keep the application, its receipt and its documents in
step and tell the applicant, in the same transaction.
"""

from __future__ import annotations

from django.db import transaction

from yiwang.core.audit import services as audit
from yiwang.core.errors import InvalidInput, invalid
from yiwang.services.models import Application, CorrectionNotice
from yiwang.services.services.handling_tasks import act, reread, task_for, text, visible_application

WINDOW_STATES = ("pre_review", "acceptance")
IMMEDIATE = "services.immediate"
PROBLEM_MAX = 500
NOTE_MAX = 2000
REASON_MAX = 2000


@transaction.atomic
def application_pre_review_pass(
    *, actor, application: Application, opinion: str = "", expected_version=None
) -> Application:
    """预审通过: the materials look right; the application goes on to 受理."""
    application = visible_application(actor=actor, application=application)
    task = task_for(
        actor=actor,
        application=application,
        states=("pre_review",),
        step="预审",
        expected_version=expected_version,
    )
    act(actor=actor, task=task, action="pass_pre_review", opinion=text(opinion))
    audit.record(actor=actor, action="services.application.pre_reviewed", target=application)
    return reread(application)


def _correction_items(application: Application, items) -> list[dict]:
    """Every material named once, each with what is wrong — all at once (行政许可法 §32 ④)."""
    if not isinstance(items, list | tuple) or not items:
        raise invalid("items", "请至少勾选一项需要补正的材料，并写明补正要求")
    materials = {m.code: m for m in application.materials.all()}
    problems: dict[str, str] = {}
    cleaned: list[dict] = []
    for index, item in enumerate(items):
        code = item.get("code") if isinstance(item, dict) else None
        if not isinstance(code, str) or code not in materials:
            shown = code if isinstance(code, str) else "?"
            problems[f"items[{index}].code"] = f"“{shown[:64]}”不是本办件的申请材料"
            continue
        if any(c["code"] == code for c in cleaned):
            problems[f"items.{code}"] = f"{materials[code].name}：重复列出"
            continue
        problem = text(item.get("problem"))
        if not problem:
            problems[f"items.{code}"] = f"{materials[code].name}：请写明需要补正的内容"
        elif len(problem) > PROBLEM_MAX:
            problems[f"items.{code}"] = f"{materials[code].name}：补正要求不能超过{PROBLEM_MAX}字"
        cleaned.append({"code": code, "name": materials[code].name, "problem": problem})
    if problems:
        raise InvalidInput("一次性告知的内容不完整，请逐项写明补正要求", fields=problems)
    return cleaned


def _summary(items: list[dict], note: str) -> str:
    lines = "；".join(f"{i}. {item['name']}：{item['problem']}" for i, item in enumerate(items, start=1))
    summary = f"一次性告知补正：{lines}" + (f"。{note}" if note else "")
    return summary if len(summary) <= REASON_MAX else summary[: REASON_MAX - 1] + "…"


@transaction.atomic
def application_request_correction(
    *, actor, application: Application, items, note: str = "", expected_version=None
) -> CorrectionNotice:
    """一次性告知补正: one notice listing every missing or wrong material; the clock stops until
    the applicant resubmits (the process's suspend)."""
    application = visible_application(actor=actor, application=application)
    task = task_for(
        actor=actor,
        application=application,
        states=WINDOW_STATES,
        step="预审/受理",
        expected_version=expected_version,
    )
    cleaned = _correction_items(application, items)
    note = text(note)
    if len(note) > NOTE_MAX:
        raise invalid("note", f"告知说明不能超过{NOTE_MAX}字")
    notice = CorrectionNotice.objects.create(
        application=application, issued_by=actor, note=note, items=cleaned
    )
    for item in cleaned:
        application.materials.filter(code=item["code"]).update(problem=item["problem"])
    act(actor=actor, task=task, action="ask_supplement", reason=_summary(cleaned, note))
    return notice


@transaction.atomic
def application_accept(
    *, actor, application: Application, opinion: str = "", deficiency_note: str = "", expected_version=None
) -> Application:
    """受理, or 容缺受理 when a 容缺后补说明 is given (non-key materials promised later)."""
    application = visible_application(actor=actor, application=application)
    task = task_for(
        actor=actor,
        application=application,
        states=("acceptance",),
        step="受理",
        expected_version=expected_version,
    )
    if task.instance.definition_code == IMMEDIATE:
        raise invalid("action", "即办件请使用“受理并办结”，当场作出决定")
    deficiency_note = text(deficiency_note)
    if deficiency_note:
        if len(deficiency_note) > REASON_MAX:
            raise invalid("deficiency_note", f"容缺后补说明不能超过{REASON_MAX}字")
        act(actor=actor, task=task, action="accept_deficient", opinion=text(opinion), reason=deficiency_note)
    else:
        act(actor=actor, task=task, action="accept", opinion=text(opinion))
    return reread(application)


@transaction.atomic
def application_not_accept(
    *, actor, application: Application, reason: str, expected_version=None
) -> Application:
    """不予受理, with the reason, in a signed 不予受理通知书 (行政许可法 §32)."""
    application = visible_application(actor=actor, application=application)
    task = task_for(
        actor=actor,
        application=application,
        states=WINDOW_STATES,
        step="预审/受理",
        expected_version=expected_version,
    )
    act(actor=actor, task=task, action="not_accept", reason=text(reason))
    return reread(application)
