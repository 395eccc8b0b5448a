from django.urls import path

from yiwang.core.web.views import auth, health, home

app_name = "web"

urlpatterns = [
    path("", home.portal_home, name="home"),
    path("login/", auth.login_view, name="login"),
    path("logout/", auth.logout_view, name="logout"),
    path("healthz", health.healthz, name="healthz"),
    path("readyz", health.readyz, name="readyz"),
    path("metrics", health.metrics, name="metrics"),
]
