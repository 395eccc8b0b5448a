"""Django authentication backend: username or mobile number + password, with lockout."""

from __future__ import annotations

from django.contrib.auth.backends import BaseBackend

from yiwang.core.accounts.models import User
from yiwang.core.errors import DomainError


class UsernameOrPhoneBackend(BaseBackend):
    def authenticate(self, request, username=None, password=None, **kwargs):
        from yiwang.core.accounts.services.login import login_check

        if not username or not password:
            return None
        try:
            return login_check(identifier=username, password=password)
        except DomainError as error:
            if request is not None:
                request.yiwang_login_error = error
            return None

    def get_user(self, user_id):
        try:
            user = User.objects.get(pk=user_id)
        except User.DoesNotExist:
            return None
        return user if user.is_active else None
