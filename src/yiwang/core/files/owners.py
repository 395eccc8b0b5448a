"""Who may see and attach files to an owning object: a hook registry filled at start-up.

Attachments belong to objects of any package (an application, a ticket, a user). `files` sits
in the core and must not import the packages above it (DESIGN.md: dependencies point one way),
so each owning package registers its owner type here, from its `AppConfig.ready()`:

    from yiwang.core.files.owners import register_owner
    register_owner("services.application", can_view=can_application_view, can_attach=can_application_edit)

Both predicates take `(user, owner_id: str)` and return a bool; `can_view` must follow the
owner's own selector scope (an object the user may not see is a 404 everywhere).

The registry is a module-level dict, written only while Django starts (`ready()` runs once per
process, before any request) and read-only afterwards, so every process builds the same one
from code: this is configuration, not the mutable runtime state DESIGN.md forbids.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.core.exceptions import ImproperlyConfigured

Predicate = Callable[[object, str], bool]


@dataclass(frozen=True)
class OwnerType:
    name: str
    can_view: Predicate
    can_attach: Predicate


_REGISTRY: dict[str, OwnerType] = {}


def register_owner(owner_type: str, can_view: Predicate, can_attach: Predicate) -> None:
    """Declare an owner type (`<app label>.<model>`); call only from `AppConfig.ready()`."""
    entry = OwnerType(name=owner_type, can_view=can_view, can_attach=can_attach)
    existing = _REGISTRY.get(owner_type)
    if existing is not None and existing != entry:
        raise ImproperlyConfigured(f"file owner type {owner_type!r} is registered twice")
    if not owner_type or len(owner_type) > 64:
        raise ImproperlyConfigured(f"file owner type {owner_type!r} must be 1–64 characters")
    _REGISTRY[owner_type] = entry


def owner_type_get(owner_type: str) -> OwnerType | None:
    return _REGISTRY.get(owner_type)


def owner_types() -> tuple[str, ...]:
    return tuple(sorted(_REGISTRY))
