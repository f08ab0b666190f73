"""The level the criteria give, case by case from DOMAIN.md §3 (Decree 85/2016 Arts. 7-11).

Each case is read twice: in Python for one system (the admin's suggestion) and in SQL for a
list (the page of systems below it); both must give the level of the table."""

import pytest

from registry.levels.choices import (
    IndustrialWorksGrade,
    InfrastructureReach,
    NationalRole,
    SecurityHarm,
    UserBand,
)
from registry.levels.rules import suggest, suggested_level_expression
from registry.models import InformationSystem, SystemType
from tests.factories import SystemFactory

PUBLIC = SystemType.PUBLIC_SERVICE
ONLINE = SystemType.ONLINE_SERVICE

# (case from DOMAIN.md §3, the system's attributes, level, article)
CASES = [
    ("L1 internal system, public information only", {}, 1, "Art. 7"),
    ("L2 internal, private information", {"handles_private_data": True}, 2, "Art. 8"),
    ("L2 internal, personal data", {"handles_personal_data": True}, 2, "Art. 8"),
    (
        "L2 online public service at level 2",
        {"system_type": PUBLIC, "online_service_level": 2},
        2,
        "Art. 8",
    ),
    ("L2 online public service, level unknown", {"system_type": PUBLIC}, 2, "Art. 8"),
    (
        "L2 online service, personal data of fewer than 10,000 users",
        {
            "system_type": ONLINE,
            "handles_personal_data": True,
            "user_count_band": UserBand.UNDER_10000,
        },
        2,
        "Art. 8",
    ),
    (
        "L2 infrastructure serving a single agency",
        {
            "system_type": SystemType.INFRASTRUCTURE,
            "infrastructure_reach": InfrastructureReach.SINGLE_AGENCY,
        },
        2,
        "Art. 8",
    ),
    (
        "L3 online public service at level 3",
        {"system_type": PUBLIC, "online_service_level": 3},
        3,
        "Art. 9",
    ),
    (
        "L3 online public service at level 4",
        {"system_type": PUBLIC, "online_service_level": 4},
        3,
        "Art. 9",
    ),
    (
        "L3 conditional business line",
        {"system_type": ONLINE, "conditional_business": True},
        3,
        "Art. 9",
    ),
    (
        "L3 10,000 users or more",
        {
            "system_type": ONLINE,
            "handles_personal_data": True,
            "user_count_band": UserBand.FROM_10000,
        },
        3,
        "Art. 9",
    ),
    (
        "L3 infrastructure shared within a province",
        {"infrastructure_reach": InfrastructureReach.SECTOR_OR_PROVINCE},
        3,
        "Art. 9",
    ),
    (
        "L3 state secrets",
        {"handles_state_secrets": True, "handles_private_data": True},
        3,
        "Art. 9",
    ),
    ("L3 sabotage harms national security", {"security_harm": SecurityHarm.HARM}, 3, "Art. 9"),
    (
        "L3 industrial control, works of grade II-IV",
        {
            "system_type": SystemType.INDUSTRIAL_CONTROL,
            "industrial_works_grade": IndustrialWorksGrade.GRADE_II_TO_IV,
        },
        3,
        "Art. 9",
    ),
    ("L4 national e-government, 24/7", {"national_role": NationalRole.E_GOVERNMENT}, 4, "Art. 10"),
    (
        "L4 nationwide infrastructure, 24/7",
        {"infrastructure_reach": InfrastructureReach.NATIONWIDE},
        4,
        "Art. 10",
    ),
    ("L4 serious harm to national security", {"security_harm": SecurityHarm.SERIOUS}, 4, "Art. 10"),
    (
        "L4 industrial control, works of grade I",
        {
            "system_type": SystemType.INDUSTRIAL_CONTROL,
            "industrial_works_grade": IndustrialWorksGrade.GRADE_I,
        },
        4,
        "Art. 10",
    ),
    ("L5 central national data", {"national_role": NationalRole.NATIONAL_DATA}, 5, "Art. 11"),
    (
        "L5 infrastructure connecting Vietnam internationally",
        {"infrastructure_reach": InfrastructureReach.INTERNATIONAL},
        5,
        "Art. 11",
    ),
    (
        "L5 especially serious harm",
        {"security_harm": SecurityHarm.ESPECIALLY_SERIOUS},
        5,
        "Art. 11",
    ),
    (
        "L5 designated by the Prime Minister",
        {"national_role": NationalRole.DESIGNATED},
        5,
        "Art. 11",
    ),
    (
        "the highest part decides: public service L3 with state secrets and 24/7 e-government",
        {
            "system_type": PUBLIC,
            "online_service_level": 3,
            "handles_state_secrets": True,
            "national_role": NationalRole.E_GOVERNMENT,
        },
        4,
        "Art. 10",
    ),
]


@pytest.mark.parametrize("case, attributes, level, article", CASES, ids=[c[0] for c in CASES])
def test_the_suggestion_gives_the_level_the_criteria_give(case, attributes, level, article):
    suggestion = suggest(InformationSystem(**attributes))
    assert suggestion.level == level
    assert suggestion.article.endswith(article)
    assert suggestion.reasons


@pytest.mark.django_db
def test_the_sql_reading_agrees_with_the_python_one_on_every_case():
    made = {SystemFactory(**attributes).pk: level for _case, attributes, level, _a in CASES}
    rows = InformationSystem.objects.annotate(suggested=suggested_level_expression())
    assert dict(rows.values_list("pk", "suggested")) == made


def test_the_reasons_name_what_the_system_meets():
    suggestion = suggest(
        InformationSystem(system_type=PUBLIC, online_service_level=3, conditional_business=True)
    )
    assert set(suggestion.reasons) == {
        "online public service at level 3 or above",
        "online service of a conditional business line",
    }
    assert suggestion.exceeds(2) and not suggestion.exceeds(3) and not suggestion.exceeds(None)
