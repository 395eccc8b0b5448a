"""/api/v1/services — 办理."""

from ninja import Router

router = Router(tags=["一网通办 · 办理"])
