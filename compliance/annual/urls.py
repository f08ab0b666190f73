from django.urls import path

from compliance.annual import views

app_name = "annual"

urlpatterns = [
    path("", views.index, name="index"),
    path("status/", views.status_page, name="status"),
    path("status/export/", views.status_export, name="status_export"),
    path("<int:year>/<str:code>/", views.report_page, name="report"),
    path("<int:year>/<str:code>/prepare/", views.prepare, name="prepare"),
    path("<int:year>/<str:code>/submit/", views.submit, name="submit"),
    path("<int:year>/<str:code>/receive/", views.receive, name="receive"),
    path("<int:year>/<str:code>/return/", views.return_report, name="return"),
    path("<int:year>/<str:code>/download/<str:fmt>/", views.download, name="download"),
]
