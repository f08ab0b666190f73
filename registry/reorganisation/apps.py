from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReorganisationConfig(AppConfig):
    name = "registry.reorganisation"
    label = "reorganisation"
    verbose_name = _("Unit changes")

    def ready(self):
        from registry.reorganisation import signals  # noqa: F401  (cache invalidation)
