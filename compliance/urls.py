from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from compliance import views as compliance_views

urlpatterns = [
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("reports/", include("compliance.reports.urls")),
    path("annual/", include("compliance.annual.urls")),
    path("accounts/api-tokens/", include("registry.api.page_urls")),
    path("accounts/", include("registry.accounts.urls")),
    path("api/v1/", include("registry.api.urls")),
    path("inspections/", include("registry.inspections.urls")),
    path("levels/", include("registry.levels.urls")),
    path(
        "login/",
        auth_views.LoginView.as_view(redirect_authenticated_user=True),
        name="login",
    ),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("", compliance_views.home, name="home"),
    path("", include("compliance.page_urls")),
    path("", include("registry.notes.urls")),
]

# Issue 16: under /api/ these answer in the API's problem format; elsewhere Django's pages.
handler400 = "registry.api.errors.bad_request"
handler403 = "registry.api.errors.permission_denied"
handler404 = "registry.api.errors.page_not_found"
handler500 = "registry.api.errors.server_error"
