"""The "Kèm theo Báo cáo số … ngày …" line: the report an Appendix IX file is attached to.

An appendix travels with a covering report (báo cáo) and names it under its title, as
official documents do. The line is optional; when given it needs both the report's number
and its date. One rule for the reports page and the command (appendix_ix_pdf).
"""

import datetime
import re
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from registry.text import clean_text

NUMBER_MAX = 40
# Document numbers as they are written: "123/BC-BTTTT", "45/BC-UBND.VX", "07a/BC".
NUMBER = re.compile(r"[0-9A-Za-zÀ-ỹĐđ](?:[0-9A-Za-zÀ-ỹĐđ./-]*[0-9A-Za-zÀ-ỹĐđ])?")


@dataclass(frozen=True)
class Enclosure:
    number: str
    date: datetime.date


def enclosure_from(number, date):
    """An Enclosure, None when neither part is given, or ValidationError keyed by field."""
    try:
        number = clean_text(number or "")
    except ValidationError as error:
        raise ValidationError({"enclosure_number": error.messages}) from error
    if not number and date is None:
        return None
    errors = {}
    if not number:
        errors["enclosure_number"] = _("Give the number of the report as well as its date.")
    elif len(number) > NUMBER_MAX or not NUMBER.fullmatch(number):
        errors["enclosure_number"] = _(
            "Write the report's number as it is printed, e.g. 123/BC-BTTTT "
            "(letters, digits, “/”, “-” and “.”, at most %(max)s characters)."
        ) % {"max": NUMBER_MAX}
    if date is None:
        errors["enclosure_date"] = _("Give the date of the report as well as its number.")
    if errors:
        raise ValidationError(errors)
    return Enclosure(number, date)


def enclosure_line(enclosure):
    return _("(Attached to Report No. %(number)s of %(date)s)") % {
        "number": enclosure.number,
        "date": date_format(enclosure.date, "SHORT_DATE_FORMAT"),
    }
