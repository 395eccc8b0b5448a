"""Pages of 一网通办, mounted at the site root (config/urls.py): the portal under /services/,
the applicant's under /me/, the officials' under /workbench/services/."""

from yiwang.services import (
    urls_applying,
    urls_bundles,
    urls_catalogue,
    urls_handling,
    urls_portal,
    urls_ratings,
)

app_name = "services"

urlpatterns = [
    *urls_portal.urlpatterns,
    *urls_catalogue.urlpatterns,
    *urls_applying.urlpatterns,
    *urls_handling.urlpatterns,
    *urls_bundles.urlpatterns,
    *urls_ratings.urlpatterns,
]
