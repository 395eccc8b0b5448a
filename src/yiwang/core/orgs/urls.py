from django.urls import path

from yiwang.core.orgs import views

app_name = "orgs"

urlpatterns = [
    path("import/", views.import_view, name="import"),
]
