"""免提交 from the licence library (issue 5 §3; DESIGN.md: ask a provider, not the applicant):
a material whose spec names a licence type (`ItemMaterial.license_type`) is satisfied by the
applicant's valid licence of that type.

The look-up goes through `licenses.services.reuse.license_lookup`, which writes the 用证记录 the
holder sees (who used which licence, for what) and the audit row (个人信息保护法 §51). The
actor is whoever is filling the application in: the principal or their 经办人 (their own
licences), or the window clerk (licenses.use).
"""

from __future__ import annotations

from yiwang.services.models import MaterialSource
from yiwang.services.providers import Provided

PURPOSE_MAX = 200  # license_lookup's limit


def material_spec(application, code: str):
    """The version's ItemMaterial of `code`, read once per application object."""
    specs = getattr(application, "_yiwang_material_specs", None)
    if specs is None:
        specs = {spec.code: spec for spec in application.item_version.materials.all()}
        application._yiwang_material_specs = specs
    return specs.get(code)


def provide_from_license(*, actor, application, material) -> Provided | None:
    spec = material_spec(application, material.code)
    if spec is None or not spec.license_type:
        return None
    from yiwang.licenses.services.reuse import license_lookup

    purpose = f"办理“{application.item_version.name}”：{material.name}免提交"
    found = license_lookup(
        actor=actor,
        holder=application.applicant,
        type_code=spec.license_type,
        purpose=purpose[:PURPOSE_MAX],
        subject=application,
    )
    if found is None:
        return None
    return Provided(
        source=MaterialSource.LICENSE,
        description=f"已由电子证照“{found.type_name}”（{found.identifier}）免提交",
        license_id=found.pk,
    )
