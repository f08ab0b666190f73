"""The published figures' arithmetic (DOMAIN.md §7).

Rates are shares of the unit's total systems; deployed/approved is a separate
figure, never mixed in. A unit with no systems declared has no rate, and counts
with the units below 50%, as the published report counted it.
"""

from decimal import ROUND_HALF_UP, Decimal

BELOW_THRESHOLD_PERCENT = 50


def percent(part, whole, places=1):
    """part/whole as a percentage rounded half-up (the published rounding); None without a whole."""
    if not whole:
        return None
    quantum = Decimal(1).scaleb(-places)
    return (Decimal(part) * 100 / Decimal(whole)).quantize(quantum, rounding=ROUND_HALF_UP)


def is_below_threshold(part, whole, threshold=BELOW_THRESHOLD_PERCENT):
    """True when part/whole < threshold%, and for a unit with nothing declared."""
    return not whole or part * 100 < threshold * whole


class RecordedRates:
    """Rates of recorded figures (snapshots, trend points), where a count may be unknown.

    The published series has no deployment figure before 06/2024: None, not 0%.
    """

    @property
    def approval_rate(self):
        return None if self.approved is None else percent(self.approved, self.total)

    @property
    def deployment_rate(self):
        return None if self.fully_deployed is None else percent(self.fully_deployed, self.total)
