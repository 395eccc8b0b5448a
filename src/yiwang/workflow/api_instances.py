"""/api/v1/workflow/instances: an instance's timeline (issue 3 §6). Mounted by workflow/api.py."""

from ninja import Router

from yiwang.workflow import timeline
from yiwang.workflow.schemas_instances import TimelineOut

router = Router(tags=["workflow"])


@router.get("/instances/{instance_id}", response=TimelineOut, summary="流程实例办理记录（时间线）")
def instance_timeline(request, instance_id: str):
    instance = timeline.instance_get_for_actor(actor=request.auth, instance_id=instance_id)
    return timeline.instance_timeline(actor=request.auth, instance=instance)
