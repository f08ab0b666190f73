import datetime

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from registry.api import rules
from registry.text import clean_text

DEFAULT_LIFETIME_DAYS = 90


class NewTokenForm(forms.Form):
    label = forms.CharField(
        label=_("Label"),
        max_length=100,
        help_text=_("What the token is for, e.g. “Provincial inventory sync”."),
    )
    expires_on = forms.DateField(
        label=_("Expires on"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=_("The token stops working on this day."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        today = timezone.localdate()
        self.fields["expires_on"].initial = today + datetime.timedelta(days=DEFAULT_LIFETIME_DAYS)

    def clean_label(self):
        return clean_text(self.cleaned_data["label"])

    def clean_expires_on(self):
        expires_on = self.cleaned_data["expires_on"]
        try:
            rules.validate_expiry(expires_on, timezone.localdate(), settings.API_TOKEN_MAX_DAYS)
        except ValidationError as error:
            raise forms.ValidationError(error.messages) from None
        return expires_on
