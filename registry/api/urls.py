"""/api/v1/: one router (no format-suffix routes), the schema and its docs."""

from django.urls import path
from rest_framework.routers import SimpleRouter

from registry.api import views

app_name = "api"
router = SimpleRouter()
router.register("units", views.UnitViewSet, basename="unit")
router.register("systems", views.SystemViewSet, basename="system")
router.register("reports", views.ReportViewSet, basename="report")

urlpatterns = [
    path("summary/", views.SummaryView.as_view(), name="summary"),
    path("campaigns/", views.CampaignView.as_view(), name="campaigns"),
    path("schema/", views.SchemaView.as_view(), name="schema"),
    path("docs/", views.DocsView.as_view(), name="docs"),
    *router.urls,
]
