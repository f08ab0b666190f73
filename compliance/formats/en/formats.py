# English pages write dates day first too (issue 15): one reader switches languages on the same
# figures, and "11/29/2026" beside "29/11/2026" invites a misreading. Month names stay English.
# Typed dates are read as the Vietnamese pages read them: 30/06/2024, or ISO from links.
from compliance.formats.vi.formats import DATE_INPUT_FORMATS, DATETIME_INPUT_FORMATS

__all__ = ["DATE_INPUT_FORMATS", "DATETIME_INPUT_FORMATS"]

DATE_FORMAT = "j F Y"
SHORT_DATE_FORMAT = "d/m/Y"
DATETIME_FORMAT = "j F Y, H:i"
SHORT_DATETIME_FORMAT = "d/m/Y H:i"
TIME_FORMAT = "H:i"
MONTH_DAY_FORMAT = "j F"
