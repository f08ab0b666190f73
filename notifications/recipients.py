"""Who is told about a unit: loaded once per planner run, whatever the number of units.

A membership covers its unit's subtree for reading, but reminders go to the
people named on the unit itself (its managers, and its security officers as a
copy), so a ministry's managers are not sent each department's digest as
well; they hear about their overdue departments in one escalation digest.
"""

from dataclasses import dataclass, field

from registry.models import Membership, Role
from registry.reorganisation.structure import Structure

from .models import RecipientRole


@dataclass(frozen=True)
class Recipient:
    user_id: int
    email: str


@dataclass
class Directory:
    structure: Structure  # the units as they were on the planning date
    by_role: dict = field(default_factory=dict)  # (unit id, role) -> [Recipient]
    national: list = field(default_factory=list)

    @classmethod
    def load(cls, as_of):
        """Three queries: the unit structure of the date (units, unit changes) and the active
        members' roles and addresses. A unit merged by then gets nothing: its systems count
        toward its successor, whose people are told."""
        directory = cls(structure=Structure.load(as_of))
        memberships = Membership.objects.filter(user__is_active=True, pending=False).values_list(
            "unit_id", "role", "user_id", "user__email"
        )
        for unit_id, role, user_id, email in memberships.order_by("user_id"):
            recipient = Recipient(user_id, email or "")
            if role == Role.NATIONAL_ADMIN:
                directory.national.append(recipient)
            else:
                directory.by_role.setdefault((unit_id, role), []).append(recipient)
        return directory

    def members(self, unit_id, role):
        return self.by_role.get((unit_id, role), [])

    def unit_recipients(self, unit_id):
        """[(Recipient, RecipientRole)] for a unit's notice, one entry per person (a manager
        who is also an officer of the unit gets the manager's notice)."""
        chosen = {}
        pairs = [(r, RecipientRole.MANAGER) for r in self.members(unit_id, Role.MANAGER)]
        pairs += [(r, RecipientRole.OFFICER) for r in self.members(unit_id, Role.OFFICER)]
        for recipient, role in pairs:
            chosen.setdefault(recipient.user_id, (recipient, role))
        return list(chosen.values())

    def parent(self, unit_id):
        """The unit a unit reported to on the date (a merged parent's successor), or None."""
        chain = self.structure.chain(unit_id)
        return chain[1] if len(chain) > 1 else None

    def reporting_unit(self, owner_id):
        return self.structure.reporting_unit(owner_id) or owner_id

    def is_top(self, unit_id):
        """A ministry, agency or province: no parent unit to escalate to."""
        return self.parent(unit_id) is None

    def roll_up(self, counts_by_owner):
        """{unit id: systems in its whole subtree} from counts per owning unit, each counted
        toward the units its owner belonged to on the date."""
        totals = {}
        for owner_id, count in counts_by_owner.items():
            for unit_id in self.structure.chain(owner_id):
                totals[unit_id] = totals.get(unit_id, 0) + count
        return totals

    def in_subtrees(self, unit_id, scope_ids):
        chain = self.structure.chain(unit_id)
        return not scope_ids or any(pk in chain for pk in scope_ids)
