"""The runtime's public services in one place (issue 3, part 2); each lives in its own module."""

from yiwang.workflow.services.act import task_act
from yiwang.workflow.services.claim import task_claim, task_release
from yiwang.workflow.services.start import instance_start

__all__ = ["instance_start", "task_act", "task_claim", "task_release"]
