"""Fixtures of the organisation tests."""

from __future__ import annotations

import pytest

from yiwang.core.tests import factories


@pytest.fixture
def tree(city):
    """Two bureaus; under the first a 3-level subtree (科 → 股 → 组) and a sibling 科."""
    old_parent = factories.create_department("市农业农村局", division=city)
    new_parent = factories.create_department("市乡村振兴局", division=city)
    moved = factories.create_department("帮扶科", parent=old_parent)
    child = factories.create_department("帮扶一股", parent=moved)
    grandchild = factories.create_department("帮扶一组", parent=child)
    sibling = factories.create_department("种植业科", parent=old_parent)
    return {
        "old_parent": old_parent,
        "new_parent": new_parent,
        "moved": moved,
        "child": child,
        "grandchild": grandchild,
        "sibling": sibling,
    }
