from django.urls import path

from yiwang.core.workcal import views

app_name = "workcal"

urlpatterns = [
    path("", views.year_view, name="year"),
    path("<int:year>/", views.year_view, name="year"),
]
