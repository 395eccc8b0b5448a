"""办事指南 (public): every element of an item's published version (STANDARDS.md §4), printable.

`?print=1` gives the same guide on a bare page (no navigation, print stylesheet) to print or
save as PDF; the normal page prints cleanly too (Ctrl+P): print.css hides the navigation.
No script: the page says how to print instead of a window.print() button (CSP, no inline JS).
An item taken offline (已下线) or never published is a 404; a superseded version stays
readable at its own address, for those who applied under it.
"""

from __future__ import annotations

from django.http import Http404
from django.shortcuts import render
from django.urls import NoReverseMatch, reverse
from django.views.decorators.http import require_GET

from yiwang.core.errors import NotFound
from yiwang.core.files.responses import attachment_download
from yiwang.services import selectors_catalogue as catalogue
from yiwang.services.selectors_ratings import rating_summary_for_item


def apply_url(item, guide: dict) -> str:
    """在线办理: only for a published item with 网办深度 ≥ 4 (互联网受理), and only once the
    applying pages exist."""
    if not (guide["online"] and guide["is_current"]):
        return ""
    try:
        return reverse("services:apply", args=[item.pk])
    except NoReverseMatch:
        return ""


def _render(request, version):
    guide = catalogue.guide_of(version)
    guide["apply_url"] = apply_url(version.item, guide)
    ratings = rating_summary_for_item(version.item)  # 好差评: the public sees the aggregate
    good = ratings["good_rate"]
    guide["ratings"] = {**ratings, "good_percent": None if good is None else round(good * 100, 1)}
    printing = request.GET.get("print") == "1"
    template = "services/catalogue/guide_print.html" if printing else "services/catalogue/guide.html"
    return render(request, template, guide)


@require_GET
def guide(request, item_id: int):
    try:
        item = catalogue.item_get_published(item_id)
        version = catalogue.version_get_public(item.pk, item.published_version.number)
    except NotFound:
        raise Http404() from None
    return _render(request, version)


@require_GET
def guide_version(request, item_id: int, number: int):
    try:
        version = catalogue.version_get_public(item_id, number)
    except NotFound:
        raise Http404() from None
    return _render(request, version)


@require_GET
def guide_file(request, item_id: int, number: int, material_id: int, kind: str):
    """空表 / 样表 of a public version's material, for anyone reading the guide."""
    try:
        attachment = catalogue.material_file_public(
            item_id=item_id, number=number, material_id=material_id, kind=kind
        )
        return attachment_download(attachment)
    except NotFound:
        raise Http404() from None
