"""门户检索: the catalogue's published items and 一件事 in the search index, and the portal's search.

What is indexed (core.search weights title 10 : keywords 4 : body 1, boosted by 热度):
- an item — title: its name; keywords: the version's 检索关键词, its life-event and theme labels
  and their synonyms (search_terms.py); body: 受理条件, material names, the department's name,
  the result's name and the 基本编码;
- a bundle — title: its name; keywords: its keywords and life-event label; body: its
  description, its items' names and departments.
Only what the public may see is indexed: a published item of an 依申请 type (STANDARDS §4) with
a published version, a published bundle. Anything else is removed, so the catalogue services
call `index_item` / `index_bundle` after every publish, change or unpublish, and
`yiwang search-reindex` rebuilds it all.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from yiwang.core.errors import InvalidInput
from yiwang.core.pagination import MAX_OFFSET
from yiwang.core.search import segment
from yiwang.core.search import services as full_text
from yiwang.services import search_terms
from yiwang.services.models import (
    Bundle,
    BundleStatus,
    ItemStatus,
    LifeEvent,
    ServiceItem,
    ServiceItemVersion,
    SubjectKind,
    Theme,
)
from yiwang.services.models.catalogue import APPLICABLE_TYPES
from yiwang.services.selectors_portal import SUBJECT_REASON, bundle_url, item_url

ITEM, BUNDLE = "item", "bundle"
MAX_QUERY_LENGTH = 100
MAX_PAGE_SIZE = 50
_TAG_VALUE = re.compile(r"^[a-z0-9_\-]{1,64}$")


def _tags(name: str, values) -> list[str]:
    return [f"{name}:{v}" for v in (str(v).strip() for v in values) if _TAG_VALUE.match(v)]


def _keys(stored: str) -> list[str]:
    return [key for key in stored.split(",") if key]


def _labels(choices, codes) -> list[str]:
    return [str(choices(code).label) for code in codes if code in choices.values]


# --- indexing --------------------------------------------------------------------------------
def is_listed(item: ServiceItem) -> bool:
    return (
        item.status == ItemStatus.PUBLISHED
        and item.published_version_id is not None
        and item.item_type in APPLICABLE_TYPES
    )


def index_item(item: ServiceItem) -> None:
    """(Re)index a published item; remove it from the index if it is not published. The
    bundles it belongs to are reindexed too (their text names it)."""
    if is_listed(item):
        _index_published_item(item)
    else:
        full_text.remove(kind=ITEM, object_id=item.pk)
    for bundle in Bundle.objects.filter(entries__item=item).select_related("lead_department").distinct():
        index_bundle(bundle)


def _index_published_item(item: ServiceItem) -> None:
    version = (
        ServiceItemVersion.objects.select_related("item__department")
        .prefetch_related("materials")
        .get(pk=item.published_version_id)
    )
    department = version.item.department
    materials = [material.name for material in version.materials.all()]
    events, themes = _labels(LifeEvent, version.life_events), _labels(Theme, version.themes)
    synonyms = search_terms.expansions(version.name, version.keywords, version.result_name)
    display = [version.keywords, f"办理结果：{version.result_name}" if version.result_name else ""]
    display += ["申请材料：" + "、".join(materials) if materials else "", version.conditions]
    full_text.index(
        kind=ITEM,
        object_id=item.pk,
        title=version.name,
        keywords=" ".join([version.keywords, *events, *themes, synonyms]),
        body=" ".join([version.conditions, *materials, department.name, version.result_name, item.base_code]),
        popularity=item.popularity,
        tags=[
            f"dept:{item.department_id}",
            *_tags("subject", _keys(item.subject_keys)),
            *_tags("event", _keys(item.life_event_keys)),
            *_tags("theme", _keys(item.theme_keys)),
        ],
        display_text="；".join(part for part in display if part),
    )


def index_item_popularity(item: ServiceItem) -> None:
    """热度 changed (an application was submitted, `popularity = F(...) + 1`): only the ranking
    boost is updated, from the stored count."""
    popularity = ServiceItem.objects.filter(pk=item.pk).values_list("popularity", flat=True).first()
    full_text.popularity_set(kind=ITEM, object_id=item.pk, popularity=popularity or 0)


def index_bundle_popularity(bundle: Bundle) -> None:
    popularity = Bundle.objects.filter(pk=bundle.pk).values_list("popularity", flat=True).first()
    full_text.popularity_set(kind=BUNDLE, object_id=bundle.pk, popularity=popularity or 0)


def index_bundle(bundle: Bundle) -> None:
    """(Re)index a published 一件事; remove it if it is not published."""
    if bundle.status != BundleStatus.PUBLISHED:
        full_text.remove(kind=BUNDLE, object_id=bundle.pk)
        return
    items = [entry.item for entry in bundle.entries.select_related("item__department")]
    departments = {bundle.lead_department_id: bundle.lead_department.name}
    departments.update({item.department_id: item.department.name for item in items})
    event = _labels(LifeEvent, [bundle.life_event])
    names = "、".join(item.name for item in items)
    full_text.index(
        kind=BUNDLE,
        object_id=bundle.pk,
        title=bundle.name,
        keywords=" ".join([bundle.keywords, *event, search_terms.expansions(bundle.name, bundle.keywords)]),
        body=" ".join([bundle.description, names, *departments.values()]),
        popularity=bundle.popularity,
        tags=[
            *_tags("dept", departments),
            *_tags("subject", [bundle.subject]),
            *_tags("event", [bundle.life_event]),
        ],
        display_text="；".join(p for p in [bundle.description, f"包含事项：{names}" if names else ""] if p),
    )


def reindex_all() -> tuple[int, int]:
    """Rebuild the catalogue's documents from the database: (items, bundles) indexed."""
    items = list(
        ServiceItem.objects.filter(status=ItemStatus.PUBLISHED, item_type__in=APPLICABLE_TYPES).exclude(
            published_version=None
        )
    )
    bundles = list(Bundle.objects.filter(status=BundleStatus.PUBLISHED).select_related("lead_department"))
    for item in items:
        _index_published_item(item)
    for bundle in bundles:
        index_bundle(bundle)
    full_text.remove_all(kind=ITEM, keep_ids=[item.pk for item in items])
    full_text.remove_all(kind=BUNDLE, keep_ids=[bundle.pk for bundle in bundles])
    full_text.rebuild()
    return len(items), len(bundles)


# --- searching -------------------------------------------------------------------------------
@dataclass(frozen=True)
class CatalogueHit:
    kind: str  # "item" | "bundle"
    id: int
    name: str
    department_name: str
    snippet: tuple[tuple[str, bool], ...]  # (fragment, is_match); the template escapes it
    score: float
    url: str  # "" while the page does not exist yet
    badges: tuple[str, ...]

    @property
    def snippet_text(self) -> str:
        return "".join(fragment for fragment, _ in self.snippet)


@dataclass(frozen=True)
class CataloguePage:
    query: str
    hits: list[CatalogueHit]
    total: int
    limit: int
    offset: int
    searchable: bool  # False: the query has no letters or digits (empty, punctuation, emoji)


def _checked(*, query, subject, department_id, life_event, theme, limit, offset) -> str:
    """The stripped query; every bad filter named in Chinese."""
    errors = {}
    query = query.strip() if isinstance(query, str) else ""
    if len(query) > MAX_QUERY_LENGTH:
        errors["q"] = f"检索词不能超过{MAX_QUERY_LENGTH}个字，请精简后再试"
    if subject and subject not in SubjectKind.values:
        errors["subject"] = SUBJECT_REASON
    if department_id is not None and not (isinstance(department_id, int) and 1 <= department_id < 2**63):
        errors["department"] = "部门编号应为正整数"
    if life_event and life_event not in LifeEvent.values:
        errors["life_event"] = "没有这个人生事件分类"
    if theme and theme not in Theme.values:
        errors["theme"] = "没有这个主题分类"
    if not 1 <= limit <= MAX_PAGE_SIZE:
        errors["limit"] = f"每页条数应在1到{MAX_PAGE_SIZE}之间"
    if not 0 <= offset <= MAX_OFFSET:
        errors["offset"] = "起始位置超出范围"
    if errors:
        raise InvalidInput(next(iter(errors.values())) if len(errors) == 1 else "检索条件有误", fields=errors)
    return query


def search_catalogue(
    *,
    query: str,
    subject: str = "",
    department_id: int | None = None,
    life_event: str = "",
    theme: str = "",
    limit: int = 20,
    offset: int = 0,
) -> CataloguePage:
    """Published items and 一件事 matching a Chinese query, best first (core.search ranking),
    narrowed by 服务对象, department, life event and theme."""
    query = _checked(
        query=query,
        subject=subject,
        department_id=department_id,
        life_event=life_event,
        theme=theme,
        limit=limit,
        offset=offset,
    )
    page = {"query": query, "limit": limit, "offset": offset}
    if not segment.query_terms(query):
        return CataloguePage(hits=[], total=0, searchable=False, **page)
    tags = [*_tags("subject", [subject]), *_tags("event", [life_event]), *_tags("theme", [theme])]
    if department_id is not None:
        tags.append(f"dept:{department_id}")
    kinds = (ITEM,) if theme else (ITEM, BUNDLE)  # bundles have no theme
    results = full_text.search(kinds=kinds, query=query, tags=tags, limit=limit, offset=offset)
    hits = _catalogue_hits(results)
    return CataloguePage(hits=hits, total=results.total, searchable=True, **page)


def _catalogue_hits(results: full_text.Results) -> list[CatalogueHit]:
    wanted = {ITEM: [], BUNDLE: []}
    for hit in results.hits:
        wanted[hit.kind].append(hit.object_id)
    items = ServiceItem.objects.filter(pk__in=wanted[ITEM], status=ItemStatus.PUBLISHED)
    bundles = Bundle.objects.filter(pk__in=wanted[BUNDLE], status=BundleStatus.PUBLISHED)
    found = {(ITEM, i.pk): i for i in items.select_related("department")} if wanted[ITEM] else {}
    if wanted[BUNDLE]:
        found.update({(BUNDLE, b.pk): b for b in bundles.select_related("lead_department")})
    hits = []
    for hit in results.hits:
        shown = found.get((hit.kind, hit.object_id))
        if shown is not None:  # else unpublished since it was indexed
            hits.append((_item_hit if hit.kind == ITEM else _bundle_hit)(shown, hit, results.terms))
    return hits


def _item_hit(item: ServiceItem, hit: full_text.Hit, terms) -> CatalogueHit:
    badges = [item.get_handling_kind_display()] if item.handling_kind else []
    return CatalogueHit(
        kind=ITEM,
        id=item.pk,
        name=item.name,
        department_name=item.department.name,
        snippet=segment.highlight(hit.text, terms),
        score=hit.score,
        url=item_url(item.pk),
        badges=tuple(badges + (["网上可办"] if item.is_online else [])),
    )


def _bundle_hit(bundle: Bundle, hit: full_text.Hit, terms) -> CatalogueHit:
    return CatalogueHit(
        kind=BUNDLE,
        id=bundle.pk,
        name=bundle.name,
        department_name=bundle.lead_department.name,
        snippet=segment.highlight(hit.text, terms),
        score=hit.score,
        url=bundle_url(bundle.code),
        badges=("一件事一次办",),
    )
