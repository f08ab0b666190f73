"""URLs of the level suggestions (namespace "levels")."""

from django.urls import path

from registry.levels import views

app_name = "levels"
urlpatterns = [path("below-suggestion/", views.below_suggestion, name="below")]
