"""Checking the content of a 实施清单 version (STANDARDS.md §4) before it is stored.

`check_content` takes the keys a caller wants to change (field names of `ServiceItemVersion`)
and returns the clean values and, field by field, the Chinese reason of every problem. Each
given value is checked on its own (enumerations, lengths, ranges), then the version as it would
be after the change is checked as a whole (承诺 ≤ 法定时限, the process matches the 办件类型 and
the 并联审批 departments, a licence result names a licence type the department issues and says
where each of its fields comes from). A draft may be incomplete; `check_complete` is what
submitting for review adds (名称, 受理条件, 设定依据, 服务对象, 送达方式).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from yiwang.core.ids import as_id
from yiwang.core.orgs.models import Department
from yiwang.licenses.models import LicenseType
from yiwang.services.forms_spec import parse_fields
from yiwang.services.models import HandlingKind, LimitUnit, ResultKind
from yiwang.services.services.catalogue_fields import (
    CHOICES,
    EDITABLE,
    FLAGS,
    LABELS,
    LISTS,
    NUMBERS,
    PROCESS_CODES,
    RESULT_SOURCES,
    SPECIAL,
    TEXT_LIMITS,
)


@dataclass
class CheckedContent:
    values: dict = field(default_factory=dict)  # field → clean value (joint departments apart)
    joint_departments: list | None = None  # Department rows, or None when not given
    errors: dict = field(default_factory=dict)


def _is_int(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _text(name, value, errors) -> str:
    if not isinstance(value, str) or "\x00" in value:
        errors[name] = f"{LABELS[name]}应为文字"
        return ""
    value = value.strip()
    if len(value) > TEXT_LIMITS[name]:
        errors[name] = f"{LABELS[name]}至多{TEXT_LIMITS[name]}个字符"
    elif name == "name" and not value:
        errors[name] = "请填写事项名称"
    return value


def _choice(name, value, errors) -> str:
    enum = CHOICES[name]
    if value not in enum.values:
        errors[name] = f"{LABELS[name]}无效，可选：{'、'.join(str(label) for label in enum.labels)}"
    return value


def _list(name, value, errors) -> list:
    enum, required = LISTS[name]
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        errors[name] = f"{LABELS[name]}应为列表"
        return []
    unknown = [v for v in value if v not in enum.values]
    if unknown:
        errors[name] = (
            f"{LABELS[name]}中“{'、'.join(unknown)[:64]}”无效，可选：{'、'.join(str(x) for x in enum.labels)}"
        )
    elif required and not value:
        errors[name] = f"请至少选择一项{LABELS[name]}"
    return list(dict.fromkeys(value))


def _number(name, value, errors) -> int:
    low, high = NUMBERS[name]
    if not _is_int(value) or not low <= value <= high:
        errors[name] = f"{LABELS[name]}应为{low}–{high}的整数"
        return low
    return value


def _department(value, where: str, errors) -> Department | None:
    if value is None or value == "":
        return None
    department = Department.objects.filter(pk=as_id(value)).first() if as_id(value) else None
    if department is None:
        errors[where] = "部门不存在"
    elif not department.is_active:
        errors[where] = f"部门“{department.name}”已停用"
    return department


def _joint(value, item, errors) -> list:
    if not isinstance(value, list) or len(value) > 20:
        errors["joint_departments"] = "并联审批部门应为不超过20个部门的列表"
        return []
    ids = [as_id(v) for v in value]
    if None in ids:
        errors["joint_departments"] = "并联审批部门应为部门ID"
        return []
    found = {d.pk: d for d in Department.objects.filter(pk__in=ids)}
    missing = [str(i) for i in ids if i not in found]
    if missing:
        errors["joint_departments"] = f"部门不存在：{'、'.join(missing)}"
        return []
    departments = [found[i] for i in dict.fromkeys(ids)]
    inactive = [d.name for d in departments if not d.is_active]
    if inactive:
        errors["joint_departments"] = f"部门已停用：{'、'.join(inactive)}"
    elif any(d.pk == item.department_id for d in departments):
        errors["joint_departments"] = "实施部门是主办部门，不能同时列为并联审批（协办）部门"
    return departments


def _form_fields(value, errors) -> list:
    fields, problems = parse_fields(value)
    errors.update(problems)
    return [
        {
            "code": f.code,
            "label": f.label,
            "type": f.type,
            "required": f.required,
            "choices": list(f.choices),
            "max_length": f.max_length,
            "help": f.help,
        }
        for f in fields
    ]


def _one(name, value, item, checked: CheckedContent) -> None:
    errors = checked.errors
    if name in TEXT_LIMITS:
        checked.values[name] = _text(name, value, errors)
    elif name in CHOICES:
        checked.values[name] = _choice(name, value, errors)
    elif name in LISTS:
        checked.values[name] = _list(name, value, errors)
    elif name in NUMBERS:
        checked.values[name] = _number(name, value, errors)
    elif name in FLAGS:
        if not isinstance(value, bool):
            errors[name] = f"{LABELS[name]}应为 true 或 false"
        checked.values[name] = bool(value)
    elif name == "process_code":
        if value not in PROCESS_CODES:
            errors[name] = f"办理流程无效，可选：{'、'.join(f'{c}（{n}）' for c, n in PROCESS_CODES.items())}"
        checked.values[name] = value
    elif name == "acceptance_department":
        checked.values[name] = _department(value, name, errors)
    elif name == "joint_departments":
        checked.joint_departments = _joint(value, item, errors)
    elif name == "result_field_map":
        if not isinstance(value, dict) or len(value) > 100:
            errors[name] = "证照字段来源应为“证照信息项 → 来源”的对应表"
            value = {}
        checked.values[name] = value
    elif name == "form_fields":
        checked.values[name] = _form_fields(value, errors)


def check_content(content, *, version) -> CheckedContent:
    """Clean values of the keys given, and the problems of each, keyed by field name."""
    checked = CheckedContent()
    if not isinstance(content, dict):
        checked.errors["content"] = "内容应为“字段 → 值”的对象"
        return checked
    for name, value in content.items():
        if name not in EDITABLE:
            checked.errors[str(name)[:64]] = "未知字段或不可修改的字段"
            continue
        _one(name, value, version.item, checked)
    if not checked.errors:
        _check_whole(version, checked)
    return checked


def _merged(version, checked: CheckedContent, name: str):
    if name in checked.values:
        return checked.values[name]
    return getattr(version, name)


def _check_whole(version, checked: CheckedContent) -> None:
    """The version as it would be after the change, checked across fields."""
    errors, given = checked.errors, checked.values

    def get(name):
        return _merged(version, checked, name)

    statutory, promised = get("statutory_limit"), get("promised_limit")
    if get("statutory_limit_unit") == get("promised_limit_unit") and promised > statutory:
        unit = LimitUnit(get("statutory_limit_unit")).label
        errors["promised_limit"] = f"承诺办结时限不能超过法定办结时限（{statutory}个{unit}）"
    process, kind = get("process_code"), get("handling_kind")
    where = "process_code" if "process_code" in given or "handling_kind" not in given else "handling_kind"
    if kind == HandlingKind.IMMEDIATE and process != "services.immediate":
        errors[where] = "即办件应使用“即办件办理”流程（services.immediate）"
    elif kind != HandlingKind.IMMEDIATE and process == "services.immediate":
        errors[where] = "“即办件办理”流程只用于办件类型为即办件的事项"
    joint = (
        checked.joint_departments
        if checked.joint_departments is not None
        else (list(version.joint_departments.all()) if version.pk else [])
    )
    if process == "services.joint" and len(joint) != 1:
        errors["joint_departments"] = "并联审批须指定1个协办部门"
    elif process != "services.joint" and joint:
        errors["joint_departments"] = "只有“并联审批”流程的事项可以指定并联审批部门"
    if not get("fee_free") and not get("fees"):
        errors["fees"] = "收费事项须填写收费标准及依据"
    _check_result(version, checked, get)


def _check_result(version, checked: CheckedContent, get) -> None:
    errors, given = checked.errors, checked.values
    if get("result_kind") != ResultKind.LICENSE:
        for name, empty in (("result_license_type", ""), ("result_field_map", {})):
            if given.get(name):
                errors[name] = "结果类型为决定文书时不填写证照类型与证照字段来源"
            given[name] = empty  # a result that was a licence before: its leftovers go
        return
    code = get("result_license_type")
    if not code:
        errors["result_license_type"] = "结果为电子证照时须选择证照类型"
        return
    license_type = LicenseType.objects.filter(code=code).prefetch_related("issuers").first()
    if license_type is None or not license_type.is_active:
        errors["result_license_type"] = f"证照类型“{code}”不存在或已停用"
        return
    if version.item.department_id not in {d.pk for d in license_type.issuers.all()}:
        errors["result_license_type"] = f"实施部门不是“{license_type.name}”的颁发机构"
        return
    _check_field_map(get("result_field_map"), license_type, get("form_fields"), errors)


def _check_field_map(field_map: dict, license_type, form_fields: list, errors: dict) -> None:
    specs = {spec["name"]: spec for spec in license_type.fields}
    form_codes = {f.get("code") for f in form_fields}
    for name, source in field_map.items():
        where = f"result_field_map.{str(name)[:64]}"
        if name not in specs:
            errors[where] = f"“{license_type.name}”没有信息项“{name}”"
        elif not isinstance(source, str) or not (
            source in RESULT_SOURCES or (source.startswith("form:") and source[5:] in form_codes)
        ):
            errors[where] = (
                "来源应为 form:<申请表字段代码>（该字段须在申请表中）、applicant.name、applicant.code 或 application.number"
            )
    missing = [
        spec["label"] for n, spec in specs.items() if spec.get("required", True) and n not in field_map
    ]
    if missing and "result_field_map" not in errors:
        errors["result_field_map"] = f"证照必填信息项须指定来源：{'、'.join(missing)}"


def check_complete(version) -> dict:
    """What a version needs before review, beyond what every edit already checks."""
    errors = {}
    for name, reason in (
        ("name", "请填写事项名称"),
        ("conditions", "提交审核前须填写受理条件"),
        ("legal_basis", "提交审核前须填写设定依据"),
        ("subjects", "提交审核前须选择服务对象"),
        ("delivery_methods", "提交审核前须选择送达方式"),
    ):
        if not getattr(version, name):
            errors[name] = reason
    return errors


def content_of(version) -> dict:
    """A stored version as `check_content` takes it (departments by id): to check it again
    before review, to copy it, and to fill the edit page."""
    content = {name: getattr(version, name) for name in EDITABLE if name not in SPECIAL}
    content["process_code"] = version.process_code
    content["acceptance_department"] = version.acceptance_department_id
    content["joint_departments"] = [d.pk for d in version.joint_departments.all()] if version.pk else []
    content["result_field_map"] = dict(version.result_field_map or {})
    content["form_fields"] = list(version.form_fields or [])
    return content
