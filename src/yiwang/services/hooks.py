"""What 一网通办 plugs into the packages below it, at start-up (AppConfig.ready):

- workflow guards and effects named in `processes/*.yaml` (services/effects.py,
  services/rectification_effects.py): the engine moves the instance, the effects keep the
  application, its documents and its licence in step, whichever page the official used;
- file owner types (owner_types.py): 我的材料, an application's files, item templates;
- material providers (providers.py): the licence library first (免提交).
"""

from __future__ import annotations

APPLICATION_GUARDS = ("materials_complete", "deficiency_allowed")
APPLICATION_EFFECTS = (
    "supplement_requested",
    "resubmitted",
    "accepted",
    "accepted_and_approved",
    "not_accepted",
    "approved",
    "rejected",
    "withdrawn",
)
RECTIFICATION_EFFECTS = (
    "rectification_responded",
    "rectification_appealed",
    "rectification_revoked",
    "rectification_appeal_rejected",
    "rectification_closed",
    "rectification_reopened",
)


def register() -> None:
    from yiwang.services import owner_types, providers
    from yiwang.services.services import effects, rectification_effects
    from yiwang.workflow.hooks import register_effect, register_guard

    for name in APPLICATION_GUARDS:
        register_guard(f"services.{name}", getattr(effects, name))
    for name in APPLICATION_EFFECTS:
        register_effect(f"services.{name}", getattr(effects, name))
    for name in RECTIFICATION_EFFECTS:
        register_effect(f"services.{name}", getattr(rectification_effects, name))
    owner_types.register()
    providers.register_builtin()
    effects.register_subject()  # the workflow inbox names applications (workflow/subjects.py)
