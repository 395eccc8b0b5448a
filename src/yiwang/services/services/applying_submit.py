"""提交, 撤回 and 补正提交 (issue 5 §3–§4).

Submitting checks everything at once and names every missing answer and material one by one,
then numbers the application (办件编号), starts its process through the workflow engine with
the applicant as initiator (so 撤回 and the 补正 task are theirs) and, at a window, lets the
clerk pass 预审 there and then. It is one transaction: a failure anywhere leaves a draft
without number or instance. A double click or a retried request (the same `client_token`)
returns the application already submitted instead of making a second one.

Withdrawing and resubmitting are in applying_withdraw.py.
"""

from __future__ import annotations

import re

from django.db import IntegrityError, transaction
from django.db.models import Count, F
from django.urls import reverse
from django.utils import timezone

from yiwang.core.audit import services as audit
from yiwang.core.errors import Conflict, InvalidInput, NotFound, invalid
from yiwang.core.notify.services import notify
from yiwang.services.forms_spec import check_form
from yiwang.services.instance_params import process_params
from yiwang.services.models import (
    Application,
    ApplicationStatus,
    Channel,
    ItemStatus,
    LimitUnit,
    MaterialSource,
    ServiceItem,
)
from yiwang.services.numbers import next_number
from yiwang.services.services.applying import check_delivery, lock_application
from yiwang.services.services.applying_access import can_application_see
from yiwang.services.services.applying_form import fields_for, sensitive_answers
from yiwang.services.services.applying_materials import FILE_SOURCES

# 撤回 and 补正提交 live beside (applying_withdraw.py); imported here too, where callers look first.
from yiwang.services.services.applying_withdraw import (  # noqa: F401
    application_resubmit,
    application_withdraw,
)

TOKEN = re.compile(r"^[A-Za-z0-9_.:-]{1,64}$")


def _clean_token(client_token) -> str:
    token = str(client_token or "").strip()
    if token and not TOKEN.match(token):
        raise invalid("client_token", "提交令牌应为至多64个字母、数字或 - _ . : 字符")
    return token


def material_problems(application) -> dict[str, str]:
    """Every required material not satisfied, and every 容缺 promise the item does not allow."""
    version = application.item_version
    problems: dict[str, str] = {}
    rows = application.materials.annotate(file_count=Count("files")).order_by("position", "id")
    for material in rows:
        key, name, source = f"materials.{material.code}", material.name, material.source
        missing = source == MaterialSource.MISSING or (source in FILE_SOURCES and not material.file_count)
        if source == MaterialSource.PROMISED and (not version.allows_deficiency or material.is_key):
            problems[key] = f"{name}：不能容缺后补，请提交该材料"
        elif source == MaterialSource.WINDOW and application.channel != Channel.WINDOW:
            problems[key] = f"{name}：网上申请请上传该材料"
        elif missing and material.required:
            deferrable = version.allows_deficiency and not material.is_key
            problems[key] = f"{name}：请提交该材料" + ("，或选择容缺后补" if deferrable else "")
    return problems


def _check_complete(application) -> None:
    answers = {**application.form_data, **sensitive_answers(application)}
    problems = dict(check_form(fields_for(application), answers, partial=False).problems)
    problems.update(
        check_delivery(application.item_version, application.delivery_method, application.delivery_address)
    )
    problems.update(material_problems(application))
    if application.item.status != ItemStatus.PUBLISHED:
        problems["item_id"] = "本事项已暂停办理，不能提交申请"
    if problems:
        raise InvalidInput(f"还有{len(problems)}项内容需要补充或修改", fields=problems)


def _promised_working_days(version) -> float | None:
    """承诺时限 in working days, for the figures (used vs promised); None for natural days."""
    if version.promised_limit_unit != LimitUnit.WORKING_DAYS:
        return None
    return float(version.promised_limit)


def _pass_pre_review(clerk, instance) -> bool:
    """窗口代办: the clerk checked the papers at the counter, so 预审 passes at once — if the
    clerk may work the hall's 预审 task (a clerk of another hall leaves it to that hall)."""
    from yiwang.workflow.models_runtime import Task
    from yiwang.workflow.permissions import can_task_work
    from yiwang.workflow.services.act import task_act
    from yiwang.workflow.services.engine import OPEN

    task = (
        Task.objects.select_related("instance", "candidate_department")
        .filter(instance=instance, state="pre_review", status__in=OPEN)
        .first()
    )
    if task is None or not can_task_work(clerk, task):
        return False
    task_act(
        actor=clerk,
        task=task,
        action_code="pass_pre_review",
        expected_version=task.version,
        opinion="窗口代为申请，材料当场核对，预审通过",
    )
    return True


def _token_taken(application, token: str):
    return (
        Application.objects.filter(applicant_id=application.applicant_id, client_token=token)
        .exclude(pk=application.pk)
        .first()
    )


@transaction.atomic
def application_submit(*, actor, application, client_token: str = "") -> Application:
    if not can_application_see(actor, application):
        raise NotFound("办件不存在或无权查看")
    token = _clean_token(client_token)
    application = lock_application(application)
    if application.status != ApplicationStatus.DRAFT:
        return application  # submitted already: the double click's second request
    if application.bundle_application_id is not None and application.bundle_application.is_draft:
        # 一件事: the children go together, by bundle_application_submit, never one alone.
        raise Conflict("此申请属于“一件事”，请在一件事申请中一并提交")
    if token and (earlier := _token_taken(application, token)) is not None:
        return earlier
    _check_complete(application)
    if token:
        try:
            with transaction.atomic():
                Application.objects.filter(pk=application.pk).update(client_token=token)
        except IntegrityError:
            # Another request with the same token committed first: that one is the application.
            earlier = _token_taken(application, token)
            if earlier is None:
                raise
            return earlier
        application.client_token = token
    item, version, now = application.item, application.item_version, timezone.now()
    application.number = next_number("application")
    application.status = ApplicationStatus.SUBMITTED
    application.submitted_at = now
    application.submitted_by = actor
    application.department = item.department
    application.promised_working_days = _promised_working_days(version)
    application.version += 1
    application.updated_at = now
    application.save(
        update_fields=[
            "number",
            "status",
            "submitted_at",
            "submitted_by",
            "department",
            "promised_working_days",
            "version",
            "updated_at",
        ]
    )
    # 热度 for the portal's ranking: after commit, so a busy item's row is not held locked for
    # the rest of every submission (and a rolled-back one counts nothing).
    transaction.on_commit(lambda: _count_popularity(item))
    from yiwang.workflow.services.start import instance_start

    application.instance = instance_start(
        actor=application.applicant,
        definition_code=version.process_code,
        subject=application,
        department=item.department,
        params=process_params(applicant=application.applicant, version=version, item=item),
    )
    application.save(update_fields=["instance"])
    pre_reviewed = application.channel == Channel.WINDOW and _pass_pre_review(actor, application.instance)
    audit.record(
        actor=actor,
        action="services.application.submitted",
        target=application,
        changes={
            "number": application.number,
            "applicant": application.applicant_id,
            "by": actor.pk,
            "channel": application.channel,
            "instance": application.instance_id,
            "pre_reviewed": pre_reviewed,
        },
    )
    notify(
        recipient=application.applicant,
        title=f"已提交，办件编号 {application.number}",
        body=f"您申请的“{version.name}”已提交，可在“我的办件”查看办理进度。",
        link=reverse("services:my_application", args=[application.pk]),
        category="services",
    )
    return application


def application_save_and_submit(
    *, actor, application, form, delivery_method, delivery_address, expected_version, client_token
) -> Application:
    """The edit page's 提交: save what was typed, then submit. What was typed is kept even if
    the submission is refused (the refusal names what is missing); a second click waits for the
    first on the row lock and is told the application is no longer a draft (Conflict)."""
    from yiwang.services.services.applying import application_draft_save

    failure = None
    with transaction.atomic():
        application = application_draft_save(
            actor=actor,
            application=application,
            form=form,
            delivery_method=delivery_method,
            delivery_address=delivery_address,
            expected_version=expected_version,
        )
        try:
            with transaction.atomic():
                return application_submit(actor=actor, application=application, client_token=client_token)
        except InvalidInput as refused:
            failure = refused
    raise failure


def _count_popularity(item) -> None:
    from yiwang.services import search

    ServiceItem.objects.filter(pk=item.pk).update(popularity=F("popularity") + 1)
    search.index_item_popularity(item)
