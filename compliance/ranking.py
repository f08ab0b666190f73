"""Where a reporting unit stands among the units of its group, as of a date.

Figures only: the unit's rank, the group's median, the best and the lowest rate and how
many units share each. No other unit is named and none of their systems is shown, so a
unit's page tells nothing more of the others than the national summary's figures do, and
scope stays as it is. Computed from the compliance summary the page already loaded: no
query of its own. A unit with no systems declared has no rate: it is not ranked, and the
others are ranked without it.
"""

import statistics
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

RATES = (("approval", "approval_rate"), ("deployment", "deployment_rate"))


@dataclass(frozen=True)
class Standing:
    requirement: str  # "approval" or "deployment"
    rate: Decimal | None  # the unit's own
    rank: int | None  # 1 is the best; equal rates share a rank; None without a rate
    ranked: int  # units of the group with a rate
    median: Decimal | None = None
    best: Decimal | None = None
    best_count: int = 0  # units sharing the best rate
    lowest: Decimal | None = None
    lowest_count: int = 0


def peer_standings(unit, group_rows):
    """[Standing] for approval and deployment; `group_rows` are the UnitFigures of the
    unit's group on the date (compliance_summary(as_of).groups[group].units)."""
    own = next((row for row in group_rows if row.unit.pk == unit.pk), None)
    return [_standing(requirement, attribute, own, group_rows) for requirement, attribute in RATES]


def _standing(requirement, attribute, own, rows):
    rates = [getattr(row, attribute) for row in rows if row.has_systems]
    rate = getattr(own, attribute) if own is not None and own.has_systems else None
    if not rates:
        return Standing(requirement, rate, None, 0)
    best, lowest = max(rates), min(rates)
    return Standing(
        requirement=requirement,
        rate=rate,
        rank=None if rate is None else 1 + sum(1 for value in rates if value > rate),
        ranked=len(rates),
        median=Decimal(statistics.median(rates)).quantize(Decimal("0.1"), ROUND_HALF_UP),
        best=best,
        best_count=rates.count(best),
        lowest=lowest,
        lowest_count=rates.count(lowest),
    )
