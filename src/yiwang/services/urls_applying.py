"""Pages of 一网通办 — 申请 (mounted by services/urls.py; url names unique across the package)."""

from django.urls import path

from yiwang.services import views_applying as views
from yiwang.services import views_applying_edit as edit
from yiwang.services import views_applying_window as window

MATERIAL = "me/applications/<int:application_id>/materials/<slug:code>/"

urlpatterns: list = [
    path("services/items/<int:item_id>/apply/", views.apply, name="apply"),
    path("me/applications/", views.my_applications, name="my_applications"),
    path("me/applications/<int:application_id>/", views.my_application, name="my_application"),
    path("me/applications/<int:application_id>/edit/", edit.application_edit, name="application_edit"),
    path(
        "me/applications/<int:application_id>/withdraw/",
        views.application_withdraw_view,
        name="application_withdraw",
    ),
    path(
        "me/applications/<int:application_id>/resubmit/",
        views.application_resubmit_view,
        name="application_resubmit",
    ),
    path(f"{MATERIAL}upload/", edit.material_upload, name="application_material_upload"),
    path(f"{MATERIAL}reuse/", edit.material_reuse, name="application_material_reuse"),
    path(f"{MATERIAL}promise/", edit.material_promise, name="application_material_promise"),
    path(f"{MATERIAL}paper/", edit.material_paper, name="application_material_paper"),
    path(
        f"{MATERIAL}files/<int:attachment_id>/delete/",
        edit.material_file_remove,
        name="application_material_file_remove",
    ),
    path("me/materials/", views.my_materials, name="my_materials"),
    path(
        "me/materials/<int:material_id>/deactivate/",
        views.my_material_deactivate,
        name="my_material_deactivate",
    ),
    path("workbench/services/window/", window.window_apply, name="window_apply"),
    path(
        "workbench/services/window/applications/<int:application_id>/edit/",
        window.window_application_edit,
        name="window_application_edit",
    ),
]
