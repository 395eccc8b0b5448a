"""Forms of the officials' application page: one per action, each with its own prefix so
several sit on one page with distinct ids. They check the shape only; the handling services
decide what is valid, and their per-field reasons are shown beside the same fields."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from yiwang.core.errors import InvalidInput
from yiwang.core.web.forms import PageForm, text_field


def _area(label, *, max_length: int = 2000, rows: int = 3):
    return text_field(
        label, max_length=max_length, required=False, widget=forms.Textarea(attrs={"rows": rows})
    )


class OpinionForm(PageForm):
    opinion = _area(_("意见"))


class AcceptForm(PageForm):
    opinion = _area(_("受理意见"))
    deficiency_note = _area(
        _("容缺后补说明"), rows=2
    )  # given: 容缺受理 (missing non-key materials promised later)


class NotAcceptForm(PageForm):
    reason = _area(_("不予受理理由"))


class ReviewForm(PageForm):
    agree = forms.ChoiceField(
        label=_("审查结论"),
        choices=[("yes", _("同意")), ("no", _("不同意"))],
        widget=forms.RadioSelect,
        error_messages={"required": _("请选择同意或不同意"), "invalid_choice": _("请选择同意或不同意")},
    )
    opinion = _area(_("审查意见"))


class DecideForm(PageForm):
    approve = forms.ChoiceField(
        label=_("决定"),
        choices=[("yes", _("准予")), ("no", _("不予"))],
        widget=forms.RadioSelect,
        error_messages={"required": _("请选择准予或不予"), "invalid_choice": _("请选择准予或不予")},
    )
    opinion = _area(_("决定意见"))
    reason = _area(_("不予理由（不予时必填）"))
    basis = _area(_("法律依据（不予时填写；不填则引用事项设定依据）"))


class DeliverForm(PageForm):
    note = text_field(_("运单号或领取人"), max_length=200, required=False)


class CorrectionForm(PageForm):
    """一次性告知: a checkbox and a problem per material of the application, one submit."""

    note = _area(_("告知说明"), rows=2)

    def __init__(self, *args, materials=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.material_rows = []
        for material in materials:
            pick = f"pick_{material.code}"
            problem = f"problem_{material.code}"
            self.fields[pick] = forms.BooleanField(label=material.name, required=False)
            self.fields[problem] = text_field(
                _("补正要求"), max_length=500, required=False, initial=material.problem or ""
            )
            self.material_rows.append((material, pick, problem))

    def items(self) -> list[dict]:
        data = self.cleaned_data
        return [
            {"code": material.code, "problem": data.get(problem, "")}
            for material, pick, problem in self.material_rows
            if data.get(pick)
        ]

    def add_service_errors(self, error: InvalidInput) -> None:
        renamed = {
            (f"problem_{name.removeprefix('items.')}" if name.startswith("items.") else name): reason
            for name, reason in (error.fields or {}).items()
        }
        super().add_service_errors(InvalidInput(error.message, fields=renamed))

    def bound_rows(self):
        return [(material, self[pick], self[problem]) for material, pick, problem in self.material_rows]


class RevealForm(PageForm):
    field = forms.ChoiceField(
        label=_("查看项"), error_messages={"required": _("请选择查看项"), "invalid_choice": _("查看项无效")}
    )
    purpose = text_field(_("查看事由"), max_length=200, required=False)

    def __init__(self, *args, fields: dict[str, str] | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["field"].choices = list((fields or {}).items())


FORMS = {
    "pre-review": OpinionForm,
    "correction": CorrectionForm,
    "accept": AcceptForm,
    "not-accept": NotAcceptForm,
    "review": ReviewForm,
    "decide": DecideForm,
    "decide-immediate": OpinionForm,
    "deliver": DeliverForm,
}
