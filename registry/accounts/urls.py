from django.urls import path

from registry.accounts import views

app_name = "accounts"
urlpatterns = [
    path("", views.account_list, name="list"),
    path("new/", views.account_create, name="create"),
    path("<int:pk>/", views.account_detail, name="detail"),
    path("<int:pk>/deactivate/", views.account_deactivate, name="deactivate"),
    path("<int:pk>/invite/", views.account_invite, name="invite"),
    path("<int:pk>/roles/", views.role_grant, name="grant"),
    path("<int:pk>/roles/<int:membership_pk>/revoke/", views.role_revoke, name="revoke"),
    path("<int:pk>/roles/<int:membership_pk>/confirm/", views.role_confirm, name="confirm"),
    path(
        "<int:pk>/reset-two-factor/",
        views.account_reset_second_factor,
        name="reset_second_factor",
    ),
    path("lockouts/", views.lockout_list, name="lockouts"),
    path("lockouts/<int:pk>/unlock/", views.lockout_unlock, name="unlock"),
    path("invitation/<uidb64>/<token>/", views.InvitationView.as_view(), name="invitation"),
    path("two-factor/", views.verify, name="verify"),
    path("two-factor/setup/", views.setup, name="setup"),
]
