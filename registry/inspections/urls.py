"""URLs of the inspection ledger's downloads (namespace "inspections")."""

from django.urls import path

from registry.inspections import views

app_name = "inspections"
urlpatterns = [
    path("<int:pk>/report/", views.inspection_report, name="report"),
    path("assessments/<int:pk>/report/", views.assessment_report, name="assessment_report"),
]
