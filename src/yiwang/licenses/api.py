"""/api/v1/licenses: 电子证照 — published keys and verification (public), the holder's wallet,
and the officials' type, key, issue, revise, revoke and 用证 operations (issue 4)."""

from ninja import File, Query, Router, Status, UploadedFile
from ninja.pagination import paginate

from yiwang.core.orgs.selectors import department_for_input
from yiwang.licenses import selectors
from yiwang.licenses.schemas import (
    IssueIn,
    KeyFilters,
    KeyGenerateIn,
    KeyOut,
    LicenseOut,
    LicenseTypeIn,
    LicenseTypeOut,
    LicenseTypeUpdateIn,
    LookupIn,
    LookupOut,
    ReasonIn,
    ReviseIn,
    SharedOut,
    ShareIn,
    ShareLinkOut,
    ShareOut,
    SignedLicenseIn,
    SignedLicenseOut,
    UseOut,
    VerificationOut,
)
from yiwang.licenses.services import issuing, keys, reuse, revising, types, verification, wallet
from yiwang.licenses.services.payload import stored_payload

router = Router(tags=["licenses"])


def _verification(result: verification.VerificationResult) -> dict:
    return {**result.__dict__, "status_label": result.status_label}


def _departments(ids: list[int] | None, field: str) -> list | None:
    if ids is None:
        return None
    found = {
        d.pk: d for d in (department_for_input(department_id=i, field=field) for i in dict.fromkeys(ids))
    }
    return list(found.values())


# --- public: keys, verification, shared links -------------------------------------------------
@router.get("/keys", auth=None, response=list[KeyOut], summary="颁发机构签名公钥（公开）")
@paginate
def key_list(request, filters: Query[KeyFilters]):
    """Every issuer's public keys with their status: retired keys still verify what they signed;
    licences signed by a revoked key verify as forged."""
    return selectors.signing_key_list(department_id=filters.department_id)


# Before /verify/{identifier}: Django tries the paths in order, and that one would take "file".
@router.post(
    "/verify/file",
    auth=None,
    response=VerificationOut,
    summary="核验上传的电子证照PDF或签名证照JSON（公开，离线验签）",
)
def verify_file(request, document: File[UploadedFile]):
    """multipart/form-data with the file as `document`: the licence PDF (its embedded
    `license.json` is verified) or the signed licence JSON. A PDF without it is forged."""
    # One byte over the limit is enough for the service to refuse it; the rest is never read.
    return _verification(verification.license_verify_file(document.read(verification.MAX_PDF_BYTES + 1)))


@router.get("/verify/{identifier}", auth=None, response=VerificationOut, summary="按证照标识核验（公开）")
def verify_identifier(request, identifier: str):
    return _verification(verification.license_verify_identifier(identifier))


@router.post("/verify", auth=None, response=VerificationOut, summary="核验签名证照JSON（公开，离线验签）")
def verify_signed(request, payload: SignedLicenseIn):
    return _verification(verification.license_verify_signed(payload.model_dump()))


@router.get("/shared/{token}", auth=None, response=SharedOut, summary="打开分享的核验链接（公开）")
def shared(request, token: str):
    view = wallet.share_link_resolve(token)
    return {
        "verification": _verification(view.result),
        "holder_name": view.holder_name,
        "number": view.number,
        "expires_at": view.expires_at,
    }


# --- the holder's wallet ---------------------------------------------------------------------
@router.get("/mine", response=list[LicenseOut], summary="我的证照")
@paginate
def mine(request, include_superseded: bool = False):
    return selectors.licenses_for_holder(actor=request.auth, include_superseded=include_superseded)


@router.get("/mine/uses", response=list[UseOut], summary="我的证照被谁使用过")
@paginate
def my_uses(request):
    return selectors.license_uses_for_holder(actor=request.auth)


@router.get("/{int:license_id}/signed", response=SignedLicenseOut, summary="下载签名证照JSON（本人）")
def signed(request, license_id: int):
    license_ = selectors.license_get_for_holder(actor=request.auth, license_id=license_id)
    return wallet.license_download_signed(actor=request.auth, license=license_)


@router.post("/{int:license_id}/share", response={201: ShareOut}, summary="生成限时核验链接（本人）")
def share(request, license_id: int, payload: ShareIn):
    license_ = selectors.license_get_for_holder(actor=request.auth, license_id=license_id)
    link, token = wallet.share_link_create(actor=request.auth, license=license_, hours=payload.hours)
    return Status(
        201,
        {
            "id": link.pk,
            "token": token,
            "url": f"/api/v1/licenses/shared/{token}",
            "expires_at": link.expires_at,
        },
    )


@router.get("/{int:license_id}/shares", response=list[ShareLinkOut], summary="我生成的核验链接（本人）")
@paginate
def share_list(request, license_id: int):
    license_ = selectors.license_get_for_holder(actor=request.auth, license_id=license_id)
    return selectors.share_links_for_holder(actor=request.auth, license=license_)


@router.post("/shares/{int:share_id}/revoke", response=ShareLinkOut, summary="撤回核验链接（本人）")
def share_revoke(request, share_id: int):
    """The link stops working at once: opening it then answers 404 here and 410 on its page."""
    link = selectors.share_link_get_for_holder(actor=request.auth, share_id=share_id)
    return wallet.share_link_revoke(actor=request.auth, link=link)


# --- officials: types and keys ---------------------------------------------------------------
@router.get("/types", response=list[LicenseTypeOut], summary="证照类型")
@paginate
def type_list(request, include_inactive: bool = False):
    return selectors.license_type_list(include_inactive=include_inactive)


@router.post("/types", response={201: LicenseTypeOut}, summary="新增证照类型")
def type_create(request, payload: LicenseTypeIn):
    defining = department_for_input(
        department_id=payload.defining_department_id, field="defining_department_id"
    )
    data = payload.model_dump(exclude={"defining_department_id", "issuer_ids"})
    issuers = _departments(payload.issuer_ids, "issuer_ids")
    return Status(
        201,
        types.license_type_create(actor=request.auth, defining_department=defining, issuers=issuers, **data),
    )


@router.patch("/types/{int:type_id}", response=LicenseTypeOut, summary="修改证照类型（带版本号）")
def type_update(request, type_id: int, payload: LicenseTypeUpdateIn):
    license_type = selectors.license_type_get(type_id=type_id)
    given = payload.model_dump(exclude_unset=True, exclude={"version", "issuer_ids"})
    if "layout" in given and given["layout"] is None:
        given["layout"] = {}
    return types.license_type_update(
        actor=request.auth,
        license_type=license_type,
        expected_version=payload.version,
        issuers=_departments(payload.issuer_ids, "issuer_ids"),
        **given,
    )


@router.post("/keys", response={201: KeyOut}, summary="生成或轮换颁发机构签名密钥")
def key_generate(request, payload: KeyGenerateIn):
    department = department_for_input(department_id=payload.department_id, field="department_id")
    return Status(
        201, keys.signing_key_generate(actor=request.auth, department=department, algorithm=payload.algorithm)
    )


@router.post("/keys/{key_id}/revoke", response=KeyOut, summary="吊销签名密钥")
def key_revoke(request, key_id: str, payload: ReasonIn):
    key = selectors.signing_key_get(key_id=key_id)
    return keys.signing_key_revoke(actor=request.auth, key=key, reason=payload.reason)


# --- officials: licences ---------------------------------------------------------------------
@router.post("/issue", response={201: LicenseOut}, summary="颁发电子证照")
def issue(request, payload: IssueIn):
    holder = selectors.holder_for_code(
        actor=request.auth, code=payload.holder_code, permission="licenses.issue"
    )
    license_type = selectors.license_type_for_input(code=payload.type_code)
    issuer = department_for_input(department_id=payload.issuer_id, field="issuer_id")
    data = payload.model_dump(include={"number", "data", "issued_on", "valid_from", "valid_until"})
    return Status(
        201,
        issuing.license_issue(
            actor=request.auth, license_type=license_type, holder=holder, issuer=issuer, **data
        ),
    )


@router.post("/{int:license_id}/revise", response={201: LicenseOut}, summary="变更电子证照（发新版本）")
def revise(request, license_id: int, payload: ReviseIn):
    license_ = selectors.license_get_for_official(
        actor=request.auth, license_id=license_id, permission="licenses.issue"
    )
    given = payload.model_dump(exclude_unset=True)
    return Status(201, revising.license_revise(actor=request.auth, license=license_, **given))


@router.post("/{int:license_id}/revoke", response=LicenseOut, summary="吊销电子证照")
def revoke(request, license_id: int, payload: ReasonIn):
    license_ = selectors.license_get_for_official(
        actor=request.auth, license_id=license_id, permission="licenses.revoke"
    )
    return revising.license_revoke(actor=request.auth, license=license_, reason=payload.reason)


@router.post("/lookup", response=LookupOut, summary="调用电子证照（免提交，记录用证）")
def lookup(request, payload: LookupIn):
    holder = selectors.holder_for_code(
        actor=request.auth, code=payload.holder_code, permission="licenses.use"
    )
    subject = (payload.subject_type, payload.subject_id) if payload.subject_type else None
    found = reuse.license_lookup(
        actor=request.auth,
        holder=holder,
        type_code=payload.type_code,
        purpose=payload.purpose,
        subject=subject,
    )
    if found is None:
        return {"found": False, "license": None}
    found.data = stored_payload(found)["data"]
    return {"found": True, "license": found}
