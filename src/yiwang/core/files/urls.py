from django.urls import path

from yiwang.core.files import views

app_name = "files"

urlpatterns = [
    path("upload/", views.upload, name="upload"),
    path("<int:attachment_id>/", views.download, name="download"),
    path("<int:attachment_id>/delete/", views.delete, name="delete"),
]
