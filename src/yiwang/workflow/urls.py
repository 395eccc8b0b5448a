from django.urls import path

from yiwang.workflow import views, views_handover, views_instances

app_name = "workflow"

urlpatterns = [
    path("", views.inbox, name="inbox"),
    path("<int:task_id>/", views.task, name="task"),
    path("<int:task_id>/transfer/", views_handover.transfer, name="task_transfer"),
    path("<int:task_id>/delegate/", views_handover.delegate, name="task_delegate"),
    path("<int:task_id>/reassign/", views_handover.reassign, name="task_reassign"),
    path("<int:task_id>/copy/", views_handover.copy, name="task_copy"),
    path("copies/<int:copy_id>/read/", views_handover.copy_read, name="copy_read"),
    path("instances/<int:instance_id>/", views_instances.instance, name="instance"),
]
