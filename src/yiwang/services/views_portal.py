"""一网通办门户 pages (public, no sign-in): the front page, search, and browsing by department,
life event and theme, each with the 个人办事 / 法人办事 tabs.

Bad input never gives a 500: an unknown 服务对象 or department number, a page number that is
not one, a query that is too long — each is named in Chinese on the page (status 400).
"""

from __future__ import annotations

from urllib.parse import urlencode

from django.core.paginator import Page, Paginator
from django.http import Http404
from django.shortcuts import render
from django.views.decorators.http import require_GET

from yiwang.core.errors import InvalidInput, NotFound, invalid
from yiwang.core.pagination import MAX_OFFSET
from yiwang.services import selectors_portal
from yiwang.services.models import SubjectKind
from yiwang.services.search import search_catalogue

PER_PAGE = 20
SUBJECT_TABS = (("", "全部"), (SubjectKind.CITIZEN, "个人办事"), (SubjectKind.ENTERPRISE, "法人办事"))


def _subject_tabs(request, subject: str) -> list[dict]:
    """The tabs keep the other query parameters (q, department), not the page."""
    kept = {k: v for k, v in request.GET.items() if k not in ("subject", "page")}
    return [
        {
            "label": label,
            "url": "?" + urlencode({**kept, **({"subject": code} if code else {})}),
            "current": code == subject,
        }
        for code, label in SUBJECT_TABS
    ]


def _page_number(request) -> int:
    try:
        number = int(request.GET.get("page", "1"))
    except ValueError:
        return 1
    return min(max(number, 1), MAX_OFFSET // PER_PAGE)


def _department_id(value: str) -> int | None:
    if not value:
        return None
    if not value.isdigit() or not 1 <= int(value) < 2**63:
        raise invalid("department", "部门编号应为正整数")
    return int(value)


def _context(request, subject: str, **extra) -> dict:
    return {"subject": subject, "tabs": _subject_tabs(request, subject), "errors": {}, **extra}


@require_GET
def portal(request):
    """门户首页: search box, 一件事一次办, life events of people and of enterprises, popular
    items, themes and departments."""
    subject, status, errors = request.GET.get("subject", ""), 200, {}
    try:
        overview = selectors_portal.portal_overview(subject=subject)
    except InvalidInput as error:
        subject, status, errors = "", 400, error.fields
        overview = selectors_portal.portal_overview()
    context = _context(request, subject, overview=overview, q="")
    context["errors"] = errors
    return render(request, "services/portal/home.html", context, status=status)


@require_GET
def search(request):
    """Ranked results with highlighted snippets; suggestions (life events) when nothing is found."""
    q, subject = request.GET.get("q", ""), request.GET.get("subject", "")
    try:
        department_id = _department_id(request.GET.get("department", ""))
        found, page_obj = _search_page(q, subject, department_id, _page_number(request))
    except InvalidInput as error:
        valid_subject = "" if "subject" in error.fields else subject
        context = _context(request, valid_subject, q=q[:200], page=None, errors=error.fields)
        context["message"] = "" if error.fields else error.message  # else shown beside its field
        return render(request, "services/portal/search.html", context, status=400)
    suggestions = []
    if found.searchable and not found.total:
        suggestions = [e for e in selectors_portal.life_event_counts(subject=subject) if e.count]
    context = _context(
        request,
        subject,
        q=found.query,
        page=found,
        page_obj=page_obj,
        suggestions=suggestions,
        department_id=department_id,
    )
    return render(request, "services/portal/search.html", context)


def _search_page(q: str, subject: str, department_id: int | None, number: int):
    """The requested page of results and its pager (web/partials/_pager.html); past the last
    page, the last one."""
    arguments = {"query": q, "subject": subject, "department_id": department_id, "limit": PER_PAGE}
    found = search_catalogue(offset=(number - 1) * PER_PAGE, **arguments)
    if found.total and not found.hits and found.offset >= found.total:
        number = (found.total - 1) // PER_PAGE + 1
        found = search_catalogue(offset=(number - 1) * PER_PAGE, **arguments)
    return found, Page(found.hits, number, Paginator(range(found.total), PER_PAGE))


def _listing(request, load, *, kind: str, **keys):
    """A browsing page; an unknown department or code is a 404, a bad 服务对象 a 400 showing all."""
    subject, status, errors = request.GET.get("subject", ""), 200, {}
    try:
        try:
            listing = load(subject=subject, **keys)
        except InvalidInput as error:
            subject, status, errors = "", 400, error.fields
            listing = load(**keys)
    except NotFound:
        raise Http404
    page_obj = Paginator(listing.items, PER_PAGE).get_page(request.GET.get("page"))
    context = _context(request, subject, listing=listing, page_obj=page_obj, kind=kind, q="", **keys)
    context["errors"] = errors
    return render(request, "services/portal/listing.html", context, status=status)


@require_GET
def department_items(request, department_id: int):
    return _listing(
        request, selectors_portal.items_by_department, kind="department", department_id=department_id
    )


@require_GET
def life_event_items(request, code: str):
    return _listing(request, selectors_portal.items_by_life_event, kind="life_event", code=code)


@require_GET
def theme_items(request, code: str):
    return _listing(request, selectors_portal.items_by_theme, kind="theme", code=code)
