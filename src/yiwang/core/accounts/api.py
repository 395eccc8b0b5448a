"""The accounts API at /api/v1/: registration, sign-in, one's own profile and tokens,
enterprises and their agents, and the scoped management of officials.

Thin: parse (schemas) → one selector or service → respond. Errors are domain exceptions that
`config/api.py` turns into the envelope.
"""

from django.conf import settings
from django.contrib import auth
from django.http import HttpRequest
from ninja import Query, Router, Status
from ninja.pagination import paginate

from yiwang.core.accounts import selectors
from yiwang.core.accounts.schemas import (
    AgentAddIn,
    AgentOut,
    DeactivateIn,
    EnterpriseRegisterIn,
    LoginIn,
    OfficialCreateIn,
    OfficialUpdateIn,
    PasswordChangeIn,
    PermissionOut,
    PostGrantIn,
    PostOut,
    RegisterIn,
    RevealIn,
    RevealOut,
    RoleCreateIn,
    RoleOut,
    RoleUpdateIn,
    TokenCreatedOut,
    TokenCreateIn,
    TokenOut,
    UserDetailOut,
    UserFilters,
    UserOut,
)
from yiwang.core.accounts.services import login, officials, personal, roles, tokens, users
from yiwang.core.errors import DomainError, PermissionDenied
from yiwang.core.orgs.selectors import department_for_input

router = Router(tags=["accounts"])


class CrossSiteRequest(DomainError):
    status = 403
    code = "cross_site_request"
    default_message = "请从本站页面或以 application/json 方式提交"


def _same_site_json(request: HttpRequest) -> None:
    """Login CSRF guard for the anonymous endpoints (ninja checks no CSRF with auth=None).
    A cross-site HTML form can send only form or text/plain bodies, and a cross-site script
    cannot send application/json without a CORS preflight we never answer; an Origin header
    naming another site is refused outright."""
    if request.content_type != "application/json":
        raise CrossSiteRequest()
    origin = request.headers.get("Origin")
    if origin and origin != "null":
        own = f"{request.scheme}://{request.get_host()}"
        if origin != own and origin not in settings.CSRF_TRUSTED_ORIGINS:
            raise CrossSiteRequest()
    elif origin == "null":
        raise CrossSiteRequest()


def _session_only(request: HttpRequest) -> None:
    """Changing the password and minting tokens need the browser session: a leaked token must
    not be able to lock its owner out or mint itself a longer-lived successor."""
    if "Authorization" in request.headers:
        raise PermissionDenied("修改密码和创建令牌须在登录会话中进行，不能使用API令牌")


# --- registration and sign-in ----------------------------------------------------------------
@router.post("/auth/register", auth=None, response={201: UserOut}, summary="个人注册")
def register(request, payload: RegisterIn):
    _same_site_json(request)
    return Status(201, users.citizen_register(**payload.model_dump()))


@router.post("/auth/login", auth=None, response=UserDetailOut, summary="登录（用户名或手机号）")
def login_(request, payload: LoginIn):
    _same_site_json(request)
    user = auth.authenticate(request, username=payload.username, password=payload.password)
    if user is None:
        raise getattr(request, "yiwang_login_error", None) or login.BadCredentials()
    auth.login(request, user)  # new session key and CSRF token: no session fixation
    return user


@router.post("/auth/logout", response={204: None}, summary="退出登录")
def logout(request):
    login.logout_record(actor=request.auth)
    auth.logout(request)
    return Status(204, None)


# --- one's own account -----------------------------------------------------------------------
@router.get("/me", response=UserDetailOut, summary="我的信息（脱敏）")
def me(request):
    return request.auth


@router.post("/me/password", response={204: None}, summary="修改密码")
def password_change(request, payload: PasswordChangeIn):
    _session_only(request)
    login.password_change(actor=request.auth, **payload.model_dump())
    auth.update_session_auth_hash(request, request.auth)
    return Status(204, None)


@router.get("/me/tokens", response=list[TokenOut], summary="我的API令牌")
@paginate
def token_list(request):
    return selectors.api_tokens_of(request.auth)


@router.post("/me/tokens", response={201: TokenCreatedOut}, summary="创建API令牌")
def token_create(request, payload: TokenCreateIn):
    _session_only(request)
    token, secret = tokens.api_token_create(actor=request.auth, name=payload.name, days=payload.days)
    token.secret = secret
    return Status(201, token)


@router.delete("/me/tokens/{token_id}", response=TokenOut, summary="吊销API令牌")
def token_revoke(request, token_id: int):
    return tokens.api_token_revoke(actor=request.auth, token_id=token_id)


# --- enterprises -----------------------------------------------------------------------------
@router.post("/enterprises", response={201: UserOut}, summary="法人注册（由个人用户作为经办人办理）")
def enterprise_register(request, payload: EnterpriseRegisterIn):
    return Status(201, users.enterprise_register(agent=request.auth, **payload.model_dump()))


@router.post("/enterprises/{enterprise_id}/agents", response={201: AgentOut}, summary="添加企业经办人")
def enterprise_agent_add(request, enterprise_id: int, payload: AgentAddIn):
    enterprise = selectors.enterprise_get_for_actor(actor=request.auth, enterprise_id=enterprise_id)
    agent = selectors.citizen_find(id_number=payload.id_number, display_name=payload.display_name)
    link = users.enterprise_agent_add(
        actor=request.auth, enterprise=enterprise, agent=agent, valid_until=payload.valid_until
    )
    return Status(201, link)


# --- officials: scoped reads and management --------------------------------------------------
@router.get("/users", response=list[UserOut], summary="人员列表（按管理范围）")
@paginate
def user_list(request, filters: Query[UserFilters]):
    return selectors.user_list_for_actor(
        actor=request.auth, kind=filters.kind, department_id=filters.department, query=filters.q
    )


@router.get("/users/{user_id}", response=UserDetailOut, summary="人员详情")
def user_detail(request, user_id: int):
    return selectors.user_get_for_actor(actor=request.auth, user_id=user_id)


@router.patch("/users/{user_id}", response=UserDetailOut, summary="修改工作人员信息")
def user_update(request, user_id: int, payload: OfficialUpdateIn):
    user = selectors.user_get_for_actor(actor=request.auth, user_id=user_id)
    data = payload.model_dump(exclude={"version"})
    return officials.official_update(actor=request.auth, user=user, expected_version=payload.version, **data)


@router.post("/users/{user_id}/deactivate", response=UserDetailOut, summary="停用账号")
def user_deactivate(request, user_id: int, payload: DeactivateIn):
    user = selectors.user_get_for_actor(actor=request.auth, user_id=user_id)
    return officials.user_deactivate(actor=request.auth, user=user, reason=payload.reason)


@router.post("/users/{user_id}/reveal", response=RevealOut, summary="查看完整个人信息（留痕）")
def user_reveal(request, user_id: int, payload: RevealIn):
    value = personal.personal_data_reveal(
        actor=request.auth, subject_id=user_id, field=payload.field, purpose=payload.purpose
    )
    return {"field": payload.field, "value": value}


@router.post("/users/{user_id}/unlock", response=UserDetailOut, summary="解除登录锁定")
def user_unlock(request, user_id: int):
    user = selectors.user_get_for_actor(actor=request.auth, user_id=user_id)
    return login.user_unlock(actor=request.auth, user=user)


@router.post("/officials", response={201: UserDetailOut}, summary="添加工作人员")
def official_create(request, payload: OfficialCreateIn):
    data = payload.model_dump(exclude={"department_id", "role"})
    department = department_for_input(department_id=payload.department_id, field="department_id")
    role = selectors.role_get(code=payload.role)
    return Status(201, users.official_create(actor=request.auth, department=department, role=role, **data))


@router.post("/users/{user_id}/posts", response={201: PostOut}, summary="授予岗位")
def post_grant(request, user_id: int, payload: PostGrantIn):
    user = selectors.user_get_for_actor(actor=request.auth, user_id=user_id)
    department = department_for_input(department_id=payload.department_id, field="department_id")
    role = selectors.role_get(code=payload.role)
    post = users.post_grant(
        actor=request.auth, user=user, department=department, role=role, city_wide=payload.city_wide
    )
    return Status(201, post)


@router.delete("/posts/{post_id}", response={204: None}, summary="撤销岗位")
def post_revoke(request, post_id: int):
    post = selectors.post_get_for_actor(actor=request.auth, post_id=post_id)
    users.post_revoke(actor=request.auth, post=post)
    return Status(204, None)


@router.get("/roles", response=list[RoleOut], summary="角色及其权限")
@paginate
def role_list(request):
    return selectors.role_list(actor=request.auth)


@router.post("/roles", response={201: RoleOut}, summary="新建角色")
def role_create(request, payload: RoleCreateIn):
    role = roles.role_create(
        actor=request.auth,
        code=payload.code,
        name=payload.name,
        description=payload.description,
        permission_codes=payload.permissions,
    )
    return Status(201, role)


@router.patch("/roles/{code}", response=RoleOut, summary="修改角色名称、说明或权限")
def role_update(request, code: str, payload: RoleUpdateIn):
    role = selectors.role_get_for_manage(actor=request.auth, code=code)
    return roles.role_update(
        actor=request.auth,
        role=role,
        name=payload.name,
        description=payload.description,
        permission_codes=payload.permissions,
    )


@router.delete("/roles/{code}", response={204: None}, summary="删除角色（内置角色和仍在使用的角色除外）")
def role_delete(request, code: str):
    role = selectors.role_get_for_manage(actor=request.auth, code=code)
    roles.role_delete(actor=request.auth, role=role)
    return Status(204, None)


@router.get("/permissions", response=list[PermissionOut], summary="全部权限代码及名称")
def permission_list(request):
    # Not paged: a bounded list declared in code (`<package>/permissions.py`), and whoever
    # edits a role needs all of it at once.
    return selectors.permission_list(actor=request.auth)
