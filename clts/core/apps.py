from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "clts.core"
    label = "core"
    verbose_name = "Core"

    def ready(self) -> None:
        from clts.core import css, hooks  # noqa: F401  (register the start-up checks: every hook, the stylesheet)
