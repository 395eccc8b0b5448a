"""Pages of 一网通办 — 一件事 (mounted by services/urls.py; url names unique across the package)."""

from django.urls import path  # noqa: F401

urlpatterns: list = []
