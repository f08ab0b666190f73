from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from compliance.annual import rules


class YearForm(forms.Form):
    year = forms.TypedChoiceField(label=_("Year"), coerce=int)

    def __init__(self, *args, today=None, **kwargs):
        super().__init__(*args, **kwargs)
        today = today or timezone.localdate()
        years = range(min(today.year, rules.LAST_YEAR), rules.FIRST_YEAR - 1, -1)
        self.fields["year"].choices = [(year, str(year)) for year in years]

    def chosen_year(self, today):
        """The year asked for, or this year when none or a bad one was asked for."""
        if self.is_bound and self.is_valid():
            return self.cleaned_data["year"]
        return today.year


class ReturnForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for return"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=rules.RETURN_REASON_MAX,
    )
