"""Two-factor devices are managed on the account pages, not in the admin.

django-otp's plugins register admins for their devices, where a TOTP secret can be read;
enrolment lives on /accounts/two-factor/setup/ and a reset on the account's page."""

from django.contrib import admin
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

for model in (TOTPDevice, StaticDevice):
    if admin.site.is_registered(model):
        admin.site.unregister(model)
