"""Page forms of the workbench's 签名密钥 and 证照类型 pages. They turn the inputs into the
shapes the services take (licences' field specs from one line each, validity, layout); the
services are the authority, and their `InvalidInput.fields` ("fields[2].type", "layout.accent",
"issuer_ids"…) are shown beside the matching input.

照面信息项 are one line each, `名称|显示名称|类型|是否必填|枚举项1,枚举项2`: a textarea keeps
every field of a type visible and editable at once, survives a refused submission verbatim, and
needs no script — a repeated form would need both.
"""

from __future__ import annotations

import re

from django import forms
from django.utils.translation import gettext_lazy as _

from yiwang.core.web.forms import PageForm, text_field
from yiwang.licenses.models import HolderKind
from yiwang.licenses.signing import Algorithm

_YES = {"", "是", "必填", "y", "yes", "true", "1", "required"}
_NO = {"否", "选填", "n", "no", "false", "0", "optional"}
_SPLIT = re.compile(r"[,，、]")
_FIELD_ERROR = re.compile(r"fields\[(\d+)\](?:\.(\w+))?")
VALIDITY_KINDS = [("years", _("按年")), ("months", _("按月")), ("long_term", _("长期有效"))]
SERVICE_FIELDS = {
    "defining_department_id": "defining_department",
    "issuer_ids": "issuers",
    "validity": "validity_count",
    "layout": "order",
    "layout.accent": "accent",
    "layout.order": "order",
}


class KeyGenerateForm(PageForm):
    algorithm = forms.ChoiceField(
        label=_("签名算法"),
        choices=[(a.value, a.value) for a in Algorithm],
        error_messages={
            "required": _("请选择签名算法"),
            "invalid_choice": _("签名算法应为 SM2-SM3 或 Ed25519"),
        },
    )

    def __init__(self, *args, department_id: int, **kwargs):
        kwargs.setdefault("auto_id", f"%s-{department_id}")  # one form per department
        super().__init__(*args, **kwargs)


class KeyRevokeForm(PageForm):
    reason = text_field(_("吊销原因"), max_length=200, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, key_pk: int, **kwargs):
        kwargs.setdefault("auto_id", f"%s-key{key_pk}")  # one form per key
        super().__init__(*args, **kwargs)


def fields_as_lines(specs: list[dict]) -> str:
    lines = []
    for spec in specs:
        parts = [spec["name"], spec["label"], spec["type"], "是" if spec.get("required", True) else "否"]
        if spec.get("choices"):
            parts.append(",".join(spec["choices"]))
        lines.append("|".join(parts))
    return "\n".join(lines)


def _parse_fields(text: str) -> tuple[list[dict], list[str]]:
    specs, problems = [], []
    for number, line in enumerate(filter(None, (raw.strip() for raw in text.splitlines())), start=1):
        parts = [part.strip() for part in line.split("|")]
        if not 3 <= len(parts) <= 5:
            problems.append(f"第{number}行应为 名称|显示名称|类型|是否必填|枚举项")
            continue
        spec = {"name": parts[0], "label": parts[1], "type": parts[2].lower()}
        flag = parts[3].lower() if len(parts) > 3 else ""
        if flag not in _YES | _NO:
            problems.append(f"第{number}行：是否必填应为“是”或“否”")
        spec["required"] = flag not in _NO
        if len(parts) == 5 and parts[4]:
            spec["choices"] = [c.strip() for c in _SPLIT.split(parts[4]) if c.strip()]
        specs.append(spec)
    return specs, problems


class LicenseTypeForm(PageForm):
    code = text_field(
        _("证照类型代码"),
        max_length=21,
        help_text=_("定义机构的统一社会信用代码（18位）加3位数字，创建后不能修改"),
    )
    name = text_field(_("证照名称"), max_length=64)
    holder_kind = forms.ChoiceField(
        label=_("持证主体类别"),
        choices=HolderKind.choices,
        error_messages={"required": _("请选择持证主体类别")},
    )
    defining_department = forms.TypedChoiceField(
        label=_("定义机构"),
        coerce=int,
        error_messages={"required": _("请选择定义机构"), "invalid_choice": _("定义机构不存在")},
    )
    issuers = forms.TypedMultipleChoiceField(
        label=_("颁发机构"),
        coerce=int,
        help_text=_("可多选（按住 Ctrl 或 ⌘ 点选）；颁发机构须有统一社会信用代码"),
        widget=forms.SelectMultiple(attrs={"size": 6}),
        error_messages={"required": _("请至少选择一个颁发机构"), "invalid_choice": _("颁发机构不存在")},
    )
    fields_text = forms.CharField(
        label=_("照面信息项"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 6, "spellcheck": "false"}),
        help_text=_(
            "每行一项：名称|显示名称|类型|是否必填|枚举项。名称为小写字母开头的字母、数字或下划线；"
            "类型为 text（文本）、date（日期）、number（数字）或 enum（枚举）；是否必填填“是”或“否”（留空为是）；"
            "枚举项仅 enum 类型填写，以逗号分隔。例：category|主体业态|enum|是|食品销售经营者,餐饮服务经营者"
        ),
    )
    validity_kind = forms.ChoiceField(
        label=_("有效期"),
        choices=VALIDITY_KINDS,
        widget=forms.RadioSelect,
        error_messages={"required": _("请选择有效期规则")},
    )
    validity_count = forms.IntegerField(
        label=_("有效期年数或月数"),
        required=False,
        min_value=1,
        help_text=_("按年 1–100，按月 1–1200；长期有效时不填"),
        error_messages={"invalid": _("有效期年数或月数应为整数"), "min_value": _("有效期年数或月数至少为1")},
    )
    order = text_field(
        _("版式排列顺序"),
        max_length=2000,
        required=False,
        help_text=_("信息项名称，按照面显示顺序以逗号分隔；留空按上面的顺序"),
    )
    accent = text_field(
        _("版式主色"), max_length=7, required=False, help_text=_("#rrggbb 形式，如 #1f6fb2；留空用默认色")
    )
    replaces = forms.CharField(
        label=_("可替代的申请材料"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("每行一个材料名称：办事时可用此证照免提交这些材料"),
    )
    is_active = forms.BooleanField(label=_("启用"), required=False, initial=True)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    IMMUTABLE = ("code", "holder_kind", "defining_department")

    def __init__(self, *args, departments, editing: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        choices = [(d.pk, d.name + ("" if d.uscc else _("（无统一社会信用代码）"))) for d in departments]
        self.fields["defining_department"].choices = [("", _("请选择")), *choices]
        self.fields["issuers"].choices = choices
        self.departments = {d.pk: d for d in departments}
        if editing:  # the type's identity: every identifier and holder code type depend on it
            for name in self.IMMUTABLE:
                self.fields[name].disabled = True
                self.fields[name].required = False
            self.fields["version"].required = True
            self.fields["version"].error_messages["required"] = _("页面缺少版本号，请刷新后重新修改")
        else:
            del self.fields["is_active"]

    def clean(self):
        data = super().clean()
        specs, problems = _parse_fields(data.get("fields_text") or "")
        if problems:
            self.add_error("fields_text", "；".join(problems))
        data["field_specs"] = specs
        kind, count = data.get("validity_kind"), data.get("validity_count")
        if kind in ("years", "months") and count is None:
            self.add_error("validity_count", _("请填写有效期年数或月数"))
        data["validity"] = {"long_term": True} if kind == "long_term" else {kind: count}
        layout = {}
        if data.get("accent"):
            layout["accent"] = data["accent"].strip()
        order = [n.strip() for n in _SPLIT.split(data.get("order") or "") if n.strip()]
        if order:
            layout["order"] = order
        data["layout"] = layout
        data["replace_list"] = [m.strip() for m in (data.get("replaces") or "").splitlines() if m.strip()]
        return data

    def issuer_departments(self) -> list:
        return [self.departments[pk] for pk in self.cleaned_data.get("issuers", []) if pk in self.departments]

    def add_service_errors(self, error) -> None:
        for field, reason in (error.fields or {}).items():
            found = _FIELD_ERROR.fullmatch(field)
            if found:
                name, reason = "fields_text", f"第{int(found.group(1)) + 1}行：{reason}"
            else:
                name = SERVICE_FIELDS.get(field, field)
            self.add_error(name if name in self.fields and name != "version" else None, str(reason))
        if not error.fields:
            self.add_error(None, str(error.message))


def type_initial(license_type) -> dict:
    validity = license_type.validity or {}
    kind = next(iter(validity), "years")
    return {
        "code": license_type.code,
        "name": license_type.name,
        "holder_kind": license_type.holder_kind,
        "defining_department": license_type.defining_department_id,
        "issuers": [d.pk for d in license_type.issuers.all()],
        "fields_text": fields_as_lines(license_type.fields),
        "validity_kind": kind,
        "validity_count": None if kind == "long_term" else validity.get(kind),
        "order": ",".join(license_type.layout.get("order", [])),
        "accent": license_type.layout.get("accent", ""),
        "replaces": "\n".join(license_type.replaces),
        "is_active": license_type.is_active,
        "version": license_type.version,
    }
