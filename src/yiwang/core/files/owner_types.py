"""Owner types the kernel itself provides: `accounts.user` (a person's own files, e.g. an ID scan).

Registered by `FilesConfig.ready()`; `files` may import `accounts` (both are core, and files
already points at the user model).
"""

from __future__ import annotations

from yiwang.core.accounts.selectors import user_get_for_actor
from yiwang.core.errors import NotFound

USER_OWNER = "accounts.user"


def user_files_can_view(actor, owner_id: str) -> bool:
    """The person themself, and officials whose scope shows them that person."""
    if actor is None or not getattr(actor, "is_authenticated", False):
        return False
    try:
        user_get_for_actor(actor=actor, user_id=owner_id)
    except NotFound:
        return False
    return True


def user_files_can_attach(actor, owner_id: str) -> bool:
    """Only the person themself adds to their own files (exact id, so "007" is not user 7)."""
    return bool(actor is not None and getattr(actor, "is_authenticated", False) and str(actor.pk) == owner_id)


def register() -> None:
    from yiwang.core.files.owners import register_owner

    register_owner(USER_OWNER, can_view=user_files_can_view, can_attach=user_files_can_attach)
