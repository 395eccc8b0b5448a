"""Pages of 一网通办 — 好差评 and the figures (mounted by services/urls.py; url names unique
across the package)."""

from django.urls import path

from yiwang.services import views_figures, views_ratings, views_ratings_office

urlpatterns: list = [
    path("me/applications/<int:application_id>/rate/", views_ratings.rate, name="rate"),
    path("services/rate/<str:token>/", views_ratings.rate_window, name="rate_window"),
    path("services/ratings/", views_ratings.ratings_public, name="ratings_public"),
    path("workbench/services/ratings/", views_ratings_office.ratings_office, name="ratings_office"),
    path("workbench/services/rectifications/", views_ratings_office.rectifications, name="rectifications"),
    path(
        "workbench/services/rectifications/<int:rectification_id>/",
        views_ratings_office.rectification,
        name="rectification",
    ),
    path("workbench/services/figures/", views_figures.figures_page, name="figures"),
    path("workbench/services/figures/export.csv", views_figures.figures_csv, name="figures_csv"),
]
