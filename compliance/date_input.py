"""The date input of every form: dd/mm/yyyy in both languages.

A browser's date picker (<input type="date">) shows the order of the browser's locale, so an
English browser showed mm/dd/yyyy beside the pages' dd/mm/yyyy (issue 15). A text input with a
pattern shows what the pages write; the ISO form stays accepted, as the pages' links carry it.
"""

from django import forms
from django.utils.translation import gettext_lazy as _

DAY_FIRST = "%d/%m/%Y"
DATE_PATTERN = r"\d{1,2}/\d{1,2}/\d{4}|\d{4}-\d{2}-\d{2}"


class DayFirstDateInput(forms.DateInput):
    input_type = "text"

    def __init__(self, attrs=None):
        attrs = {
            "placeholder": _("dd/mm/yyyy"),
            "pattern": DATE_PATTERN,
            "title": _("Day/month/year, e.g. 30/06/2024"),
            "inputmode": "numeric",
            "autocomplete": "off",
            "size": 10,
            **(attrs or {}),
        }
        super().__init__(attrs=attrs, format=DAY_FIRST)
