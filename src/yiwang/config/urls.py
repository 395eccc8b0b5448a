from django.contrib import admin
from django.urls import include, path

from yiwang.config.api import api

admin.site.site_header = "一网 yiwang 系统管理"
admin.site.site_title = "一网 yiwang"
admin.site.index_title = "主数据管理"

urlpatterns = [
    path("api/v1/", api.urls),
    path("admin/", admin.site.urls),
    path("oidc/", include("mozilla_django_oidc.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("messages/", include("yiwang.core.notify.urls")),
    path("files/", include("yiwang.core.files.urls")),
    path("workbench/audit/", include("yiwang.core.audit.urls")),
    path("workbench/calendar/", include("yiwang.core.workcal.urls")),
    path("workbench/orgs/", include("yiwang.core.orgs.urls")),
    path("workbench/tasks/", include("yiwang.workflow.urls")),
    path("workbench/supervision/", include("yiwang.workflow.urls_supervision")),
    path("", include("yiwang.licenses.urls")),
    path(
        "", include("yiwang.services.urls")
    ),  # services/…, me/applications/…, workbench/services/…  # licenses/…, me/licenses/…, workbench/licenses/…
    path("", include("yiwang.core.web.urls")),
]

handler404 = "yiwang.core.web.views.errors.not_found"
handler500 = "yiwang.core.web.views.errors.server_error"
handler403 = "yiwang.core.web.views.errors.forbidden"
handler400 = "yiwang.core.web.views.errors.bad_request"
