from datetime import timedelta

from django.apps import AppConfig


class LicensesConfig(AppConfig):
    name = "yiwang.licenses"
    label = "licenses"
    verbose_name = "电子证照"

    def ready(self) -> None:
        from yiwang.core import periodic
        from yiwang.licenses import owner_types
        from yiwang.licenses.tasks import expiry_reminders

        periodic.register(name="licenses.expiry_reminders", every=timedelta(days=1), task=expiry_reminders)
        owner_types.register()  # the issuer's seal image, stored as a file (core/files/owners.py)
