"""/api/v1/services: 一网通办 (issue 5). One router per area, each in its own module."""

from ninja import Router

from yiwang.services import api_applying, api_bundles, api_catalogue, api_handling, api_portal, api_ratings

router = Router()
router.add_router("/", api_portal.router)
router.add_router("/", api_catalogue.router)
router.add_router("/", api_applying.router)
router.add_router("/", api_handling.router)
router.add_router("/", api_bundles.router)
router.add_router("/", api_ratings.router)
