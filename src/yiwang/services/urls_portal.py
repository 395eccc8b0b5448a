"""Pages of 一网通办 — 门户检索 (mounted by services/urls.py; url names unique across the package)."""

from django.urls import path

from yiwang.services import views_portal

urlpatterns = [
    path("services/", views_portal.portal, name="portal"),
    path("services/search/", views_portal.search, name="search"),
    path("services/departments/<int:department_id>/", views_portal.department_items, name="department_items"),
    path("services/events/<slug:code>/", views_portal.life_event_items, name="life_event_items"),
    path("services/themes/<slug:code>/", views_portal.theme_items, name="theme_items"),
]
