"""Load process files into versioned storage: all files valid, or nothing stored.

`yiwang workflow load` calls `definition_load_all`; a definition is stored as a new version
only when its text changed, so loading again is harmless (the demo loader calls it on every
run). Versions are never changed or deleted: a running instance keeps the one it started with.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

from django.apps import apps
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone

import yiwang
from yiwang.core.audit import services as audit
from yiwang.core.errors import PermissionDenied
from yiwang.workflow.definitions import ProcessDefinition
from yiwang.workflow.loader import DefinitionInvalid, Problem, parse_definition
from yiwang.workflow.models import ProcessDefinitionVersion
from yiwang.workflow.permissions import can_definition_load

_SRC = Path(yiwang.__file__).resolve().parent.parent


@dataclass(frozen=True)
class ParsedFile:
    definition: ProcessDefinition
    text: str


@dataclass(frozen=True)
class Loaded:
    version: ProcessDefinitionVersion
    status: str  # "new" (a new version), "unchanged", or "restored" (an earlier text is current again)


def definition_files() -> list[Path]:
    """Every `processes/*.yaml` of the installed apps under `yiwang.`, in a stable order."""
    found: list[Path] = []
    for config in apps.get_app_configs():
        if config.name.startswith("yiwang."):
            found.extend(sorted((Path(config.path) / "processes").glob("*.yaml")))
    return found


def _source(path: Path) -> str:
    # Relative to `src/` so the stored source reads the same on every machine.
    resolved = path.resolve()
    return str(resolved.relative_to(_SRC)) if resolved.is_relative_to(_SRC) else str(resolved)


def definition_check_files(*, paths: list[Path]) -> list[ParsedFile]:
    """Parse and validate every file; `DefinitionInvalid` lists the problems of all of them."""
    parsed: list[ParsedFile] = []
    problems: list[Problem] = []
    first_file: dict[str, str] = {}
    for path in paths:
        source = _source(path)
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as error:
            problems.append(Problem(source, "", f"无法读取文件（应为 UTF-8 文本）：{error}"))
            continue
        try:
            definition = parse_definition(text, source=source)
        except DefinitionInvalid as invalid:
            problems.extend(invalid.problems)
            continue
        if definition.code in first_file:
            problems.append(
                Problem(source, "code", f"流程代码“{definition.code}”已在{first_file[definition.code]}中定义")
            )
            continue
        first_file[definition.code] = source
        parsed.append(ParsedFile(definition=definition, text=text))
    if problems:
        raise DefinitionInvalid(problems)
    return parsed


def _sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _store(*, actor, parsed: ProcessDefinition, text: str) -> Loaded:
    sha = _sha256(text)
    # Lock this process's versions so two loaders cannot both pick the next number.
    versions = list(ProcessDefinitionVersion.objects.select_for_update().filter(code=parsed.code))
    current = next((version for version in versions if version.is_current), None)
    same = next((version for version in versions if version.content_sha256 == sha), None)
    if same is not None and same.is_current:
        return Loaded(version=same, status="unchanged")
    if current is not None:
        ProcessDefinitionVersion.objects.filter(pk=current.pk).update(is_current=False)
    if same is not None:  # the file went back to an earlier text: that version is current again
        ProcessDefinitionVersion.objects.filter(pk=same.pk).update(is_current=True)
        same.is_current = True
        loaded = Loaded(version=same, status="restored")
    else:
        number = (
            ProcessDefinitionVersion.objects.filter(code=parsed.code).aggregate(n=Max("version"))["n"] or 0
        ) + 1
        version = ProcessDefinitionVersion(
            code=parsed.code,
            version=number,
            name=parsed.name,
            content_sha256=sha,
            source=parsed.source[:255],
            text=text,
            loaded_at=timezone.now(),
            is_current=True,
        )
        version.full_clean()
        version.save(force_insert=True)
        loaded = Loaded(version=version, status="new")
    audit.record(
        actor=actor,
        action="workflow.definition.loaded",
        target=loaded.version,
        changes={
            "code": parsed.code,
            "version": loaded.version.version,
            "content_sha256": sha,
            "source": loaded.version.source,
            "previous_version": current.version if current is not None else None,
            "restored": loaded.status == "restored",
        },
    )
    return loaded


@transaction.atomic
def definition_store(*, actor=None, parsed: ProcessDefinition, text: str) -> ProcessDefinitionVersion:
    """Store `parsed` (read from `text`) as the current version of its process, as a new
    version only if the text changed. `parsed` must come from `parse_definition(text)`."""
    if not can_definition_load(actor):
        raise PermissionDenied()
    return _store(actor=actor, parsed=parsed, text=text).version


def definition_load_files(*, actor=None, paths: list[Path]) -> list[Loaded]:
    """Validate every file first; store nothing unless all are valid (DefinitionInvalid)."""
    if not can_definition_load(actor):
        raise PermissionDenied()
    parsed = definition_check_files(paths=paths)
    # Two loaders starting at once (two servers running `yiwang workflow load`) may both
    # number a process's first version 1: the unique constraint stops the second, whose
    # transaction is rolled back and run again — it then finds the first's version.
    for attempt in range(3):
        try:
            with transaction.atomic():
                return [_store(actor=actor, parsed=item.definition, text=item.text) for item in parsed]
        except IntegrityError:
            if attempt == 2:
                raise
    raise AssertionError("unreachable")


def definition_load_all(*, actor=None) -> list[Loaded]:
    return definition_load_files(actor=actor, paths=definition_files())
