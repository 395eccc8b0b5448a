"""Demo data of the workflow engine (`yiwang demo`): the shipped process definitions, then the
电子监察 cases of demo_supervision.py.

Called by `core.demo.loader.load_extensions`. Loading is idempotent (a file whose text did not
change stores nothing), and a broken process file stops the demo with every problem listed —
said as a DemoConflict, which the demo command prints instead of a traceback.
"""

from __future__ import annotations

from yiwang.core.demo.loader import DemoConflict
from yiwang.workflow import demo_supervision
from yiwang.workflow.problems import DefinitionInvalid
from yiwang.workflow.services.definitions import definition_load_all


def load(*, actor) -> list:
    try:
        definition_load_all(actor=actor)
    except DefinitionInvalid as invalid:
        raise DemoConflict("流程定义有误，示范数据未载入：\n" + str(invalid)) from None
    # 电子监察: cases lived through the last weeks; the logins list the posts they add.
    return demo_supervision.load(actor=actor)
