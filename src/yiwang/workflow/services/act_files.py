"""办理 with attachments: files uploaded with the action, or uploaded before through
/api/v1/files (owner `workflow.task`, the task's id), are named in the action's history.

`task_act` takes attachment ids as they come; the API and the task page call this instead, so
an id is accepted only if it is a file the actor attached to this very task — not someone
else's file, not another task's. Uploads and the action are one transaction: a refused action
leaves no attachment behind (the blob may stay, which core.files allows).
"""

from __future__ import annotations

from django.db import transaction

from yiwang.core.errors import InvalidInput, invalid
from yiwang.core.files.models import Attachment
from yiwang.core.files.services import file_attach
from yiwang.workflow.owner_types import TASK_OWNER
from yiwang.workflow.services.act import ATTACHMENTS_MAX, task_act
from yiwang.workflow.services.claim import check_workable
from yiwang.workflow.services.handover import as_pk


def _own_attachments(*, actor, task, ids) -> list[int]:
    if isinstance(ids, str | bytes) or not hasattr(ids, "__iter__"):
        raise invalid("attachments", "附件须为附件编号的列表")
    ids = [as_pk(item) for item in ids]
    if len(ids) > ATTACHMENTS_MAX or None in ids:
        raise invalid("attachments", f"附件须为不超过{ATTACHMENTS_MAX}个附件编号")
    own = set(
        Attachment.objects.filter(
            pk__in=ids, owner_type=TASK_OWNER, owner_id=str(task.pk), uploaded_by_id=actor.pk
        ).values_list("pk", flat=True)
    )
    wrong = [pk for pk in ids if pk not in own]
    if wrong:
        listed = "、".join(map(str, wrong))
        raise invalid("attachments", f"附件编号无效（须为您为此待办上传的附件）：{listed}")
    return list(dict.fromkeys(ids))


@transaction.atomic
def task_act_with_files(
    *,
    actor,
    task,
    action_code: str,
    expected_version,
    opinion="",
    reason="",
    attachments=(),
    uploads=(),
):
    """`attachments`: ids of files already attached to the task by the actor; `uploads`:
    files to attach now (checked for size and type by core.files). Then `task_act`."""
    ids = _own_attachments(actor=actor, task=task, ids=attachments)
    uploads = [upload for upload in uploads if upload]
    if uploads:
        # Who may work it, and whether the version is current, before anything is stored: a
        # stale page gets the 409 it would get without files.
        task.refresh_from_db()
        check_workable(actor=actor, task=task, expected_version=expected_version)
        if len(ids) + len(uploads) > ATTACHMENTS_MAX:
            raise invalid("attachments", f"附件不能超过{ATTACHMENTS_MAX}个")
        for upload in uploads:
            try:
                attachment = file_attach(actor=actor, owner_type=TASK_OWNER, owner_id=task.pk, upload=upload)
            except InvalidInput as error:
                message = error.fields.get("file", error.message)
                name = getattr(upload, "name", "")
                raise invalid("attachments", f"{name}：{message}" if name else message) from None
            ids.append(attachment.pk)
    return task_act(
        actor=actor,
        task=task,
        action_code=action_code,
        expected_version=expected_version,
        opinion=opinion,
        reason=reason,
        attachments=ids,
    )
