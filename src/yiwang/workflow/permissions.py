"""Permission codes of the workflow engine, and the predicates its services call."""

from yiwang.core.accounts.rbac import has_permission

DECLARED = [
    ("workflow.definition.manage", "载入流程定义", ()),
]


def can_definition_load(actor) -> bool:
    """`actor=None` is the command line (`yiwang workflow load`): whoever holds the server shell."""
    return actor is None or has_permission(actor, "workflow.definition.manage")
