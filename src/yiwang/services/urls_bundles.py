"""Pages of 一网通办 — 一件事 (mounted by services/urls.py; url names unique across the package)."""

from django.urls import path

from yiwang.services import views_bundles as views
from yiwang.services import views_bundles_office as office
from yiwang.services import views_bundles_status as status

_MINE = "me/bundles/<int:bundle_application_id>/"
_OFFICE = "workbench/services/bundles/"

urlpatterns: list = [
    path("services/bundles/<slug:code>/", views.bundle_detail, name="bundle_detail"),
    path("services/bundles/<slug:code>/apply/", views.bundle_apply, name="bundle_apply"),
    path("me/bundles/", status.my_bundles, name="my_bundles"),
    path(_MINE, status.my_bundle, name="my_bundle"),
    path(_MINE + "edit/", views.bundle_edit, name="bundle_edit"),
    path(_MINE + "withdraw/", status.bundle_withdraw_view, name="bundle_withdraw"),
    path(
        _MINE + "materials/<slug:code>/upload/",
        views.bundle_material_upload_view,
        name="bundle_material_upload",
    ),
    path(
        _MINE + "materials/<slug:code>/reuse/", views.bundle_material_reuse_view, name="bundle_material_reuse"
    ),
    path(_OFFICE, office.bundles_office, name="bundles_office"),
    path(_OFFICE + "new/", office.bundle_office_create, name="bundle_office_create"),
    path(_OFFICE + "<slug:code>/", office.bundle_office_edit, name="bundle_office_edit"),
    path(_OFFICE + "<slug:code>/publish/", office.bundle_office_publish, name="bundle_office_publish"),
    path(_OFFICE + "<slug:code>/unpublish/", office.bundle_office_unpublish, name="bundle_office_unpublish"),
]
