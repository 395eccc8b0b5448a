"""/api/v1/services — 目录."""

from ninja import Router

router = Router(tags=["一网通办 · 目录"])
