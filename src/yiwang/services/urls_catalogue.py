"""Pages of 一网通办 — 目录 (mounted by services/urls.py; url names unique across the package):
the public 办事指南 under /services/items/, the catalogue's workbench under /workbench/services/."""

from django.urls import path

from yiwang.services import (
    views_catalogue_edit,
    views_catalogue_office,
    views_catalogue_public,
    views_catalogue_review,
    views_catalogue_windows,
)

_ITEM = "workbench/services/items/<int:item_id>/"
_VERSION = _ITEM + "versions/<int:number>/"

urlpatterns = [
    # 办事指南 (public)
    path("services/items/<int:item_id>/", views_catalogue_public.guide, name="guide"),
    path(
        "services/items/<int:item_id>/versions/<int:number>/",
        views_catalogue_public.guide_version,
        name="guide_version",
    ),
    path(
        "services/items/<int:item_id>/versions/<int:number>/materials/<int:material_id>/<str:kind>/",
        views_catalogue_public.guide_file,
        name="guide_file",
    ),
    # 事项管理 (workbench)
    path("workbench/services/items/", views_catalogue_office.items_office, name="items_office"),
    path("workbench/services/items/new/", views_catalogue_office.item_create, name="item_create"),
    path(_ITEM, views_catalogue_office.item_office, name="item_office"),
    path(_ITEM + "drafts/", views_catalogue_review.item_draft_new, name="item_draft_new"),
    path(_ITEM + "unpublish/", views_catalogue_review.item_unpublish, name="item_unpublish"),
    path(_ITEM + "restore/", views_catalogue_review.item_restore, name="item_restore"),
    path(_VERSION, views_catalogue_office.item_version, name="item_version"),
    path(_VERSION + "edit/", views_catalogue_edit.version_edit, name="version_edit"),
    path(_VERSION + "submit/", views_catalogue_review.item_submit, name="item_submit"),
    path(_VERSION + "publish/", views_catalogue_review.item_publish, name="item_publish"),
    path(_VERSION + "return/", views_catalogue_review.item_return, name="item_return"),
    # 服务窗口
    path("workbench/services/windows/", views_catalogue_windows.windows_office, name="windows_office"),
    path(
        "workbench/services/windows/<int:window_id>/deactivate/",
        views_catalogue_windows.window_deactivate,
        name="window_deactivate",
    ),
]
