from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "clts.accounts"
    label = "accounts"
    verbose_name = "Accounts"

    def ready(self) -> None:
        from clts.accounts import signals  # noqa: F401  (session end on deactivation)
