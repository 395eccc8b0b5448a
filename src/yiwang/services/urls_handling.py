"""Pages of 一网通办 — 办理 (mounted by services/urls.py; url names unique across the package)."""

from django.urls import path

from yiwang.services import views_handling, views_handling_actions

urlpatterns: list = [
    path("workbench/services/applications/", views_handling.office_applications, name="office_applications"),
    path(
        "workbench/services/applications/<int:application_id>/",
        views_handling.office_application,
        name="office_application",
    ),
    path(
        "workbench/services/applications/<int:application_id>/act/<slug:op>/",
        views_handling_actions.office_application_act,
        name="office_application_act",
    ),
    path(
        "workbench/services/applications/<int:application_id>/reveal/",
        views_handling_actions.office_application_reveal,
        name="office_application_reveal",
    ),
    path(
        "workbench/services/applications/<int:application_id>/files/<int:attachment_id>/",
        views_handling.office_application_file,
        name="office_application_file",
    ),
    path(
        "workbench/services/documents/<int:document_id>/",
        views_handling.office_document,
        name="office_document",
    ),
]
