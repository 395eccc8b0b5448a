"""Reads of users, scoped: an official sees colleagues in departments within their scope;
citizens and enterprises only with a city-wide grant; anyone sees themselves."""

from __future__ import annotations

from django.db.models import Exists, OuterRef, Q, QuerySet

from yiwang.core import codes, personal_data
from yiwang.core.accounts.models import ApiToken, EnterpriseAgent, Permission, Post, Role, User, UserKind
from yiwang.core.accounts.permissions import can_act_for_enterprise, can_role_manage
from yiwang.core.accounts.rbac import scope_for
from yiwang.core.errors import InvalidInput, NotFound, PermissionDenied
from yiwang.core.ids import as_id


def user_list_for_actor(
    *, actor: User, kind: str | None = None, query: str = "", department_id: int | None = None
) -> QuerySet:
    scope = scope_for(actor, "accounts.user.view")
    if scope.empty:
        return User.objects.filter(pk=actor.pk)
    if scope.city_wide:
        users = User.objects.all()
    else:
        # EXISTS rather than a join: no duplicate rows, so no DISTINCT and an exact count.
        visible_posts = scope.filter(Post.objects.filter(user=OuterRef("pk")))
        users = User.objects.filter(Q(Exists(visible_posts)) | Q(pk=actor.pk))
    if kind:
        users = users.filter(kind=kind)
    if department_id:
        users = users.filter(Exists(Post.objects.filter(user=OuterRef("pk"), department_id=department_id)))
    query = (query or "").strip()
    if query:
        users = users.filter(Q(display_name__contains=query) | Q(username__icontains=query))
    return users.order_by("kind", "username")


def user_get_for_actor(*, actor: User, user_id) -> User:
    user_id = as_id(user_id)
    if user_id is None:
        raise NotFound()
    if actor.pk == user_id:
        return actor
    user = user_list_for_actor(actor=actor).filter(pk=user_id).first()
    if user is None:
        raise NotFound()
    return user


def posts_of(user: User) -> QuerySet:
    return Post.objects.filter(user=user).select_related("department", "department__division", "role")


def post_get_for_actor(*, actor: User, post_id) -> Post:
    """A post the actor may see: its department lies within the actor's view scope."""
    post_id = as_id(post_id)
    posts = scope_for(actor, "accounts.user.view").filter(
        Post.objects.select_related("department", "role", "user")
    )
    post = posts.filter(pk=post_id).first() if post_id else None
    if post is None:
        raise NotFound()
    return post


def api_tokens_of(user: User) -> QuerySet:
    return ApiToken.objects.filter(user=user)


def enterprise_get_for_actor(*, actor: User, enterprise_id) -> User:
    """The enterprise account itself or one of its current agents may see it; anyone else 404."""
    enterprise_id = as_id(enterprise_id)
    enterprise = (
        User.objects.filter(pk=enterprise_id, kind=UserKind.ENTERPRISE).first() if enterprise_id else None
    )
    if enterprise is None or not can_act_for_enterprise(actor, enterprise):
        raise NotFound()
    return enterprise


def enterprises_of_agent(*, agent: User) -> QuerySet:
    return User.objects.filter(
        kind=UserKind.ENTERPRISE, pk__in=EnterpriseAgent.objects.filter(agent=agent).values("enterprise_id")
    )


def enterprise_agents_of(*, enterprise: User) -> QuerySet:
    """The 经办人 of an enterprise, earliest authorised first (shown to the enterprise itself)."""
    return (
        EnterpriseAgent.objects.filter(enterprise=enterprise).select_related("agent").order_by("created_at")
    )


def citizen_find(*, id_number: str, display_name: str) -> User:
    """The citizen with this 身份证号 and name (both must match: the name guards against
    probing the register with guessed numbers)."""
    try:
        id_number = codes.validate_id_number(id_number)
    except codes.CodeInvalid as error:
        raise InvalidInput(fields={"id_number": str(error)}) from None
    citizen = User.objects.filter(
        kind=UserKind.CITIZEN,
        is_active=True,
        id_number_index=personal_data.blind_index("id_number", id_number),
    ).first()
    if citizen is None or citizen.display_name != (display_name or "").strip():
        raise InvalidInput(fields={"id_number": "未找到姓名与身份证号相符的个人用户"})
    return citizen


def role_list(*, actor: User) -> QuerySet:
    """Roles are an officials' matter; citizens and enterprises get a 403."""
    if actor.kind != UserKind.OFFICIAL:
        raise PermissionDenied("只有工作人员可以查看角色")
    return Role.objects.prefetch_related("permissions").order_by("id")


def role_get(*, code: str, field: str = "role") -> Role:
    role = Role.objects.filter(code=(code or "").strip()).first()
    if role is None:
        raise InvalidInput(fields={field: "角色不存在"})
    return role


def role_get_for_manage(*, actor, code: str) -> Role:
    """The role to edit or delete. The permission comes first, so someone who may not manage
    roles learns nothing about which codes exist."""
    if not can_role_manage(actor):
        raise PermissionDenied("没有管理角色与权限的权限")
    role = Role.objects.filter(code=(code or "").strip()).first()
    if role is None:
        raise NotFound("角色不存在")
    return role


def permission_list(*, actor):
    """Every permission code with its Chinese name, for officials (as `role_list`)."""
    if getattr(actor, "kind", None) != UserKind.OFFICIAL:
        raise PermissionDenied("只有工作人员可以查看权限")
    return Permission.objects.order_by("code")
