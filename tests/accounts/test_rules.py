import pytest
from django.core.exceptions import ValidationError

from registry.accounts import rules
from registry.models import Role

A = "/1/"
A_DEPT = "/1/5/"
B = "/2/"


def _grant(role, path, national=False, paths=(A,)):
    rules.validate_grant(role, path, is_national=national, manager_paths=list(paths))


@pytest.mark.parametrize("role", [Role.VIEWER, Role.MANAGER, Role.OFFICER])
@pytest.mark.parametrize("path", [A, A_DEPT])
def test_account_admin_grants_reading_roles_in_their_subtree(role, path):
    _grant(role, path)


@pytest.mark.parametrize("role", [Role.VIEWER, Role.OFFICER])
def test_account_admin_grants_nothing_outside_their_subtree(role):
    with pytest.raises(ValidationError) as error:
        _grant(role, B)
    assert "unit" in error.value.message_dict


def test_a_path_that_merely_starts_alike_is_another_unit():
    with pytest.raises(ValidationError):
        _grant(Role.VIEWER, "/11/")


@pytest.mark.parametrize("role", [Role.ACCOUNT_ADMIN, Role.NATIONAL_ADMIN])
@pytest.mark.parametrize("path", [A, A_DEPT, B, None])
def test_account_admin_grants_no_admin_role_anywhere(role, path):
    with pytest.raises(ValidationError) as error:
        _grant(role, path)
    assert "role" in error.value.message_dict


def test_national_admin_grants_any_role():
    _grant(Role.NATIONAL_ADMIN, None, national=True, paths=())
    _grant(Role.ACCOUNT_ADMIN, B, national=True, paths=())
    _grant(Role.VIEWER, B, national=True, paths=())


def test_national_admin_role_has_no_unit_and_others_need_one():
    with pytest.raises(ValidationError):
        _grant(Role.NATIONAL_ADMIN, A, national=True, paths=())
    with pytest.raises(ValidationError):
        _grant(Role.ACCOUNT_ADMIN, None, national=True, paths=())


def test_unknown_role_is_refused():
    with pytest.raises(ValidationError):
        _grant("superuser", A, national=True, paths=())


@pytest.mark.parametrize(
    ("roles", "for_all", "needed"),
    [
        ({Role.NATIONAL_ADMIN}, False, True),
        ({Role.ACCOUNT_ADMIN, Role.VIEWER}, False, True),
        ({Role.OFFICER}, False, False),
        (set(), False, False),
        ({Role.VIEWER}, True, True),
    ],
)
def test_who_needs_a_second_factor(roles, for_all, needed):
    assert rules.needs_second_factor(roles, required_for_all=for_all) is needed
