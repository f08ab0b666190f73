"""Who may see and touch which units and systems.

Every page, admin list, export, PDF, API and e-mail that shows a unit's data
asks here first. A membership covers its unit and every subordinate unit.
"""

import datetime
from dataclasses import dataclass
from functools import reduce
from operator import or_

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.http import Http404

from registry.accounts.rules import DELEGABLE_ROLES
from registry.models import InformationSystem, Membership, Role, Unit
from registry.reorganisation.structure import endings_in_force

READ_ROLES = (Role.OFFICER, Role.VIEWER, Role.MANAGER)


def is_national_admin(user):
    if not user.is_authenticated or not user.is_active:
        return False
    if user.is_superuser:
        return True
    return _memberships(user).get(Role.NATIONAL_ADMIN) is not None


@dataclass(frozen=True)
class Grant:
    """What one role covers: a unit's subtree, less the units merged out of it since (for
    changes only), and for a role in a unit that has ended, only what was declared before."""

    path: str
    until: datetime.date | None = None
    moved_out: tuple = ()

    def q(self, field, writes=False):
        condition = Q(**{f"{field}__startswith": self.path})
        if writes:
            for path in self.moved_out:
                condition &= ~Q(**{f"{field}__startswith": path})
        if self.until is not None and field == "owner__path":
            condition &= Q(declared_on__lt=self.until)
        return condition


def _memberships(user):
    """{role: [Grant]} for the user, cached on the user object for the request.

    The unit structure of today decides what a role covers (registry/reorganisation):
    - a role in a unit covers the units merged into it (and into its subordinate units);
      it changes nothing of a subordinate unit merged into another unit since;
    - a role in a unit that has ended since reads that unit's past (and the past of the
      units merged into it before), and changes nothing;
    - a role carried over from a merged unit gives nothing until it is confirmed."""
    if not user.is_authenticated:
        return {}  # the admin asks about anonymous users too, e.g. on its login page
    cached = getattr(user, "_scope_memberships", None)
    if cached is None:
        cached = {}
        rows = Membership.objects.filter(user=user, pending=False).values_list(
            "role", "unit_id", "unit__path"
        )
        endings = endings_in_force() if any(unit_id for _r, unit_id, _p in rows) else {}
        for role, unit_id, path in rows:
            if unit_id in endings:
                role = Role.VIEWER if role in READ_ROLES else None
            if role is not None:
                cached.setdefault(role, []).extend(_grants(unit_id, path, endings))
        user._scope_memberships = cached
    return cached


def _grants(unit_id, path, endings):
    if unit_id is None:
        return [Grant(path)]
    ended = endings.get(unit_id)
    if ended is not None:  # its past: the unit, and what had merged into it by then
        until = ended.effective_on
        absorbed = [e.path for e in endings.values() if _went_through(e, path)]
        return [Grant(path, until), *(Grant(p, until) for p in absorbed)]
    moved_out = tuple(
        e.path
        for e in endings.values()
        if e.path.startswith(path) and not e.final_path.startswith(path)
    )
    merged_in = [
        e.path
        for e in endings.values()
        if e.final_path.startswith(path) and not e.path.startswith(path)
    ]
    return [Grant(path, moved_out=moved_out), *(Grant(p) for p in merged_in)]


def _went_through(ending, path):
    """Whether an ended unit merged, on its way, into the subtree at `path`."""
    return not ending.path.startswith(path) and any(
        p.startswith(path) for p in ending.successor_paths
    )


def read_paths(user):
    """Unit paths a user's reading roles cover (their units merged into included)."""
    return [grant.path for grant in _paths(user, READ_ROLES)]


def _paths(user, roles):
    memberships = _memberships(user)
    return [grant for role in roles for grant in memberships.get(role, [])]


def _subtree_q(grants, field, writes=False):
    if not grants:
        return Q(pk__in=[])
    return reduce(or_, (grant.q(field, writes) for grant in grants))


def visible_units(user):
    if is_national_admin(user):
        return Unit.objects.all()
    if not user.is_authenticated:
        return Unit.objects.none()
    return Unit.objects.filter(_subtree_q(_paths(user, READ_ROLES), "path"))


def editable_units(user):
    if is_national_admin(user):
        return Unit.objects.all()
    if not user.is_authenticated:
        return Unit.objects.none()
    return Unit.objects.filter(_subtree_q(_paths(user, [Role.OFFICER]), "path", writes=True))


def visible_systems(user):
    if is_national_admin(user):
        return InformationSystem.objects.all()
    if not user.is_authenticated:
        return InformationSystem.objects.none()
    return InformationSystem.objects.filter(_subtree_q(_paths(user, READ_ROLES), "owner__path"))


def editable_systems(user):
    if is_national_admin(user):
        return InformationSystem.objects.all()
    if not user.is_authenticated:
        return InformationSystem.objects.none()
    return InformationSystem.objects.filter(
        _subtree_q(_paths(user, [Role.OFFICER]), "owner__path", writes=True)
    )


def can_edit_systems(user):
    return is_national_admin(user) or bool(_paths(user, [Role.OFFICER]))


def can_read_registry(user):
    return is_national_admin(user) or bool(_paths(user, READ_ROLES))


def is_valid_id(field, value):
    """Whether `value` is of the field's type and range: an id the database can look up."""
    try:
        field.run_validators(field.to_python(value))
    except (ValidationError, ValueError, TypeError, OverflowError):
        return False
    return True


def load(rows, pk, *, may_change=None):
    """The one way to an object by its id: the row of `rows` (a scoped queryset) with this pk.

    A malformed id ("abc", "%00", a 10,000-digit number), a missing row and a row outside
    `rows` give the same 404, so an id reveals nothing. With `may_change` (a write), an
    object the user may read but not change is a 403."""
    pk_field = rows.model._meta.pk
    obj = rows.filter(pk=pk_field.to_python(pk)).first() if is_valid_id(pk_field, pk) else None
    if obj is None:
        raise Http404
    if may_change is not None and not may_change(obj):
        raise PermissionDenied
    return obj


def get_system_for_user(user, pk, *, write=False):
    rows = visible_systems(user).select_related("owner", "operator", "responsible_officer")
    return load(rows, pk, may_change=_editable_system(user) if write else None)


def _editable_system(user):
    return lambda system: editable_systems(user).filter(pk=system.pk).exists()


def get_unit_for_user(user, pk, *, write=False):
    """A unit by id; changing one (renaming, moving, deactivating) is for national admins."""
    return load(visible_units(user), pk, may_change=_national(user) if write else None)


def _national(user):
    return lambda obj: is_national_admin(user)


def get_visible_unit_or_404(user, **lookup):
    unit = visible_units(user).filter(**lookup).first()
    if unit is None:
        raise Http404
    return unit


def visible_people(user):
    """Users this user may see named: those holding a role in a unit they may see, national
    administrators, and themselves. Everyone for a national administrator."""
    users = get_user_model().objects.all()
    if is_national_admin(user):
        return users
    in_scope = Membership.objects.filter(
        Q(unit__in=visible_units(user)) | Q(role=Role.NATIONAL_ADMIN)
    ).values("user_id")
    return users.filter(Q(pk__in=in_scope) | Q(pk=user.pk))


def officers_in_scope(user):
    """Users who are security officers somewhere in the units this user may edit."""
    officer_ids = Membership.objects.filter(role=Role.OFFICER, unit__in=editable_units(user))
    return get_user_model().objects.filter(pk__in=officer_ids.values("user_id"))


def membership_units(user):
    """The units a user holds a reading role for (not their subordinates), for a home page."""
    if not user.is_authenticated:
        return Unit.objects.none()
    unit_ids = Membership.objects.filter(user=user, role__in=READ_ROLES, pending=False)
    unit_ids = unit_ids.values("unit_id")
    return Unit.objects.filter(pk__in=unit_ids).order_by("group", "sort_order", "name")


# Accounts (issue 12) ----------------------------------------------------------------------


def account_admin_units(user):
    """The units whose accounts this user manages: all for national admins."""
    if is_national_admin(user):
        return Unit.objects.all()
    if not user.is_authenticated:
        return Unit.objects.none()
    return Unit.objects.filter(_subtree_q(_paths(user, [Role.ACCOUNT_ADMIN]), "path"))


def can_manage_accounts(user):
    return is_national_admin(user) or bool(_paths(user, [Role.ACCOUNT_ADMIN]))


def visible_accounts(user):
    """Accounts this user may see: anyone holding a role in the units they manage."""
    users = get_user_model().objects
    if is_national_admin(user):
        return users.all()
    if not can_manage_accounts(user):
        return users.none()
    members = Membership.objects.filter(unit__in=account_admin_units(user)).values("user_id")
    return users.filter(pk__in=members)


def manageable_users(user):
    """Accounts this user may deactivate and invite: every role they hold is one this user
    could grant (a delegable role in a unit they manage). A national admin manages all."""
    users = get_user_model().objects
    if is_national_admin(user):
        return users.all()
    if not can_manage_accounts(user):
        return users.none()
    units = account_admin_units(user)
    inside = Membership.objects.filter(role__in=DELEGABLE_ROLES, unit__in=units)
    outside = Membership.objects.exclude(role__in=DELEGABLE_ROLES, unit__in=units)
    return users.filter(pk__in=inside.values("user_id"), is_superuser=False).exclude(
        pk__in=outside.values("user_id")
    )


def get_account_for_user(user, pk, *, write=False):
    """An account by id: 404 outside the units this user manages, 403 for one they may see
    but not change (another account administrator of their unit, say)."""
    may_change = (
        (lambda account: manageable_users(user).filter(pk=account.pk).exists()) if write else None
    )
    return load(visible_accounts(user), pk, may_change=may_change)
