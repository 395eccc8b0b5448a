"""/api/v1/services — 门户检索 (public reads, no sign-in): search, life events, departments."""

from ninja import Query, Router

from yiwang.services import selectors_portal
from yiwang.services.schemas_portal import (
    CategoryOut,
    DepartmentCountOut,
    SearchIn,
    SearchPageOut,
    SubjectIn,
)
from yiwang.services.search import search_catalogue

router = Router(tags=["一网通办 · 门户检索"])


@router.get("/search", auth=None, response=SearchPageOut, summary="检索事项和一件事（中文分词）")
def search(request, filters: Query[SearchIn]):
    """Ranked by name, keywords and popularity; `count` is the total, `items` one page of it."""
    page = search_catalogue(
        query=filters.q,
        subject=filters.subject,
        department_id=filters.department,
        life_event=filters.life_event,
        theme=filters.theme,
        limit=filters.limit,
        offset=filters.offset,
    )
    items = [
        {
            "kind": hit.kind,
            "id": hit.id,
            "name": hit.name,
            "department": hit.department_name,
            "snippet": hit.snippet_text,
            "snippet_parts": [{"text": text, "match": match} for text, match in hit.snippet],
            "badges": list(hit.badges),
            "score": hit.score,
            "url": hit.url,
        }
        for hit in page.hits
    ]
    return {"items": items, "count": page.total, "searchable": page.searchable}


@router.get("/life-events", auth=None, response=list[CategoryOut], summary="人生事件及已发布事项数")
def life_events(request, filters: Query[SubjectIn]):
    return selectors_portal.life_event_counts(subject=filters.subject)


@router.get("/departments", auth=None, response=list[DepartmentCountOut], summary="有已发布事项的部门")
def departments(request, filters: Query[SubjectIn]):
    return selectors_portal.department_counts(subject=filters.subject)


@router.get("/themes", auth=None, response=list[CategoryOut], summary="主题分类及已发布事项数")
def themes(request, filters: Query[SubjectIn]):
    return selectors_portal.theme_counts(subject=filters.subject)
