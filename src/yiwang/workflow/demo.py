"""Demo data of the workflow engine: the shipped process definitions (`yiwang demo`).

Called by `core.demo.loader.load_extensions`. Loading is idempotent (a file whose text did not
change stores nothing), and a broken process file stops the demo with every problem listed.
"""

from __future__ import annotations

from yiwang.workflow.services.definitions import definition_load_all


def load(*, actor) -> list:
    definition_load_all(actor=actor)
    return []  # no logins of its own
