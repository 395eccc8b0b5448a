"""Background jobs of the process engine, run by `yiwang worker` (core/periodic.py)."""

from __future__ import annotations

from django_tasks import task


@task()
def clock_sweep() -> dict:
    """The clock sweep (workflow/sweep.py), every five minutes; idempotent."""
    from yiwang.workflow.sweep import clock_sweep as sweep

    report = sweep()
    return {"warned": len(report.warned), "overdue": len(report.overdue), "escalations": report.escalations}
