from django.urls import path

from yiwang.core.web.views import auth, health, home, me, users, workbench

app_name = "web"

urlpatterns = [
    path("", home.portal_home, name="home"),
    path("login/", auth.login_view, name="login"),
    path("logout/", auth.logout_view, name="logout"),
    path("register/", auth.register_view, name="register"),
    path("me/", me.me_view, name="me"),
    path("me/reveal/", me.me_reveal, name="me_reveal"),
    path("me/password/", me.me_password, name="me_password"),
    path("me/tokens/", me.me_token_create, name="me_token_create"),
    path("me/tokens/<int:token_id>/revoke/", me.me_token_revoke, name="me_token_revoke"),
    path("me/enterprises/", me.me_enterprise_register, name="me_enterprise_register"),
    path("workbench/", workbench.workbench, name="workbench"),
    path("workbench/users/", users.user_list, name="users"),
    path("workbench/users/<int:user_id>/", users.user_detail, name="user_detail"),
    path("workbench/users/<int:user_id>/reveal/", users.user_reveal, name="user_reveal"),
    path("healthz", health.healthz, name="healthz"),
    path("readyz", health.readyz, name="readyz"),
    path("metrics", health.metrics, name="metrics"),
]
