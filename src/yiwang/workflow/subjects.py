"""What an instance is about, in words people read: a registry of subject types, like hooks.py.

The inbox lists tasks of every process; the engine knows a subject only as
`("services.application", "12")` and must not import the package that owns it (DESIGN.md:
dependencies point one way). A domain package registers, from its `AppConfig.ready()`:

    register_subject("services.application", label_fn, url_fn)

- `label_fn(ids: list[str]) -> dict[str, str]`: the labels of the subjects of one page of rows,
  e.g. {"12": "办件 202600000012 食品经营许可 · 示范餐饮有限公司"} — called once per subject type
  per page, so a page costs one query per type, never one per row;
- `url_fn(subject_id: str) -> str`: the domain page of one subject (no query).

A subject type nobody registered, or an id the label function does not know (deleted), reads
as before: "services.application #12", with no link. Written only while Django starts,
read-only afterwards (configuration, like hooks.py and core/files/owners.py).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.core.exceptions import ImproperlyConfigured

LabelFn = Callable[[list[str]], dict[str, str]]
UrlFn = Callable[[str], str]


@dataclass(frozen=True)
class SubjectType:
    name: str
    label_fn: LabelFn
    url_fn: UrlFn


@dataclass(frozen=True)
class SubjectLink:
    label: str
    url: str  # "" when the subject type has no page


_SUBJECTS: dict[str, SubjectType] = {}


def register_subject(subject_type: str, label_fn: LabelFn, url_fn: UrlFn) -> None:
    """Declare how a subject type reads and where it lives; call only from `AppConfig.ready()`."""
    if not subject_type or len(subject_type) > 100:
        raise ImproperlyConfigured(f"workflow subject type {subject_type!r} must be 1–100 characters")
    if not callable(label_fn) or not callable(url_fn):
        raise ImproperlyConfigured(
            f"workflow subject type {subject_type!r}: label_fn and url_fn must be callable"
        )
    entry = SubjectType(name=subject_type, label_fn=label_fn, url_fn=url_fn)
    existing = _SUBJECTS.get(subject_type)
    if existing is not None and existing != entry:
        raise ImproperlyConfigured(f"workflow subject type {subject_type!r} is registered twice")
    _SUBJECTS[subject_type] = entry


def subject_type_get(subject_type: str) -> SubjectType | None:
    return _SUBJECTS.get(subject_type)


def subject_links(instances: Iterable) -> dict[tuple[str, str], SubjectLink]:
    """{(subject_type, subject_id): link} for the instances given, one label call per type."""
    wanted: dict[str, set[str]] = defaultdict(set)
    for instance in instances:
        wanted[instance.subject_type].add(str(instance.subject_id))
    links: dict[tuple[str, str], SubjectLink] = {}
    for subject_type, ids in wanted.items():
        entry = _SUBJECTS.get(subject_type)
        if entry is None:
            continue
        labels = entry.label_fn(sorted(ids))
        for subject_id, label in labels.items():
            links[(subject_type, str(subject_id))] = SubjectLink(
                label=label, url=entry.url_fn(str(subject_id))
            )
    return links


def fallback_label(instance) -> str:
    return f"{instance.subject_type} #{instance.subject_id}"
