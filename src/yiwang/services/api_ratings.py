"""/api/v1/services — 好差评."""

from ninja import Router

router = Router(tags=["一网通办 · 好差评"])
