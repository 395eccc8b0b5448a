from django.urls import path

from yiwang.workflow import views

app_name = "workflow"

urlpatterns = [
    path("", views.inbox, name="inbox"),
    path("<int:task_id>/", views.task, name="task"),
]
