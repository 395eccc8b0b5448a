"""/api/v1/services — 一件事."""

from ninja import Router

router = Router(tags=["一网通办 · 一件事"])
