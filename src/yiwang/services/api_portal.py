"""/api/v1/services — 门户检索."""

from ninja import Router

router = Router(tags=["一网通办 · 门户检索"])
