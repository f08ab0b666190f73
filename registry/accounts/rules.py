"""Pure rules of delegated accounts: which role a manager of accounts may grant where.

No account grants a role wider than its own. A national administrator grants any role; an
account administrator grants viewer, manager and officer roles in a unit of their subtree
and nothing else (no account administrators, no national administrators).
"""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from registry.models import Role

DELEGABLE_ROLES = (Role.VIEWER, Role.MANAGER, Role.OFFICER)


def in_subtree(path, manager_paths):
    """Whether a unit with this path lies in one of the subtrees rooted at `manager_paths`."""
    return bool(path) and any(path.startswith(root) for root in manager_paths)


def grantable_roles(is_national):
    return list(Role) if is_national else list(DELEGABLE_ROLES)


def validate_grant(role, unit_path, *, is_national, manager_paths):
    """ValidationError by field unless a manager may grant `role` for the unit at `unit_path`.

    `unit_path` is None for no unit; `manager_paths` are the roots of the subtrees whose
    accounts a non-national manager keeps."""
    if role not in Role.values:
        raise ValidationError({"role": _("Unknown role.")})
    if role not in grantable_roles(is_national):
        raise ValidationError({"role": _("You cannot grant this role.")})
    if role == Role.NATIONAL_ADMIN:
        if unit_path is not None:
            raise ValidationError({"unit": _("A national administrator has no unit.")})
        return
    if unit_path is None:
        raise ValidationError({"unit": _("Choose the unit of this role.")})
    if not is_national and not in_subtree(unit_path, manager_paths):
        raise ValidationError({"unit": _("You do not manage the accounts of this unit.")})


def needs_second_factor(roles, *, required_for_all):
    """Whether holding these roles requires a second factor at sign-in."""
    if required_for_all:
        return True
    return bool({Role.NATIONAL_ADMIN, Role.ACCOUNT_ADMIN} & set(roles))
