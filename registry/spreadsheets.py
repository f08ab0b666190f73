"""Cells written to CSV or XLSX for people to open in a spreadsheet."""

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value):
    """The value, with text that a spreadsheet would run as a formula neutralised.

    A leading apostrophe makes Excel and LibreOffice show the text as typed
    (OWASP "CSV injection"); numbers and dates pass through untouched.
    """
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value
