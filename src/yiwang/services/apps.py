from django.apps import AppConfig


class ServicesConfig(AppConfig):
    name = "yiwang.services"
    label = "services"
    verbose_name = "一网通办"

    def ready(self) -> None:
        from yiwang.services import hooks

        hooks.register()  # workflow guards/effects, file owner types, material providers
