from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApiConfig(AppConfig):
    name = "registry.api"
    label = "api"
    verbose_name = _("REST API")

    def ready(self):
        from registry.api import history  # noqa: F401  (signal receiver)
