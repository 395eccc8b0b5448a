"""The sample process as data, to be changed by each test, and the problems a change brings."""

from __future__ import annotations

from pathlib import Path

import yaml

from yiwang.workflow.loader import DefinitionInvalid, parse_definition

SAMPLE = Path(__file__).resolve().parent.parent / "processes" / "parallel_approval.yaml"
SOURCE = "tests/process.yaml"


def sample() -> dict:
    return yaml.safe_load(SAMPLE.read_text(encoding="utf-8"))


def dump(data: dict) -> str:
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False)


def problems_of(data: dict | str) -> list[tuple[str, str]]:
    """(where, message) of every problem; [] when the definition loads."""
    text = data if isinstance(data, str) else dump(data)
    try:
        parse_definition(text, source=SOURCE)
    except DefinitionInvalid as invalid:
        assert all(problem.source == SOURCE for problem in invalid.problems)
        return [(problem.where, problem.message) for problem in invalid.problems]
    return []
