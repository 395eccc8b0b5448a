"""Demo data of the workflow engine: the shipped process definitions (`yiwang demo`).

Called by `core.demo.loader.load_extensions`. Loading is idempotent (a file whose text did not
change stores nothing), and a broken process file stops the demo with every problem listed —
said as a DemoConflict, which the demo command prints instead of a traceback.
"""

from __future__ import annotations

from yiwang.core.demo.loader import DemoConflict
from yiwang.workflow.problems import DefinitionInvalid
from yiwang.workflow.services.definitions import definition_load_all


def load(*, actor) -> list:
    try:
        definition_load_all(actor=actor)
    except DefinitionInvalid as invalid:
        raise DemoConflict("流程定义有误，示范数据未载入：\n" + str(invalid)) from None
    return []  # no logins of its own
