"""Material providers (DESIGN.md: `services` asks a registered provider for licences and shared
data instead of asking the applicant for a copy). A provider is called for each material of
an application with `(actor, application, material)` — `material` the ApplicationMaterial,
its spec on `application.item_version.materials` — and returns a `Provided` when it can
satisfy the material, or None. The licence library is the first (providers_license.py); the
data hub's base registries will register theirs here when it exists.

Registered at start-up only (hooks.register), read-only afterwards, like workflow.hooks.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.core.exceptions import ImproperlyConfigured


@dataclass(frozen=True)
class Provided:
    source: str  # MaterialSource.LICENSE or MaterialSource.SHARED
    description: str  # shown to the applicant: 已由电子证照“营业执照”（1.2.156…）免提交
    license_id: int | None = None


Provider = Callable[..., Provided | None]

_PROVIDERS: dict[str, Provider] = {}


def register_material_provider(name: str, provider: Provider) -> None:
    if not callable(provider):
        raise ImproperlyConfigured(f"material provider {name!r} is not callable")
    existing = _PROVIDERS.get(name)
    if existing is not None and existing is not provider:
        raise ImproperlyConfigured(f"material provider {name!r} is registered twice")
    _PROVIDERS[name] = provider


def material_providers() -> list[tuple[str, Provider]]:
    return list(_PROVIDERS.items())


def register_builtin() -> None:
    from yiwang.services.providers_license import provide_from_license

    register_material_provider("licenses", provide_from_license)
