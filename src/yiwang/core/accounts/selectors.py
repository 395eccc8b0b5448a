"""Reads of users, scoped: an official sees colleagues in departments within their scope;
citizens and enterprises only with a city-wide grant; anyone sees themselves."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from yiwang.core.accounts.models import ApiToken, Post, User, UserKind
from yiwang.core.accounts.rbac import scope_for
from yiwang.core.errors import NotFound


def user_list_for_actor(*, actor: User, kind: str | None = None, query: str = "",
                        department_id: int | None = None) -> QuerySet:
    scope = scope_for(actor, "accounts.user.view")
    if scope.empty:
        return User.objects.filter(pk=actor.pk)
    if scope.city_wide:
        users = User.objects.all()
    else:
        visible_posts = scope.filter(Post.objects.all())
        users = User.objects.filter(kind=UserKind.OFFICIAL, posts__in=visible_posts).distinct()
    if kind:
        users = users.filter(kind=kind)
    if department_id:
        users = users.filter(posts__department_id=department_id).distinct()
    if query:
        users = users.filter(Q(display_name__contains=query) | Q(username__icontains=query))
    return users.order_by("kind", "username")


def user_get_for_actor(*, actor: User, user_id) -> User:
    try:
        user_id = int(user_id)
    except (TypeError, ValueError):
        raise NotFound() from None
    if actor.pk == user_id:
        return actor
    user = user_list_for_actor(actor=actor).filter(pk=user_id).first()
    if user is None:
        raise NotFound()
    return user


def posts_of(user: User) -> QuerySet:
    return Post.objects.filter(user=user).select_related("department", "department__division", "role")


def api_tokens_of(user: User) -> QuerySet:
    return ApiToken.objects.filter(user=user)
