"""`{% load workflow %}`: the timeline fragment (issue 3 §6) for any subject's detail page.

    {% workflow_timeline application %}   every instance of the subject the viewer may see
    {% instance_timeline task.instance %}  one instance (nothing if the viewer may not see it)
    {% task_subjects tasks as rows %}      (task, label, url): subjects named by workflow/subjects.py

Both read the viewer from `request.user` and render `workflow/partials/_timeline.html`.
"""

from __future__ import annotations

from django import template

from yiwang.core.errors import InvalidInput, NotFound
from yiwang.workflow import timeline

register = template.Library()
FRAGMENT = "workflow/partials/_timeline.html"


def _viewer(context):
    request = context.get("request")
    return getattr(request, "user", None) or context.get("user")


@register.inclusion_tag(FRAGMENT, takes_context=True)
def workflow_timeline(context, subject, link=True):
    actor = _viewer(context)
    try:
        instances = timeline.instances_for_subject(actor=actor, subject=subject)
    except InvalidInput:  # not a saved record: it has no process
        instances = []
    return {
        "timelines": [timeline.instance_timeline(actor=actor, instance=i) for i in instances],
        "link": link,
    }


@register.inclusion_tag(FRAGMENT, takes_context=True)
def instance_timeline(context, instance, link=True):
    try:
        timelines = [timeline.instance_timeline(actor=_viewer(context), instance=instance)]
    except NotFound:
        timelines = []
    return {"timelines": timelines, "link": link}


@register.simple_tag
def task_subjects(tasks):
    """`{% task_subjects tasks as rows %}`: (task, label, url) per task, the subject named by
    its registered label (workflow/subjects.py; one query per subject type for the page)."""
    from yiwang.workflow.subjects import fallback_label, subject_links

    tasks = list(tasks)
    links = subject_links(task.instance for task in tasks)
    rows = []
    for task in tasks:
        link = links.get((task.instance.subject_type, str(task.instance.subject_id)))
        rows.append((task, link.label if link else fallback_label(task.instance), link.url if link else ""))
    return rows


@register.simple_tag
def subject_of(instance):
    """`{% subject_of instance as subject %}`: the registered label and page of one subject
    (anything with subject_type and subject_id: an instance, a timeline)."""
    from yiwang.workflow.subjects import SubjectLink, fallback_label, subject_links

    link = subject_links([instance]).get((instance.subject_type, str(instance.subject_id)))
    return link or SubjectLink(label=fallback_label(instance), url="")
