"""The runtime's public services in one place (issue 3, part 2); each lives in its own module."""

from yiwang.workflow.services.act import task_act
from yiwang.workflow.services.act_files import task_act_with_files
from yiwang.workflow.services.claim import task_claim, task_release
from yiwang.workflow.services.copies import copy_mark_read, instance_copy
from yiwang.workflow.services.handover import task_delegate, task_reassign, task_transfer
from yiwang.workflow.services.start import instance_start

__all__ = [
    "copy_mark_read",
    "instance_copy",
    "instance_start",
    "task_act",
    "task_act_with_files",
    "task_claim",
    "task_delegate",
    "task_reassign",
    "task_release",
    "task_transfer",
]
