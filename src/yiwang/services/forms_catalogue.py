"""Page forms of the catalogue's workbench. They only parse what was typed into the shapes the
services take (catalogue_checks.py is the authority); the services' per-field reasons come back
beside the same inputs: field names are the version's field names, `materials[i].<key>` and
`form_fields[i].<key>` land on the i-th kept row of their formset.

Materials and 申请表字段 are rows (Django formsets) with a few empty rows to add to and a
删除 box per row: no script needed. A material row takes its 空表/样表 file right there.
"""

from __future__ import annotations

import re

from django import forms
from django.utils.translation import gettext_lazy as _

from yiwang.core.web.forms import PageForm, text_field
from yiwang.services.forms_spec import FIELD_TYPES
from yiwang.services.models import (
    DeliveryMethod,
    ExerciseLevel,
    HandlingForm,
    HandlingKind,
    ItemType,
    LifeEvent,
    LimitUnit,
    MaterialForm,
    ResultKind,
    Scope,
    SubjectKind,
    Theme,
)
from yiwang.services.models.catalogue import ONLINE_DEPTHS
from yiwang.services.services.catalogue_fields import PROCESS_CODES

_ROW_ERROR = re.compile(r"(materials|form_fields)\[(\d+)\](?:\.(\w+))?")
_BLANK = [("", _("请选择"))]


def _checks(label, choices):
    return forms.MultipleChoiceField(
        label=label, choices=choices, required=False, widget=forms.CheckboxSelectMultiple
    )


def _number(label, low, high, **kwargs):
    message = _("%(label)s应为%(low)s–%(high)s的整数") % {"label": label, "low": low, "high": high}
    return forms.IntegerField(
        label=label,
        min_value=low,
        max_value=high,
        error_messages={"required": message, "invalid": message, "min_value": message, "max_value": message},
        **kwargs,
    )


def _area(label, max_length, rows=3, required=False):
    return text_field(
        label, max_length=max_length, required=required, widget=forms.Textarea(attrs={"rows": rows})
    )


class ItemCreateForm(PageForm):
    department = forms.TypedChoiceField(
        label=_("实施部门"),
        coerce=int,
        error_messages={"required": _("请选择实施部门"), "invalid_choice": _("请选择实施部门")},
    )
    base_code = text_field(
        _("基本编码"),
        max_length=14,
        help_text=_("14位数字或大写字母（GB/T 39554.1-2020），如 330100ABCD0001"),
    )
    name = text_field(_("事项名称"), max_length=128)
    item_type = forms.ChoiceField(
        label=_("事项类型"),
        choices=_BLANK + ItemType.choices,
        error_messages={"required": _("请选择事项类型")},
    )

    def __init__(self, *args, departments, **kwargs):
        super().__init__(*args, **kwargs)
        self.departments = {d.pk: d for d in departments}
        self.fields["department"].choices = _BLANK + [
            (d.pk, d.name + ("" if d.uscc else _("（无统一社会信用代码）"))) for d in departments
        ]


class VersionForm(PageForm):
    """Every element of a version (STANDARDS.md §4) except materials and 申请表 (rows below)."""

    name = text_field(_("事项名称"), max_length=128)
    item_type = forms.ChoiceField(label=_("事项类型"), choices=ItemType.choices)
    subjects = _checks(_("服务对象"), SubjectKind.choices)
    legal_basis = _area(_("设定依据"), 4000)
    conditions = _area(_("受理条件"), 4000)
    power_source = text_field(_("权力来源"), max_length=64, required=False)
    exercise_level = forms.ChoiceField(label=_("行使层级"), choices=ExerciseLevel.choices)
    statutory_limit = _number(_("法定办结时限"), 0, 999)
    statutory_limit_unit = forms.ChoiceField(label=_("法定时限单位"), choices=LimitUnit.choices)
    promised_limit = _number(_("承诺办结时限"), 0, 999)
    promised_limit_unit = forms.ChoiceField(label=_("承诺时限单位"), choices=LimitUnit.choices)
    handling_kind = forms.ChoiceField(label=_("办件类型"), choices=HandlingKind.choices)
    online_depth = forms.TypedChoiceField(
        label=_("网办深度"), coerce=int, choices=[(k, f"{k} {v}") for k, v in ONLINE_DEPTHS.items()]
    )
    visits = _number(_("到办事现场次数"), 0, 3, help_text=_("0 表示全程网办"))
    handling_forms = _checks(_("办理形式"), HandlingForm.choices)
    fee_free = forms.BooleanField(label=_("不收费"), required=False)
    fees = _area(_("收费标准及依据"), 2000, rows=2)
    location = text_field(_("办理地点"), max_length=255, required=False)
    office_hours = text_field(_("办理时间"), max_length=255, required=False)
    phone = text_field(_("咨询电话"), max_length=64, required=False)
    scope = forms.ChoiceField(label=_("通办范围"), choices=Scope.choices)
    process_code = forms.ChoiceField(label=_("办理流程"), choices=list(PROCESS_CODES.items()))
    acceptance_department = forms.TypedChoiceField(
        label=_("受理部门"),
        coerce=int,
        required=False,
        empty_value=None,
        help_text=_("综合窗口（一窗受理）所在部门；不选则由实施部门受理"),
    )
    joint_departments = forms.TypedMultipleChoiceField(
        label=_("并联审批部门"),
        coerce=int,
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 5}),
        help_text=_("只用于“并联审批”流程，选1个协办部门"),
    )
    allows_deficiency = forms.BooleanField(label=_("容缺受理"), required=False)
    result_kind = forms.ChoiceField(label=_("结果类型"), choices=ResultKind.choices)
    result_name = text_field(_("结果名称"), max_length=128, required=False)
    result_license_type = forms.ChoiceField(label=_("结果证照类型"), required=False)
    result_field_map = forms.CharField(
        label=_("证照字段来源"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3, "spellcheck": "false"}),
        help_text=_(
            "每行一项：证照信息项=来源。来源为 form:申请表字段代码、applicant.name、applicant.code 或 application.number"
        ),
    )
    delivery_methods = _checks(_("送达方式"), DeliveryMethod.choices)
    life_events = _checks(_("人生事件"), LifeEvent.choices)
    themes = _checks(_("主题分类"), Theme.choices)
    keywords = text_field(
        _("检索关键词"), max_length=255, required=False, help_text=_("以空格分隔，如：开饭店 餐饮")
    )
    expected_version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, departments, license_types, **kwargs):
        super().__init__(*args, **kwargs)
        choices = [(d.pk, d.name) for d in departments]
        self.fields["acceptance_department"].choices = [("", _("（实施部门）"))] + choices
        self.fields["joint_departments"].choices = choices
        self.fields["result_license_type"].choices = [("", _("（无）"))] + [
            (t.code, f"{t.name}（{t.code}）") for t in license_types
        ]

    def clean_result_field_map(self) -> dict:
        mapping = {}
        for number, line in enumerate(
            filter(None, (r.strip() for r in self.cleaned_data["result_field_map"].splitlines())), 1
        ):
            name, sep, source = (part.strip() for part in line.partition("="))
            if not sep or not name or not source:
                raise forms.ValidationError(_("第%(n)s行应为 证照信息项=来源") % {"n": number})
            mapping[name] = source
        return mapping

    def content(self) -> dict:
        data = dict(self.cleaned_data)
        data.pop("expected_version", None)
        return data

    def add_service_errors(self, error) -> None:
        for field, reason in (error.fields or {}).items():
            if field.startswith("result_field_map."):
                field, reason = "result_field_map", f"“{field.partition('.')[2]}”：{reason}"
            self.add_error(
                field if field in self.fields and field != "expected_version" else None, str(reason)
            )
        if not error.fields:
            self.add_error(None, str(error.message))


def version_initial(content: dict, edit_version: int) -> dict:
    initial = dict(content)
    initial["result_field_map"] = "\n".join(
        f"{k}={v}" for k, v in (content.get("result_field_map") or {}).items()
    )
    initial["expected_version"] = edit_version
    return initial


class MaterialRowForm(forms.Form):
    code = forms.SlugField(
        label=_("材料代码"), max_length=64, help_text=_("如 id_card；同一材料在各事项中用同一代码")
    )
    name = forms.CharField(label=_("材料名称"), max_length=128)
    required = forms.BooleanField(label=_("必要"), required=False, initial=True)
    is_key = forms.BooleanField(label=_("关键材料（不可容缺）"), required=False, initial=True)
    form = forms.ChoiceField(
        label=_("材料形式"), choices=MaterialForm.choices, initial=MaterialForm.ELECTRONIC
    )
    copies = _number(_("份数"), 1, 10, initial=1)
    license_type = forms.ChoiceField(label=_("可替代的证照类型"), required=False)
    shared_data = forms.CharField(label=_("可替代的共享数据项"), max_length=64, required=False)
    notes = forms.CharField(label=_("填报说明"), max_length=500, required=False)
    template_id = forms.IntegerField(required=False, widget=forms.HiddenInput)
    sample_id = forms.IntegerField(required=False, widget=forms.HiddenInput)
    template_file = forms.FileField(label=_("上传空表"), required=False)
    sample_file = forms.FileField(label=_("上传样表"), required=False)
    remove_template = forms.BooleanField(label=_("删除空表"), required=False)
    remove_sample = forms.BooleanField(label=_("删除样表"), required=False)

    def __init__(self, *args, license_types=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["license_type"].choices = [("", _("（无）"))] + [(t.code, t.name) for t in license_types]

    def spec(self) -> dict:
        data = self.cleaned_data
        spec = {
            k: data.get(k)
            for k in (
                "code",
                "name",
                "required",
                "is_key",
                "form",
                "copies",
                "license_type",
                "shared_data",
                "notes",
            )
        }
        spec["template_id"] = None if data.get("remove_template") else data.get("template_id")
        spec["sample_id"] = None if data.get("remove_sample") else data.get("sample_id")
        return spec


class FormFieldRowForm(forms.Form):
    code = forms.CharField(label=_("字段代码"), max_length=40, help_text=_("小写字母开头，如 address"))
    label = forms.CharField(label=_("字段名称"), max_length=64)
    type = forms.ChoiceField(label=_("字段类型"), choices=list(FIELD_TYPES.items()), initial="text")
    required = forms.BooleanField(label=_("必填"), required=False, initial=True)
    choices = forms.CharField(
        label=_("选项"), max_length=2000, required=False, help_text=_("单选字段的选项，以逗号分隔")
    )
    max_length = forms.IntegerField(label=_("最大长度"), required=False, min_value=0, max_value=5000)
    help = forms.CharField(label=_("填写说明"), max_length=200, required=False)

    def spec(self) -> dict:
        data = self.cleaned_data
        choices = [c.strip() for c in re.split(r"[,，、]", data.get("choices") or "") if c.strip()]
        return {
            "code": data["code"].strip(),
            "label": data["label"].strip(),
            "type": data["type"],
            "required": data["required"],
            "choices": choices,
            "max_length": data.get("max_length") or 0,
            "help": data.get("help") or "",
        }


MaterialFormSet = forms.formset_factory(
    MaterialRowForm, extra=2, can_delete=True, max_num=50, absolute_max=60
)
FormFieldFormSet = forms.formset_factory(
    FormFieldRowForm, extra=2, can_delete=True, max_num=60, absolute_max=70
)


def kept_rows(formset) -> list:
    """The rows to store, in order: the stored rows and the new rows filled in, less those
    marked 删除."""
    return [
        form
        for index, form in enumerate(formset.forms)
        if (index < formset.initial_form_count() or form.has_changed())
        and not form.cleaned_data.get("DELETE")
    ]


def add_row_errors(error, *, version_form, rows: dict) -> None:
    """Service reasons onto the page: `materials[i].x` / `form_fields[i].x` onto the i-th kept
    row of that formset (`rows`: {"materials": [...], "form_fields": [...]}), the rest onto
    the version form."""
    others = {}
    for field, reason in (error.fields or {}).items():
        found = _ROW_ERROR.fullmatch(field)
        if not found:
            others[field] = reason
            continue
        kind, index, key = found.group(1), int(found.group(2)), found.group(3) or ""
        key = {"template_id": "template_file", "sample_id": "sample_file"}.get(key, key)
        forms_of_kind = rows.get(kind, [])
        if index < len(forms_of_kind):
            form = forms_of_kind[index]
            form.add_error(key if key in form.fields else None, str(reason))
        else:
            others[kind] = reason
    if others or not error.fields:
        error.fields = others
        version_form.add_service_errors(error)


class OpinionForm(PageForm):
    opinion = text_field(
        _("审核意见"), max_length=500, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class ReasonForm(PageForm):
    reason = text_field(_("下线原因"), max_length=500, widget=forms.Textarea(attrs={"rows": 2}))


class ItemFilterForm(forms.Form):
    q = forms.CharField(label=_("事项名称或实施编码"), max_length=64, required=False)
    status = forms.ChoiceField(
        label=_("状态"),
        required=False,
        choices=[
            ("", _("全部")),
            ("pending", _("待审核")),
            ("draft", _("未发布")),
            ("published", _("已发布")),
            ("offline", _("已下线")),
        ],
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "filter-%s")
        super().__init__(*args, **kwargs)


class WindowForm(PageForm):
    department = forms.TypedChoiceField(
        label=_("所属大厅（部门）"),
        coerce=int,
        error_messages={"required": _("请选择所属大厅"), "invalid_choice": _("请选择所属大厅")},
    )
    code = text_field(_("窗口编号"), max_length=16, help_text=_("如 A01"))
    name = text_field(_("窗口名称"), max_length=64)

    def __init__(self, *args, departments, **kwargs):
        super().__init__(*args, **kwargs)
        self.departments = {d.pk: d for d in departments}
        self.fields["department"].choices = _BLANK + [(d.pk, d.name) for d in departments]
