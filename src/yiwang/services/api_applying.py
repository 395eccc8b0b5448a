"""/api/v1/services — 申请."""

from ninja import Router

router = Router(tags=["一网通办 · 申请"])
