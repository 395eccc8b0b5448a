"""/api/v1/audit: browse the audit log and verify its chains (administrators and 监察人员)."""

from ninja import Query, Router
from ninja.pagination import paginate

from yiwang.core.audit import selectors
from yiwang.core.audit.schemas import AuditFilterIn, AuditRecordOut, VerifyReportOut

router = Router(tags=["audit"])


@router.get("/records", response=list[AuditRecordOut], summary="审计记录（新的在前）")
@paginate
def audit_records(request, filters: Query[AuditFilterIn]):
    # dict(filters), not filters.dict(): keep the parsed dates rather than re-serialise them.
    return selectors.audit_list(actor=request.auth, **dict(filters))


@router.post("/verify", response=VerifyReportOut, summary="校验审计链完整性")
def audit_verify(request):
    """Recomputes every chain; it changes nothing, but it reads the whole log and may take a
    while, so it is a POST: never prefetched, cached or repeated by a crawler."""
    return selectors.audit_chains_verify(actor=request.auth)
