from django.apps import AppConfig


class WorkflowConfig(AppConfig):
    """The process engine (issue 3): definitions as data; runtime, clock and 电子监察 follow."""

    name = "yiwang.workflow"
    label = "workflow"
    verbose_name = "流程引擎"
