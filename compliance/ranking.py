"""Where a reporting unit stands among the units of its group, as of a date.

Figures of other units only (their names and rates, as the national summary publishes
them), never their systems. Computed from the compliance summary the page already
loaded: no query of its own. A unit with no systems declared has no rate: it is not
ranked, and the others are ranked without it.
"""

import statistics
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

RATES = (("approval", "approval_rate"), ("deployment", "deployment_rate"))
NAMED = 3


@dataclass(frozen=True)
class Standing:
    requirement: str  # "approval" or "deployment"
    rate: Decimal | None  # the unit's own
    rank: int | None  # 1 is the best; equal rates share a rank; None without a rate
    ranked: int  # units of the group with a rate
    median: Decimal | None
    best: list  # [(name, rate)] sharing the best rate
    worst: list

    # A page names a few of the units sharing the best or the lowest rate, and counts the rest.
    best_named = property(lambda self: self.best[:NAMED])
    best_more = property(lambda self: max(0, len(self.best) - NAMED))
    worst_named = property(lambda self: self.worst[:NAMED])
    worst_more = property(lambda self: max(0, len(self.worst) - NAMED))


def peer_standings(unit, group_rows):
    """[Standing] for approval and deployment; `group_rows` are the UnitFigures of the
    unit's group on the date (compliance_summary(as_of).groups[group].units)."""
    own = next((row for row in group_rows if row.unit.pk == unit.pk), None)
    return [_standing(requirement, attribute, own, group_rows) for requirement, attribute in RATES]


def _standing(requirement, attribute, own, rows):
    rated = [(row.unit.name, getattr(row, attribute)) for row in rows if row.has_systems]
    rate = getattr(own, attribute) if own is not None and own.has_systems else None
    if not rated:
        return Standing(requirement, rate, None, 0, None, [], [])
    rates = [value for _name, value in rated]
    top, bottom = max(rates), min(rates)
    return Standing(
        requirement=requirement,
        rate=rate,
        rank=None if rate is None else 1 + sum(1 for value in rates if value > rate),
        ranked=len(rated),
        median=Decimal(statistics.median(rates)).quantize(Decimal("0.1"), ROUND_HALF_UP),
        best=sorted((name, value) for name, value in rated if value == top),
        worst=sorted((name, value) for name, value in rated if value == bottom),
    )
