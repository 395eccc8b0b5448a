from django.apps import AppConfig


class FilesConfig(AppConfig):
    name = "yiwang.core.files"
    label = "files"
    verbose_name = "附件"

    def ready(self) -> None:
        # Owner types are registered once at start-up (see files/owners.py); other packages
        # register theirs from their own ready().
        from yiwang.core.files import owner_types

        owner_types.register()
