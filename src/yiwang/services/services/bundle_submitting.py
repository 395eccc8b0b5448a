"""一件事的提交与撤回 (issue 5 §5).

Submitting is all or nothing, in one transaction: every item is checked and every problem is
named at once (`form.<code>` once for a shared field, `materials.<code>` once for a shared
material); then the bundle is numbered (YJS…, numbers.py) and each child is submitted — each
starts its own process in its own department, so the departments work in parallel. If any
child fails, nothing is kept: no number, no instance, no child submitted. A double click or a
retried request (the same `client_token`) returns the bundle application already submitted.

Withdrawing withdraws every item still open (each is the applicant's workflow action); the
last child ending completes the bundle (bundle_progress.bundle_child_finished).
"""

from __future__ import annotations

import re

from django.db import IntegrityError, transaction
from django.db.models import F
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from yiwang.core.audit import services as audit
from yiwang.core.errors import Conflict, InvalidInput, PermissionDenied, invalid
from yiwang.core.notify.services import notify
from yiwang.services import search
from yiwang.services.bundle_forms import merged_form_of
from yiwang.services.forms_spec import check_form
from yiwang.services.models import Bundle, BundleApplication, BundleStatus
from yiwang.services.models.applications import OPEN_STATUSES
from yiwang.services.numbers import next_number
from yiwang.services.permissions import acts_for
from yiwang.services.services.applying_submit import (
    application_submit,
    application_withdraw,
    material_problems,
)
from yiwang.services.services.bundle_applying import (
    bundle_application_save,
    children_of,
    delivery_problems,
    lock_bundle_application,
    merged_answers,
)

REASON_MAX = 500
TOKEN = re.compile(r"^[A-Za-z0-9_.:-]{1,64}$")  # a uuid from the page; what the API client sends


def _clean_token(client_token) -> str:
    token = str(client_token or "").strip()
    if token and not TOKEN.match(token):
        raise invalid("client_token", "提交令牌应为至多64个字母、数字或 - _ . : 字符")
    return token


def _item_name(child) -> str:
    return child.item_version.name if child.item_version_id else child.item.name


def bundle_problems(bundle_application, children) -> dict[str, str]:
    """Everything still missing or wrong, across all items, each named once."""
    merged = merged_form_of([(c.item, c.item_version) for c in children])
    problems = dict(check_form(merged.all_fields, merged_answers(bundle_application), partial=False).problems)
    problems.update(
        delivery_problems(children, bundle_application.delivery_method, bundle_application.delivery_address)
    )
    needing: dict[str, list[str]] = {}
    for child in children:
        for key, reason in material_problems(child).items():
            problems.setdefault(key, reason)
            needing.setdefault(key, []).append(_item_name(child))
    for key, names in needing.items():
        if len(names) > 1:
            problems[key] = f"{problems[key]}（{'、'.join(names)}均需要）"
    return problems


def _token_taken(bundle_application, token: str):
    return (
        BundleApplication.objects.filter(applicant_id=bundle_application.applicant_id, client_token=token)
        .exclude(pk=bundle_application.pk)
        .first()
    )


def _my_bundle_link(bundle_application) -> str:
    try:
        return reverse("services:my_bundle", args=[bundle_application.pk])
    except NoReverseMatch:
        return ""


@transaction.atomic
def bundle_application_submit(*, actor, bundle_application, client_token: str = "") -> BundleApplication:
    token = _clean_token(client_token)
    bundle_application = lock_bundle_application(actor=actor, bundle_application=bundle_application)
    if not bundle_application.is_draft:
        return bundle_application  # submitted already: the double click's second request
    if token and (earlier := _token_taken(bundle_application, token)) is not None:
        return earlier
    if bundle_application.bundle.status != BundleStatus.PUBLISHED:
        raise Conflict("该一件事已下线，不能再提交；可分别申请其中的事项")
    children = children_of(bundle_application)
    problems = bundle_problems(bundle_application, children)
    if problems:
        raise InvalidInput(f"还有{len(problems)}项内容需要补充或修改", fields=problems)
    if token:
        try:
            with transaction.atomic():
                BundleApplication.objects.filter(pk=bundle_application.pk).update(client_token=token)
        except IntegrityError:  # the same token committed by a concurrent request: that one wins
            earlier = _token_taken(bundle_application, token)
            if earlier is None:
                raise
            return earlier
        bundle_application.client_token = token
    now = timezone.now()
    bundle_application.number = next_number("bundle")
    bundle_application.is_draft = False
    bundle_application.submitted_at = now
    bundle_application.submitted_by = actor
    bundle_application.updated_at = now
    bundle_application.version += 1
    bundle_application.save(
        update_fields=["number", "is_draft", "submitted_at", "submitted_by", "updated_at", "version"]
    )
    for child in children:
        try:
            application_submit(actor=actor, application=child)
        except InvalidInput as refused:  # a rule only the item knows: refuse the whole bundle
            raise InvalidInput(
                f"“{_item_name(child)}”：{refused.message}",
                fields={k: f"{_item_name(child)}：{v}" for k, v in refused.fields.items()},
            ) from None
    Bundle.objects.filter(pk=bundle_application.bundle_id).update(popularity=F("popularity") + 1)
    search.index_bundle_popularity(bundle_application.bundle)  # 热度 ranks the portal's search
    audit.record(
        actor=actor,
        action="services.bundle_application.submitted",
        target=bundle_application,
        changes={
            "number": bundle_application.number,
            "applicant": bundle_application.applicant_id,
            "by": actor.pk,
            "applications": [c.pk for c in children],
        },
    )
    names = "、".join(_item_name(c) for c in children)
    notify(
        recipient=bundle_application.applicant,
        title=f"“{bundle_application.bundle.name}”已提交，编号 {bundle_application.number}",
        body=f"已分送各部门并行办理：{names}。全部办结后统一送达。",
        link=_my_bundle_link(bundle_application),
        category="services",
    )
    return bundle_application


@transaction.atomic
def bundle_application_withdraw(*, actor, bundle_application, reason) -> BundleApplication:
    """撤回 every item still open (all or nothing: an item that can no longer be withdrawn —
    decided already — refuses the whole withdrawal, naming it)."""
    bundle_application = lock_bundle_application(actor=actor, bundle_application=bundle_application)
    if not acts_for(actor, bundle_application.applicant):
        raise PermissionDenied("撤回须由申请人本人或其经办人提出")
    text = reason.strip() if isinstance(reason, str) else ""
    if not text:
        raise InvalidInput("请填写撤回理由", fields={"reason": "请填写撤回理由"})
    if len(text) > REASON_MAX:
        raise InvalidInput(
            f"撤回理由至多{REASON_MAX}个字符", fields={"reason": f"撤回理由至多{REASON_MAX}个字符"}
        )
    if bundle_application.is_draft:
        raise Conflict("草稿尚未提交，无需撤回")
    open_children = [c for c in children_of(bundle_application) if c.status in OPEN_STATUSES]
    if not open_children:
        raise Conflict("该一件事的事项均已办结，不能撤回")
    for child in open_children:
        try:
            application_withdraw(actor=actor, application=child, reason=text)
        except Conflict as refused:
            raise Conflict(f"“{_item_name(child)}”{refused.message}") from None
    bundle_application.refresh_from_db()
    audit.record(
        actor=actor,
        action="services.bundle_application.withdrawn",
        target=bundle_application,
        changes={"reason": text, "applications": [c.pk for c in open_children]},
    )
    return bundle_application


def bundle_application_save_and_submit(
    *, actor, bundle_application, form, delivery_method, delivery_address, expected_version, client_token
) -> BundleApplication:
    """The edit page's 提交: save what was typed, then submit. What was typed is kept even if the
    submission is refused (the refusal names what is missing)."""
    failure = None
    with transaction.atomic():
        saved = bundle_application_save(
            actor=actor,
            bundle_application=bundle_application,
            form=form,
            delivery_method=delivery_method,
            delivery_address=delivery_address,
            expected_version=expected_version,
        )
        try:
            with transaction.atomic():
                return bundle_application_submit(
                    actor=actor, bundle_application=saved, client_token=client_token
                )
        except InvalidInput as refused:
            failure = refused
    raise failure
