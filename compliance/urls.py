from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from compliance import views as compliance_views

urlpatterns = [
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("reports/", include("compliance.reports.urls")),
    path("accounts/", include("registry.accounts.urls")),
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
