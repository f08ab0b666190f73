"""How units are named in the figures tables, the same on the page, in the PDF and the XLSX."""

from django.utils.translation import gettext as _


def own_systems_name(unit):
    """The first line of a subunit breakdown: the systems the unit owns itself."""
    return _("%(unit)s (systems it owns directly)") % {"unit": unit.name}


def breakdown_names(breakdown):
    """Names of subunit_breakdown's lines: the unit's own line, then each subordinate unit."""
    return [
        own_systems_name(row.unit) if index == 0 else row.unit.name
        for index, row in enumerate(breakdown)
    ]
