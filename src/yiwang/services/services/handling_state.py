"""What the workflow effects of an application share: the locked row, the inputs of the move,
saving with the optimistic version bumped, and telling the applicant."""

from __future__ import annotations

from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from yiwang.core.notify.services import notify
from yiwang.services.models import Application
from yiwang.workflow.models_runtime import EventKind, InstanceEvent

NOTIFY_CATEGORY = "services"


def locked_application(instance) -> Application:
    """The instance's application, row-locked for the rest of the move's transaction (the
    instance row is locked by the engine already, so this never waits on another move)."""
    return (
        Application.objects.select_for_update(of=("self",))
        .select_related("item", "item_version", "department", "applicant")
        .get(pk=int(instance.subject_id))
    )


def move_inputs(instance, task) -> tuple[str, str]:
    """(opinion, reason) of the move just made on `task`: the engine passes effects only the
    action code, the inputs are in the history row it wrote a moment ago."""
    if task is None:
        return "", ""
    event = (
        InstanceEvent.objects.filter(instance=instance, task=task, kind=EventKind.ACT)
        .order_by("-id")
        .values_list("opinion", "reason")
        .first()
    )
    return event if event is not None else (task.opinion or "", "")


def save_application(application: Application, *fields: str) -> None:
    """Save the named fields; `version` counts every change so a page's stale copy is told."""
    application.updated_at = timezone.now()
    application.version += 1
    application.save(update_fields=[*fields, "updated_at", "version"])


def applicant_link(application: Application) -> str:
    """The applicant's page of this application ("my_application"; the path the applying pages
    serve, written out while that page is not mounted)."""
    try:
        return reverse("services:my_application", args=[application.pk])
    except NoReverseMatch:
        return f"/me/applications/{application.pk}/"


def tell_applicant(application: Application, title: str, body: str) -> None:
    notify(
        recipient=application.applicant,
        title=title,
        body=body,
        link=applicant_link(application),
        category=NOTIFY_CATEGORY,
    )


def item_label(application: Application) -> str:
    return f"“{application.item_version.name}”（办件编号 {application.number}）"
