"""Stored process definitions in the Django admin: read-only — a version is never edited (a
running instance keeps the one it started with); files change through `yiwang workflow load`."""

from __future__ import annotations

from django.contrib import admin
from django.http import Http404, HttpResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from yiwang.core.service_admin import ReadOnlyMixin, RoleViewMixin
from yiwang.workflow import bpmn, diagram, selectors
from yiwang.workflow.models import ProcessDefinitionVersion


@admin.register(ProcessDefinitionVersion)
class ProcessDefinitionVersionAdmin(RoleViewMixin, ReadOnlyMixin, admin.ModelAdmin):
    list_display = ("code", "version", "name", "is_current", "loaded_at", "source")
    list_filter = ("is_current",)
    search_fields = ("code", "name")
    ordering = ("code", "-version")
    fields = (
        "code",
        "version",
        "name",
        "is_current",
        "loaded_at",
        "source",
        "content_sha256",
        "picture",
        "bpmn_export",
        "yaml",
    )
    readonly_fields = fields

    @admin.display(description="流程图")
    def picture(self, version: ProcessDefinitionVersion) -> str:
        # to_svg builds the picture with ElementTree, which escapes every text it writes.
        return mark_safe(diagram.to_svg(selectors.definition_of(version=version)))  # noqa: S308

    @admin.display(description="定义原文（YAML）")
    def yaml(self, version: ProcessDefinitionVersion) -> str:
        return format_html("<pre>{}</pre>", version.text)

    @admin.display(description="BPMN 2.0")
    def bpmn_export(self, version: ProcessDefinitionVersion) -> str:
        url = reverse("admin:workflow_processdefinitionversion_bpmn", args=[version.pk])
        return format_html('<a href="{}" download>下载 BPMN 2.0 XML（可用标准建模工具打开）</a>', url)

    def get_urls(self):
        download = self.admin_site.admin_view(self.bpmn_download)
        own = [path("<int:pk>/bpmn/", download, name="workflow_processdefinitionversion_bpmn")]
        return own + super().get_urls()

    def bpmn_download(self, request, pk: int) -> HttpResponse:
        version = ProcessDefinitionVersion.objects.filter(pk=pk).first()
        if version is None or not self.has_view_permission(request, version):
            raise Http404
        xml = bpmn.to_bpmn_xml(selectors.definition_of(version=version))
        response = HttpResponse(xml, content_type="application/xml; charset=utf-8")
        filename = f"{version.code}-v{version.version}.bpmn"
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        return response
