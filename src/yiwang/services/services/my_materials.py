"""我的材料 (issue 5 §3: materials uploaded once and reusable): the principal retires a file
they no longer want offered. The file itself stays — applications that used it keep their own
copies (the same stored blob), which is the record of what was submitted."""

from __future__ import annotations

from django.db import transaction

from yiwang.core.audit import services as audit
from yiwang.core.errors import NotFound
from yiwang.services.models import PersonalMaterial
from yiwang.services.permissions import acts_for


@transaction.atomic
def personal_material_deactivate(*, actor, personal_material: PersonalMaterial) -> PersonalMaterial:
    if personal_material is None or not acts_for(actor, personal_material.owner):
        raise NotFound("我的材料不存在")
    material = PersonalMaterial.objects.select_for_update().get(pk=personal_material.pk)
    if not material.is_active:
        return material
    material.is_active = False
    material.save(update_fields=["is_active"])
    audit.record(
        actor=actor,
        action="services.personal_material.deactivated",
        target=material,
        changes={"owner": material.owner_id, "code": material.code, "attachment": material.attachment_id},
    )
    return material
