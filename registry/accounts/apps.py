from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "registry.accounts"
    label = "accounts"
    verbose_name = _("Accounts")

    def ready(self):
        from registry.accounts import locks, second_factor  # noqa: F401  (signal receivers)
