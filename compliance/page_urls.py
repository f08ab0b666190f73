"""URLs of the compliance pages (namespace "compliance")."""

from django.urls import path

from compliance import views

app_name = "compliance"
urlpatterns = [
    path("national/", views.national, name="national"),
    path("national/export/<str:fmt>/", views.national_export, name="national_export"),
    path("units/", views.unit_list, name="unit_list"),
    path("units/<str:code>/", views.unit_page, name="unit"),
    path("units/<str:code>/export/<str:table>/<str:fmt>/", views.unit_export, name="unit_export"),
    path("systems/<int:pk>/", views.system_page, name="system"),
]
