from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps
from django.utils.translation import gettext_lazy as _


class RegistryConfig(AppConfig):
    default = True
    name = "registry"
    verbose_name = _("Registry of information systems")

    def ready(self):
        _connect_data_version()


# The models whose writes change cached figures (registry/data_version.py).
FIGURES_MODELS = (
    "registry.InformationSystem",
    "registry.Unit",
    "reorganisation.UnitChange",
    "compliance.ComplianceSnapshot",
    "notifications.DeadlineCampaign",
    "dossiers.DossierRound",  # the level in force (compliance.selectors.level_as_of)
    "inspections.Inspection",  # what is due for inspection (registry/inspections/selectors.py)
    "inspections.OrganisationAssessment",
)
FIGURES_M2M = ("reorganisation.UnitChange.other_successors", "notifications.DeadlineCampaign.units")


def _connect_data_version():
    from django.apps import apps
    from django.db.models.signals import m2m_changed, post_delete, post_save

    from registry.data_version import bump_on_write

    for label in FIGURES_MODELS:
        post_save.connect(bump_on_write, sender=label, dispatch_uid=f"data-version-save-{label}")
        post_delete.connect(bump_on_write, sender=label, dispatch_uid=f"data-version-del-{label}")
    for path in FIGURES_M2M:
        model_label, field = path.rsplit(".", 1)
        through = getattr(apps.get_model(model_label), field).through
        m2m_changed.connect(bump_on_write, sender=through, dispatch_uid=f"data-version-{path}")


class ScopedAdminConfig(admin_apps.AdminConfig):
    """django.contrib.admin with registry.admin_site.ScopedAdminSite as its default site."""

    default = False  # "registry" itself is RegistryConfig
    default_site = "registry.admin_site.ScopedAdminSite"
