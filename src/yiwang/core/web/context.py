"""What every page's shell needs: the platform name, whether OIDC is on, unread messages."""

from django.conf import settings


def shell(request) -> dict:
    user = getattr(request, "user", None)
    unread = 0
    if user is not None and user.is_authenticated:
        from yiwang.core.notify.selectors import message_unread_count

        unread = message_unread_count(user=user)
    return {
        "platform_name": "一网",
        "oidc_enabled": settings.OIDC_ENABLED,
        "oidc_provider_name": settings.OIDC_PROVIDER_NAME,
        "unread_messages": unread,
    }
