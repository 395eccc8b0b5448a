"""一件事: what happens when one of a bundle's item applications ends (STUB: bundles helper)."""

from __future__ import annotations


def bundle_child_finished(application) -> None:
    """Called (in the deciding transaction) when an application with a bundle ends; when the
    last one ends, the bundle's results are delivered together."""
    return None
