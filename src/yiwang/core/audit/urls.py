from django.urls import path

from yiwang.core.audit import views

app_name = "audit"

urlpatterns = [
    path("", views.audit_list, name="list"),
    path("verify/", views.audit_verify, name="verify"),
]
