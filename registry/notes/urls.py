from django.urls import path

from registry.notes import views

app_name = "notes"
urlpatterns = [path("systems/<int:pk>/notes/new/", views.new_note, name="new")]
