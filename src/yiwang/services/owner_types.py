"""File owner types of 一网通办 (core/files/owners.py), one module per area."""

from __future__ import annotations


def register() -> None:
    from yiwang.services import owner_types_applying, owner_types_catalogue

    owner_types_catalogue.register()  # services.item_version: 空表/样表 of materials
    owner_types_applying.register()  # services.my_material, services.application
