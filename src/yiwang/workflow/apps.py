from datetime import timedelta

from django.apps import AppConfig


class WorkflowConfig(AppConfig):
    """The process engine (issue 3): definitions as data; runtime, clock and 电子监察 follow."""

    name = "yiwang.workflow"
    label = "workflow"
    verbose_name = "流程引擎"

    def ready(self) -> None:
        from yiwang.core import periodic
        from yiwang.workflow import owner_types
        from yiwang.workflow.tasks import clock_sweep

        periodic.register(name="workflow.clock_sweep", every=timedelta(minutes=5), task=clock_sweep)
        owner_types.register()  # files attached while acting on a task (core/files/owners.py)
