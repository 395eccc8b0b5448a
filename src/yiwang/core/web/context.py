"""What every page's shell needs: the platform name, whether OIDC is on, unread messages, and
which navigation entries the signed-in person may see."""

from django.conf import settings

from yiwang.core.accounts.models import UserKind
from yiwang.core.accounts.rbac import has_permission

# A navigation entry is shown only to those holding its permission (least privilege, 等保 2.0);
# the page behind it checks again. Codes are declared in each package's permissions.py.
# A link is shown when the official holds any one of its permission codes.
NAV_PERMISSIONS = {
    "users": ("accounts.user.view",),
    "audit": ("audit.record.view",),
    "orgs_import": ("orgs.division.manage", "orgs.department.manage"),
    "supervision": ("workflow.supervision.view",),
    "licenses": ("licenses.issue", "licenses.revoke"),
    "licenses_lookup": ("licenses.use",),
    # 一网通办 (yiwang.services declares these codes)
    "service_items": ("services.item.manage", "services.item.publish"),
    "service_applications": ("services.application.handle",),
    "service_ratings": ("services.rating.view",),
    "service_figures": ("services.figures.view",),
    "service_window": ("services.application.proxy",),
    "service_bundles": ("services.bundle.manage",),
    "service_windows": ("services.window.manage",),
    "service_rectifications": ("services.rating.view", "services.application.handle"),
    "admin": ("core.admin.access",),
}


def shell(request) -> dict:
    user = getattr(request, "user", None)
    unread = 0
    nav = dict.fromkeys([*NAV_PERMISSIONS, "calendar"], False)
    is_official = False
    if user is not None and user.is_authenticated:
        from yiwang.core.notify.selectors import message_unread_count

        unread = message_unread_count(user=user)
        is_official = user.kind == UserKind.OFFICIAL
        if is_official:
            nav = {
                key: any(has_permission(user, code) for code in codes)
                for key, codes in NAV_PERMISSIONS.items()
            }
            nav["calendar"] = True  # every official reads the working-day calendar
    return {
        "platform_name": "一网",
        "oidc_enabled": settings.OIDC_ENABLED,
        "oidc_provider_name": settings.OIDC_PROVIDER_NAME,
        "unread_messages": unread,
        "is_official": is_official,
        "nav": nav,
    }
