"""Guard and effect hooks for process actions: a registry filled at start-up.

The engine must not import the domain packages above it (DESIGN.md: dependencies point one
way), so a domain package that wants a check before an action (a *guard*) or a consequence
after it (an *effect*) registers a named function here, from its `AppConfig.ready()`:

    from yiwang.workflow.hooks import register_effect, register_guard
    register_guard("services.materials_complete", materials_complete)
    register_effect("services.issue_licence", issue_licence)

and names it in a process file (`guard: services.materials_complete`). The loader refuses a
definition that names a hook nobody registered, so a typo never reaches runtime.

Like `core/files/owners.py`, the registry is written only while Django starts (`ready()` runs
once per process, before any request) and read-only afterwards: configuration, not the mutable
runtime state DESIGN.md forbids. The calling convention of guards and effects is fixed by the
runtime (issue 3, part 2); the registry only knows names.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from django.core.exceptions import ImproperlyConfigured

Hook = Callable[..., object]

# Dotted lower-case names, prefixed by the registering package: `services.issue_licence`.
HOOK_NAME = re.compile(r"^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)*$")

_GUARDS: dict[str, Hook] = {}
_EFFECTS: dict[str, Hook] = {}


def _register(registry: dict[str, Hook], kind: str, name: str, fn: Hook) -> None:
    if not HOOK_NAME.match(name) or len(name) > 64:
        raise ImproperlyConfigured(f"workflow {kind} name {name!r} must be a dotted lower-case name ≤ 64")
    if not callable(fn):
        raise ImproperlyConfigured(f"workflow {kind} {name!r} is not callable")
    existing = registry.get(name)
    if existing is not None and existing is not fn:
        raise ImproperlyConfigured(f"workflow {kind} {name!r} is registered twice")
    registry[name] = fn


def register_guard(name: str, fn: Hook) -> None:
    """Declare a guard hook (may an action be taken?); call only from `AppConfig.ready()`."""
    _register(_GUARDS, "guard", name, fn)


def register_effect(name: str, fn: Hook) -> None:
    """Declare an effect hook (what follows an action); call only from `AppConfig.ready()`."""
    _register(_EFFECTS, "effect", name, fn)


def guard_get(name: str) -> Hook | None:
    return _GUARDS.get(name)


def effect_get(name: str) -> Hook | None:
    return _EFFECTS.get(name)


def guard_names() -> frozenset[str]:
    return frozenset(_GUARDS)


def effect_names() -> frozenset[str]:
    return frozenset(_EFFECTS)
