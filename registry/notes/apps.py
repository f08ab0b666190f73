from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotesConfig(AppConfig):
    name = "registry.notes"
    label = "notes"
    verbose_name = _("System notes")
