from django.urls import path

from yiwang.core.notify import views

app_name = "notify"

urlpatterns = [
    path("", views.inbox, name="inbox"),
    path("<int:message_id>/", views.detail, name="detail"),
    path("read-all/", views.read_all, name="read_all"),
]
