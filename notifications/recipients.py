"""Who is told about a unit: loaded once per planner run, whatever the number of units.

A membership covers its unit's subtree for reading, but reminders go to the
people named on the unit itself (its managers, and its security officers as a
copy), so a ministry's managers are not sent each department's digest as
well; they hear about their overdue departments in one escalation digest.
"""

from dataclasses import dataclass, field

from registry.models import Membership, Role, Unit

from .models import RecipientRole


@dataclass(frozen=True)
class Recipient:
    user_id: int
    email: str


@dataclass
class Directory:
    paths: dict = field(default_factory=dict)  # unit id -> path
    parents: dict = field(default_factory=dict)  # unit id -> parent id (None at the top)
    reporting: dict = field(default_factory=dict)  # unit id -> reporting unit id
    by_role: dict = field(default_factory=dict)  # (unit id, role) -> [Recipient]
    national: list = field(default_factory=list)

    @classmethod
    def load(cls):
        """Two queries: the unit tree and the active members' roles and addresses."""
        directory = cls()
        for pk, path, parent_id, reporting_id in Unit.objects.values_list(
            "pk", "path", "parent_id", "reporting_unit_id"
        ):
            directory.paths[pk] = path
            directory.parents[pk] = parent_id
            directory.reporting[pk] = reporting_id or pk
        memberships = Membership.objects.filter(user__is_active=True).values_list(
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

    def is_top(self, unit_id):
        """A ministry, agency or province: no parent unit to escalate to."""
        return self.parents.get(unit_id) is None

    def roll_up(self, counts_by_owner):
        """{unit id: systems in its whole subtree} from counts per owning unit."""
        totals = {}
        for owner_id, count in counts_by_owner.items():
            for ancestor in self.paths[owner_id].strip("/").split("/"):
                totals[int(ancestor)] = totals.get(int(ancestor), 0) + count
        return totals

    def in_subtrees(self, unit_id, paths):
        return not paths or any(self.paths[unit_id].startswith(path) for path in paths)
