"""The start parameters of an application's process (processes/*.yaml): one place, so the
applying services, the demo and the tests start instances the same way.

- `applicant`: the principal's user id — the 补正 waiting state is theirs (person: param:applicant);
- `acceptance_department`: the window that does 预审/受理 (the version's 受理部门, else the item's);
- `joint_department_<n>`: the version's 并联审批部门, in id order;
- `time_limit`: the version's 承诺办结时限 ("10 working_days"), the whole-process limit, counted
  from 受理 (the processes' clock_from). A 0 limit (当场办结) leaves the process's own.
"""

from __future__ import annotations


def process_params(*, applicant, version, item) -> dict:
    params: dict = {
        "applicant": applicant.pk,
        "acceptance_department": version.acceptance_department_id or item.department_id,
    }
    for number, department_id in enumerate(
        sorted(version.joint_departments.values_list("pk", flat=True)), start=1
    ):
        params[f"joint_department_{number}"] = department_id
    if version.promised_limit:
        params["time_limit"] = f"{version.promised_limit} {version.promised_limit_unit}"
    return params
