"""What a unit's annual report says, whatever it is rendered to (PDF or XLSX).

Systems are those counted toward the unit on 14/12 of the year
(compliance.selectors.unit_systems), each as it stood on that date (the as-of
helpers of compliance/selectors.py), so the totals equal
compliance_summary(as_of=14/12, unit=unit) by construction.
"""

import datetime
from dataclasses import dataclass, field

from django.db.models import F

from compliance.annual import rules
from compliance.selectors import (
    LEVELS,
    deployment_as_of,
    dossier_status_as_of,
    level_as_of,
    unit_systems,
)
from registry.models import Authority, Deployment, DossierStatus


@dataclass
class SystemLine:
    code: str
    name: str
    owner: str
    proposed_level: int | None
    approved_level: int | None
    decision_number: str
    decision_date: datetime.date | None
    decision_authority: str
    dossier_status: str
    deployment: str  # Deployment value
    inspected_on: datetime.date | None  # the last inspection, when within the period

    @property
    def approved(self):
        return self.decision_date is not None


@dataclass
class Totals:
    total: int = 0
    approved: int = 0
    fully_deployed: int = 0
    partially_deployed: int = 0
    not_deployed: int = 0
    inspected: int = 0
    levels: dict = field(default_factory=lambda: dict.fromkeys(LEVELS, 0))
    unleveled: int = 0

    def count(self, line, level):
        self.total += 1
        self.approved += line.approved
        self.fully_deployed += line.deployment == Deployment.FULL
        self.partially_deployed += line.deployment == Deployment.PARTIAL
        self.not_deployed += line.deployment == Deployment.NOT_STARTED
        self.inspected += line.inspected_on is not None
        if level in LEVELS:
            self.levels[level] += 1
        else:
            self.unleveled += 1


@dataclass
class SecurityRules:
    number: str
    issued_on: datetime.date


@dataclass
class AnnualContent:
    unit: object
    year: int
    lines: list
    totals: Totals
    security_rules: SecurityRules | None

    @property
    def as_of(self):
        return rules.report_as_of(self.year)

    @property
    def period_start(self):
        return rules.period_start(self.year)


def annual_content(unit, year):
    """The report of `unit` (a reporting unit, its whole subtree counted) for `year`."""
    as_of = rules.report_as_of(year)
    systems = (
        unit_systems(unit, as_of)
        .annotate(level_then=level_as_of(as_of))
        .select_related("owner")
        .order_by("owner__path", "code")
    )
    totals = Totals()
    lines = []
    for system in systems.iterator(chunk_size=2000):
        line = _line(system, as_of, rules.period_start(year))
        totals.count(line, system.level_then)
        lines.append(line)
    return AnnualContent(unit, year, lines, totals, security_rules_as_of(unit, as_of))


def _line(system, as_of, start):
    status = dossier_status_as_of(system, as_of)
    approved = status == DossierStatus.APPROVED
    inspected = system.last_inspection_on
    return SystemLine(
        code=system.code,
        name=system.name,
        owner=system.owner.name,
        proposed_level=system.proposed_level,
        approved_level=system.approved_level if approved else None,
        decision_number=system.decision_number if approved else "",
        decision_date=system.decision_date if approved else None,
        decision_authority=_authority(system.decision_authority) if approved else "",
        dossier_status=str(status.label),
        deployment=deployment_as_of(system, as_of),
        inspected_on=inspected if inspected and start <= inspected <= as_of else None,
    )


def _authority(value):
    return str(Authority(value).label) if value in Authority.values else ""


def security_rules_as_of(unit, as_of):
    """The unit's internal security rules in force on `as_of`: the current ones if issued by
    then, else the latest ones its history recorded that were (rules replaced since)."""
    if unit.security_rules_number and _issued_by(unit.security_rules_issued_on, as_of):
        return SecurityRules(unit.security_rules_number, unit.security_rules_issued_on)
    past = (
        unit.history.exclude(security_rules_number="")
        .filter(security_rules_issued_on__lte=as_of)
        .order_by(F("security_rules_issued_on").desc(), F("history_date").desc())
        .values_list("security_rules_number", "security_rules_issued_on")
        .first()
    )
    return SecurityRules(*past) if past else None


def _issued_by(issued_on, as_of):
    return issued_on is not None and issued_on <= as_of
