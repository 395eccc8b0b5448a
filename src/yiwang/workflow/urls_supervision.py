from django.urls import path

from yiwang.workflow import views_notices
from yiwang.workflow import views_supervision as views

app_name = "supervision"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("export/<slug:table>.<slug:fmt>", views.export, name="export"),
    path("tasks/<int:task_id>/press/", views.press, name="press"),
    path("tasks/<int:task_id>/accountability/", views.accountability, name="accountability"),
    path("notices/", views_notices.notices, name="notices"),
    path("notices/<int:notice_id>/", views_notices.acknowledge, name="acknowledge"),
]
