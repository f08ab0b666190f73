"""The README's curl example, as a provincial officer's script runs it on the baseline."""

import pytest
from django.utils import timezone

from registry.models import InformationSystem, Role, Unit
from tests.api.conftest import client_for

ROWS = {
    "unit": "P38",
    "rows": [
        {
            "Mã hệ thống": "P38-API-00001",
            "Tên hệ thống": "Cổng dịch vụ công tỉnh",
            "Cấp độ đề xuất": "Cấp độ 3",
            "Loại hệ thống": "Dịch vụ công trực tuyến",
        }
    ],
}


@pytest.mark.django_db
def test_the_readme_example_works_as_written(baseline, role_user):
    thanh_hoa = Unit.objects.get(code="P38")
    script = client_for(role_user(Role.OFFICER, thanh_hoa))
    listed = script.get("/api/v1/systems/", {"unit": "P38", "page_size": 100})
    assert listed.status_code == 200 and len(listed.json()["results"]) == 100
    assert listed.json()["next"]
    before = script.get("/api/v1/summary/", {"unit": "P38"}).json()["units"][0]

    dry = script.post("/api/v1/systems/bulk/?dry_run=true", ROWS, format="json")
    assert dry.status_code == 200 and dry.json()["created"] == 1
    assert not InformationSystem.objects.filter(code="P38-API-00001").exists()
    real = script.post("/api/v1/systems/bulk/", ROWS, format="json", HTTP_IDEMPOTENCY_KEY="k")
    retry = script.post("/api/v1/systems/bulk/", ROWS, format="json", HTTP_IDEMPOTENCY_KEY="k")
    assert real.status_code == retry.status_code == 200 and real.json() == retry.json()
    created = InformationSystem.objects.get(code="P38-API-00001")
    assert (created.owner, created.proposed_level, created.declared_on) == (
        thanh_hoa,
        3,
        timezone.localdate(),
    )

    after = script.get("/api/v1/summary/", {"unit": "P38"}).json()["units"][0]
    assert after["total"] == before["total"] + 1
    assert after["levels"]["3"] == before["levels"]["3"] + 1
    assert script.get("/api/v1/systems/", {"unit": "P01"}).status_code == 404
    assert script.get("/api/v1/summary/", {"unit": "P01"}).status_code == 404
