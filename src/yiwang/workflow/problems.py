"""What is wrong with a process file, and reading its YAML safely.

A `Problem` says where (`states.review.time_limit.unit`, in a file) and what, in Chinese;
`DefinitionInvalid` carries all problems of one or more files (nothing is half-loaded).
"""

from __future__ import annotations

from dataclasses import dataclass

import yaml


@dataclass(frozen=True)
class Problem:
    source: str  # the file
    where: str  # the path inside it: `states.review.time_limit.unit`; "" for the whole file
    message: str  # Chinese, for the author

    def __str__(self) -> str:
        return (
            f"{self.source}: {self.where}: {self.message}" if self.where else f"{self.source}: {self.message}"
        )


class DefinitionInvalid(Exception):
    def __init__(self, problems: list[Problem]):
        self.problems = list(problems)
        super().__init__("\n".join(str(problem) for problem in self.problems))


class _Mapping(dict):
    """A YAML mapping that remembers keys written twice (PyYAML keeps the last silently)."""

    duplicates: list[tuple[object, int]]


class _Loader(yaml.SafeLoader):
    """`yaml.SafeLoader` (no arbitrary objects), plus duplicate-key detection."""


def _construct_mapping(loader: _Loader, node: yaml.MappingNode) -> _Mapping:
    loader.flatten_mapping(node)
    mapping = _Mapping()
    mapping.duplicates = []
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        if not isinstance(key, str | int | float | bool) and key is not None:
            key = str(key)
        if key in mapping:
            mapping.duplicates.append((key, key_node.start_mark.line + 1))
        mapping[key] = loader.construct_object(value_node, deep=True)
    return mapping


_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


def read_yaml(text: str, *, source: str) -> object:
    """The YAML document in `text`; `DefinitionInvalid` for a syntax error or an unsafe tag."""
    try:
        return yaml.load(text, Loader=_Loader)  # noqa: S506 — _Loader is a SafeLoader
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        line = f"第{mark.line + 1}行第{mark.column + 1}列：" if mark else ""
        detail = getattr(error, "problem", "") or error
        raise DefinitionInvalid([Problem(source, "", f"YAML 格式错误：{line}{detail}")]) from None
