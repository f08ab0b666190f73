from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApiConfig(AppConfig):
    name = "registry.api"
    label = "api"
    verbose_name = _("REST API")

    def ready(self):
        from registry.api import history  # noqa: F401  (signal receiver)
        from registry.audit import rules

        # Labels of the audit trail's filter for the events the API records (actions.py).
        rules.ACTIONS.update(AUDIT_ACTIONS)


AUDIT_ACTIONS = {
    "api_token.created": _("API token created"),
    "api_token.revoked": _("API token revoked"),
    "api_token.new_address": _("API token used from a new address"),
    "system.created": _("System created"),
    "system.changed": _("System changed"),
}
