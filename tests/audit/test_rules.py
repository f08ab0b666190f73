import datetime

import pytest

from registry.audit import rules
from registry.models import Unit


@pytest.mark.parametrize("name", ["auth.login", "import.dry_run", "a.b.c", "otp.reset"])
def test_dotted_lower_case_names_are_actions(name):
    assert rules.validate_action(name) == name


@pytest.mark.parametrize("name", ["login", "Auth.Login", "auth.", ".login", "auth login", "", None])
def test_other_names_are_refused(name):
    with pytest.raises(ValueError):
        rules.validate_action(name)


def test_every_listed_action_is_a_valid_name():
    for name in rules.ACTIONS:
        rules.validate_action(name)


def test_without_a_trusted_proxy_the_address_is_remote_addr():
    meta = {"REMOTE_ADDR": "10.0.0.5", "HTTP_X_FORWARDED_FOR": "1.2.3.4"}
    assert rules.client_address(meta) == "10.0.0.5"


def test_behind_one_proxy_the_address_is_the_hop_it_added():
    # The client wrote "6.6.6.6" itself; the proxy appended the address it saw.
    meta = {"REMOTE_ADDR": "10.0.0.1", "HTTP_X_FORWARDED_FOR": "6.6.6.6, 203.0.113.7"}
    assert rules.client_address(meta, 1) == "203.0.113.7"
    assert rules.client_address({**meta, "HTTP_X_FORWARDED_FOR": "203.0.113.7"}, 1) == (
        "203.0.113.7"
    )


def test_behind_two_proxies_the_outer_ones_hop_counts():
    meta = {"REMOTE_ADDR": "10.0.0.1", "HTTP_X_FORWARDED_FOR": "6.6.6.6, 2001:db8::1, 10.0.0.2"}
    assert rules.client_address(meta, 2) == "2001:db8::1"


@pytest.mark.parametrize("header", ["", "not-an-address", "   ,  "])
def test_a_missing_or_malformed_header_falls_back_to_remote_addr(header):
    meta = {"REMOTE_ADDR": "10.0.0.1", "HTTP_X_FORWARDED_FOR": header}
    assert rules.client_address(meta, 1) == "10.0.0.1"


def test_a_malformed_remote_addr_is_no_address():
    assert rules.client_address({"REMOTE_ADDR": "localhost"}) is None
    assert rules.client_address({}) is None


def test_target_names_model_and_id():
    assert rules.target_of(None) == ("", "")
    assert rules.target_of(Unit(pk=7)) == ("registry.unit", "7")
    assert rules.target_of(Unit()) == ("registry.unit", "")


def test_retention_cutoff():
    now = datetime.datetime(2025, 3, 1, tzinfo=datetime.UTC)
    assert rules.retention_cutoff(now, 400) == now - datetime.timedelta(days=400)
    with pytest.raises(ValueError):
        rules.retention_cutoff(now, 0)
