"""File owner types of applying (core/files/owners.py):

- `services.my_material` — 我的材料, owned by the principal (owner id = their user id): the
  principal and an enterprise's 经办人 see and add them; nobody else, officials included.
- `services.application` — an application's own copies of its materials (owner id = the
  application id): seen by whoever may see the application (applicant, window clerk, the
  officials handling it), added to only while it is a draft or 待补正 (applying_access.py).
"""

from __future__ import annotations

from yiwang.services.permissions import acts_for

MY_MATERIAL_OWNER = "services.my_material"
APPLICATION_OWNER = "services.application"


def _pk(owner_id: str) -> int | None:
    # Exact digits only, so "007" is not 7 (as accounts.user and workflow.task do).
    if not owner_id.isdigit() or len(owner_id) > 18 or owner_id != str(int(owner_id)):
        return None
    return int(owner_id)


def _principal(actor, owner_id: str):
    pk = _pk(owner_id)
    if pk is None or actor is None or not getattr(actor, "is_authenticated", False):
        return None
    if pk == actor.pk:
        return actor
    from yiwang.core.accounts.models import User

    return User.objects.filter(pk=pk).first()


def my_material_can_view(actor, owner_id: str) -> bool:
    principal = _principal(actor, owner_id)
    return principal is not None and acts_for(actor, principal)


def _application(owner_id: str):
    from yiwang.services.models import Application

    pk = _pk(owner_id)
    if pk is None:
        return None
    return (
        Application.objects.select_related("applicant", "window__department", "department")
        .filter(pk=pk)
        .first()
    )


def application_files_can_view(actor, owner_id: str) -> bool:
    from yiwang.services.services.applying_access import can_application_handle_view, can_application_see

    if actor is None or not getattr(actor, "is_authenticated", False):
        return False
    application = _application(owner_id)
    return application is not None and (
        can_application_see(actor, application) or can_application_handle_view(actor, application)
    )


def application_files_can_attach(actor, owner_id: str) -> bool:
    from yiwang.services.services.applying_access import can_application_attach

    if actor is None or not getattr(actor, "is_authenticated", False):
        return False
    application = _application(owner_id)
    return application is not None and can_application_attach(actor, application)


def register() -> None:
    from yiwang.core.files.owners import register_owner

    register_owner(MY_MATERIAL_OWNER, can_view=my_material_can_view, can_attach=my_material_can_view)
    register_owner(
        APPLICATION_OWNER, can_view=application_files_can_view, can_attach=application_files_can_attach
    )
