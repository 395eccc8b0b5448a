"""Predicates of the file services. Files have no permission codes of their own: whoever may
see the owning object may see its files, and whoever may change it may attach (owners.py)."""

from yiwang.core.files.owners import owner_type_get

DECLARED: list = []


def can_file_view(actor, *, owner_type: str, owner_id: str) -> bool:
    owner = owner_type_get(owner_type)
    return owner is not None and bool(owner.can_view(actor, owner_id))


def can_file_attach(actor, *, owner_type: str, owner_id: str) -> bool:
    owner = owner_type_get(owner_type)
    return owner is not None and bool(owner.can_attach(actor, owner_id))


def can_file_detach(actor, attachment) -> bool:
    return can_file_attach(actor, owner_type=attachment.owner_type, owner_id=attachment.owner_id)
