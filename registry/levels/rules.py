"""The minimum level the criteria of Decree 85/2016 Arts. 7-11 give a system (DOMAIN.md §3).

Each criterion is data: the level it gives, the article that says so, and the values of the
system's fields that meet it, written as Django lookups. The same conditions are read in
Python for one system (`suggest`) and in SQL for a list (`suggested_level_expression`), so the
page and the form cannot disagree. A system meeting several criteria takes the highest level
(a system made of parts takes its highest part's). It is advice: nothing here blocks a save.
"""

from dataclasses import dataclass
from functools import reduce
from operator import or_

from django.db.models import Case, IntegerField, Q, Value, When
from django.utils.translation import gettext_lazy as _

from registry.levels.choices import (
    IndustrialWorksGrade,
    InfrastructureReach,
    NationalRole,
    SecurityHarm,
    UserBand,
)
from registry.models import SystemType

ARTICLES = {
    1: _("Decree 85/2016/NĐ-CP, Art. 7"),
    2: _("Decree 85/2016/NĐ-CP, Art. 8"),
    3: _("Decree 85/2016/NĐ-CP, Art. 9"),
    4: _("Decree 85/2016/NĐ-CP, Art. 10"),
    5: _("Decree 85/2016/NĐ-CP, Art. 11"),
}
BASE_LEVEL = 1
BASE_REASON = _("internal system processing only public information")


@dataclass(frozen=True)
class Criterion:
    level: int
    reason: str
    conditions: dict  # Django lookups on the system's fields, all of which must hold

    @property
    def q(self):
        return Q(**self.conditions)

    def met_by(self, system):
        return all(_holds(system, lookup, wanted) for lookup, wanted in self.conditions.items())


CRITERIA = (
    # Level 5 (Art. 11)
    Criterion(5, _("central storage of especially important national data"),
              {"national_role": NationalRole.NATIONAL_DATA}),
    Criterion(5, _("designated by the Prime Minister"), {"national_role": NationalRole.DESIGNATED}),
    Criterion(5, _("national infrastructure connecting Vietnam internationally"),
              {"infrastructure_reach": InfrastructureReach.INTERNATIONAL}),
    Criterion(5, _("especially serious harm to national security"),
              {"security_harm": SecurityHarm.ESPECIALLY_SERIOUS}),
    # Level 4 (Art. 10)
    Criterion(4, _("national e-government system that must run 24/7"),
              {"national_role": NationalRole.E_GOVERNMENT}),
    Criterion(4, _("nationwide shared infrastructure run 24/7"),
              {"infrastructure_reach": InfrastructureReach.NATIONWIDE}),
    Criterion(4, _("serious harm to national security"), {"security_harm": SecurityHarm.SERIOUS}),
    Criterion(4, _("industrial control for works of grade I"),
              {"industrial_works_grade": IndustrialWorksGrade.GRADE_I}),
    # Level 3 (Art. 9)
    Criterion(3, _("online public service at level 3 or above"),
              {"system_type": SystemType.PUBLIC_SERVICE, "online_service_level__gte": 3}),
    Criterion(3, _("online service of a conditional business line"),
              {"conditional_business": True}),
    Criterion(3, _("10,000 users or more"), {"user_count_band": UserBand.FROM_10000}),
    Criterion(3, _("infrastructure shared within a sector or a province"),
              {"infrastructure_reach": InfrastructureReach.SECTOR_OR_PROVINCE}),
    Criterion(3, _("state secrets"), {"handles_state_secrets": True}),
    Criterion(3, _("harm to national security"), {"security_harm": SecurityHarm.HARM}),
    Criterion(3, _("industrial control for works of grade II to IV"),
              {"industrial_works_grade": IndustrialWorksGrade.GRADE_II_TO_IV}),
    # Level 2 (Art. 8)
    Criterion(2, _("private information"), {"handles_private_data": True}),
    Criterion(2, _("personal data"), {"handles_personal_data": True}),
    Criterion(2, _("online public service at level 1 or 2"),
              {"system_type": SystemType.PUBLIC_SERVICE}),
    Criterion(2, _("infrastructure serving a single agency"),
              {"infrastructure_reach": InfrastructureReach.SINGLE_AGENCY}),
)  # fmt: skip


def _holds(system, lookup, wanted):
    field, _sep, operator = lookup.partition("__")
    value = getattr(system, field)
    if operator == "gte":
        return value is not None and value >= wanted
    if operator:
        raise ValueError(f"Unsupported lookup in a level criterion: {lookup}")
    return value == wanted


@dataclass(frozen=True)
class Suggestion:
    level: int
    article: str
    reasons: tuple  # what the system meets at that level

    def exceeds(self, level):
        """Whether `level` (proposed or approved) is below this suggestion; None is not."""
        return level is not None and level < self.level


def suggest(system):
    """The minimum level the criteria give `system`, the article deciding it and why."""
    met = [criterion for criterion in CRITERIA if criterion.met_by(system)]
    level = max((criterion.level for criterion in met), default=BASE_LEVEL)
    reasons = tuple(str(c.reason) for c in met if c.level == level) or (str(BASE_REASON),)
    return Suggestion(level=level, article=str(ARTICLES[level]), reasons=reasons)


def suggested_level_expression():
    """The suggested level of each system of a queryset, as one SQL CASE."""
    whens = []
    for level in sorted({criterion.level for criterion in CRITERIA}, reverse=True):
        met = reduce(or_, (c.q for c in CRITERIA if c.level == level))
        whens.append(When(met, then=Value(level)))
    return Case(*whens, default=Value(BASE_LEVEL), output_field=IntegerField())
