from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps
from django.utils.translation import gettext_lazy as _


class RegistryConfig(AppConfig):
    default = True
    name = "registry"
    verbose_name = _("Registry of information systems")


class ScopedAdminConfig(admin_apps.AdminConfig):
    """django.contrib.admin with registry.admin_site.ScopedAdminSite as its default site."""

    default = False  # "registry" itself is RegistryConfig
    default_site = "registry.admin_site.ScopedAdminSite"
