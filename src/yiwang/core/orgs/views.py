"""The import page at /workbench/orgs/import/: choose 区划 or 部门, upload a CSV, read the
row-by-row report. The import itself is `imports.import_file`, as for the API and the CLI."""

from __future__ import annotations

from django import forms
from django.core.exceptions import PermissionDenied as Forbidden
from django.shortcuts import render
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from yiwang.core.errors import InvalidInput, PermissionDenied
from yiwang.core.orgs import imports
from yiwang.core.orgs.permissions import can_import_legacy_uscc
from yiwang.core.web.forms import PageForm
from yiwang.core.web.views._shared import official_required

KIND_LABELS = {"divisions": _("行政区划"), "departments": _("部门")}


class ImportForm(PageForm):
    kind = forms.ChoiceField(
        label=_("导入类型"),
        widget=forms.RadioSelect,
        error_messages={"required": _("请选择导入类型"), "invalid_choice": _("导入类型无效")},
    )
    file = forms.FileField(
        label=_("CSV文件"),
        help_text=_("UTF-8或GBK编码；第一行为表头（中文或英文列名）；不超过5 MB、20000行"),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,text/csv"}),
        error_messages={"required": _("请选择要导入的CSV文件"), "empty": _("CSV文件是空的")},
    )
    allow_legacy_uscc = forms.BooleanField(
        label=_("保留校验位错误的历史统一社会信用代码（标记告警）"), required=False
    )

    def __init__(self, *args, kinds: list[str], legacy: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [(k, KIND_LABELS[k]) for k in kinds]
        if len(kinds) == 1:
            self.fields["kind"].initial = kinds[0]
        if not legacy:
            del self.fields["allow_legacy_uscc"]


@official_required
def import_view(request):
    kinds = [kind for kind in imports.KINDS if imports.may_import(request.user, kind)]
    if not kinds:
        raise Forbidden()
    legacy = can_import_legacy_uscc(request.user)
    posted = request.method == "POST"
    form = ImportForm(
        request.POST if posted else None, request.FILES if posted else None, kinds=kinds, legacy=legacy
    )
    report, status = None, 200
    if posted:
        report, status = _run(request, form)
    context = {"form": form.mark_invalid_fields(), "report": report, "kind_labels": KIND_LABELS}
    return render(request, "orgs/import.html", context, status=status)


def _run(request, form: ImportForm):
    """The report and 200, or no report and the status of what went wrong beside the fields."""
    if not form.is_valid():
        return None, 422
    data = form.cleaned_data
    try:
        report = imports.import_file(
            actor=request.user,
            kind=data["kind"],
            data=data["file"],
            # The box is about USCCs: it means nothing for a list of divisions.
            allow_legacy_uscc=data["kind"] == "departments" and data.get("allow_legacy_uscc", False),
        )
    except InvalidInput as error:
        form.add_service_errors(error)
        return None, 422
    except PermissionDenied as error:
        form.add_error(None, gettext(error.message))
        return None, 403
    return report, 200
