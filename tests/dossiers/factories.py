import datetime

import factory

from registry.dossiers.models import DossierRound
from tests.factories import SystemFactory


class RoundFactory(factory.django.DjangoModelFactory):
    """A round in drafting for an approved level-2 system (approved 01/04/2024)."""

    class Meta:
        model = DossierRound

    system = factory.SubFactory(SystemFactory, approved=True, proposed_level=2)
    number = factory.Sequence(lambda n: n + 2)
    reason = "Mở dịch vụ công trực tuyến mức độ 3"
    started_on = datetime.date(2025, 1, 10)
    proposed_level = 3
