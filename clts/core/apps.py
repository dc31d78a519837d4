from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "clts.core"
    label = "core"
    verbose_name = "Core"

    def ready(self) -> None:
        from clts.core import hooks  # noqa: F401  (registers the start-up check of every hook)
