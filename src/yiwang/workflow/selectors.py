"""Reads of stored process definitions."""

from __future__ import annotations

from functools import lru_cache

from yiwang.core.errors import NotFound
from yiwang.workflow.definitions import ProcessDefinition
from yiwang.workflow.loader import parse_definition
from yiwang.workflow.models import ProcessDefinitionVersion


def definition_version_current(*, code: str) -> ProcessDefinitionVersion:
    version = ProcessDefinitionVersion.objects.filter(code=code, is_current=True).first()
    if version is None:
        raise NotFound(f"流程定义“{code}”尚未载入")
    return version


def definition_versions(*, code: str) -> list[ProcessDefinitionVersion]:
    return list(ProcessDefinitionVersion.objects.filter(code=code).order_by("-version"))


def definition_of(*, version: ProcessDefinitionVersion) -> ProcessDefinition:
    """The definition a stored version declares. It was fully validated when stored; roles and
    hooks are not checked again, so a running instance survives a renamed role."""
    return _parsed(version.content_sha256, version.text, version.source)


# A stored version never changes (models.py), so its parsed form can be kept per process:
# the runtime reads the definition on every action, and parsing YAML each time would cost
# more than the transition itself. Keyed by the text's digest; the text itself is in the key
# so that a digest can never map to another text.
@lru_cache(maxsize=256)
def _parsed(content_sha256: str, text: str, source: str) -> ProcessDefinition:
    return parse_definition(text, source=source, references=False)
