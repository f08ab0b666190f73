"""The unit structure of any date, computed from the unit rows and the dated unit changes.

Two queries, whatever the date: every unit, and every change not cancelled. From them:
- a unit exists from `established_on` (or always) until the date a merger, split or
  dissolution takes effect;
- its name and parent on a date are those of the last rename or move in force by then
  (before the first, the name and parent that change replaced);
- a system owned by a unit that no longer exists counts toward the unit's successor (the
  successor's successor, if that too has ended), and a unit whose parent has ended reports
  to the parent's successor. Systems are never dropped.

The summary selector, the scope and the reminders all ask here, so that they cannot
disagree about who a unit was on a date.
"""

import bisect
import contextlib
import contextvars
import datetime
from dataclasses import dataclass
from functools import cached_property

from django.utils import timezone
from django.utils.translation import gettext as _

from registry.models import Unit

from .models import ENDING_KINDS, ChangeKind, UnitChange


@dataclass(frozen=True)
class Ending:
    """How and when a unit ended: the change, its kind, date and successor."""

    change_id: int
    kind: str
    effective_on: datetime.date
    successor_id: int


CHANGE_FIELDS = (
    "pk",
    "kind",
    "unit_id",
    "successor_id",
    "old_parent_id",
    "new_parent_id",
    "old_name",
    "new_name",
    "effective_on",
    "applied_at",
)


class Structure:
    """Who every unit was on `as_of`."""

    def __init__(self, as_of, units, changes):
        self.as_of = as_of
        self.units = units  # {pk: Unit} as stored today
        self._names = {}
        self._name_applied = {}  # unit id -> whether its last rename is on the unit row
        self._parents = {}
        self.endings = {}
        for change in sorted(changes, key=lambda c: (c["effective_on"], c["pk"])):
            self._take(change)

    @classmethod
    def load(cls, as_of=None, extra_changes=()):
        """The structure of `as_of` (today by default); `extra_changes` (rows as
        `ChangeSpec.as_row` gives them) add changes not saved yet, for a preview."""
        as_of = as_of or timezone.localdate()
        cache = _cache.get()
        if cache is not None and not extra_changes:
            if as_of not in cache:
                cache[as_of] = cls._read(as_of, ())
            return cache[as_of]
        return cls._read(as_of, extra_changes)

    @classmethod
    def _read(cls, as_of, extra_changes):
        units = {unit.pk: unit for unit in Unit.objects.all()}
        changes = UnitChange.objects.in_force().values(*CHANGE_FIELDS)
        return cls(as_of, units, [*changes, *extra_changes])

    def _take(self, change):
        unit_id, day = change["unit_id"], change["effective_on"]
        if change["kind"] == ChangeKind.RENAME:
            self._names.setdefault(unit_id, []).append(
                (day, change["old_name"], change["new_name"])
            )
            self._name_applied[unit_id] = change.get("applied_at") is not None
        elif change["kind"] == ChangeKind.MOVE:
            moves = self._parents.setdefault(unit_id, [])
            moves.append((day, change["old_parent_id"], change["new_parent_id"]))
        else:
            ending = Ending(change["pk"], change["kind"], day, change["successor_id"])
            self.endings.setdefault(unit_id, ending)

    # One unit on the date ------------------------------------------------------------------

    def exists(self, pk):
        established_on = self.units[pk].established_on
        if established_on and established_on > self.as_of:
            return False
        ending = self.endings.get(pk)
        return ending is None or ending.effective_on > self.as_of

    def ending(self, pk):
        """The ending in force on the date, if the unit had ended by then."""
        ending = self.endings.get(pk)
        return ending if ending and ending.effective_on <= self.as_of else None

    def name(self, pk):
        steps = self._names.get(pk)
        if steps and steps[-1][0] <= self.as_of and self._name_applied.get(pk):
            return self.units[pk].name  # the row holds the last name, corrections included
        return _as_of(steps, self.as_of, self.units[pk].name)

    def names_of(self, pk):
        """Every name the unit has had or will have, by its renames."""
        steps = self._names.get(pk, ())
        return {name for _day, before, after in steps for name in (before, after)}

    def changed_on(self, pk, placement):
        """When the unit `pk` came to be `placement` as it is on the date: the day it ended
        into it, else the day of its last rename by then; None when nothing changed."""
        if pk != placement:
            return self.ending(pk).effective_on
        renames = [day for day, _b, _a in self._names.get(pk, ()) if day <= self.as_of]
        return renames[-1] if renames else None

    def parent(self, pk):
        """The unit it reported to on the date, as recorded (it may have ended since)."""
        return _as_of(self._parents.get(pk), self.as_of, self.units[pk].parent_id)

    def placement(self, pk):
        """Where a unit's systems count on the date: itself, or the successor that exists
        then (None for a unit not yet established)."""
        seen = set()
        while pk is not None and not self.exists(pk):
            ending = self.ending(pk)
            if ending is None or pk in seen:
                return None  # not established yet (or a cycle of successors)
            seen.add(pk)
            pk = ending.successor_id
        return pk

    def chain(self, pk):
        """The units a system owned by `pk` counts toward on the date, from its placement up
        to its reporting unit; empty when the owner did not exist yet."""
        if pk not in self._chains:
            self._chains[pk] = self._build_chain(pk)
        return self._chains[pk]

    def _build_chain(self, pk):
        chain = []
        current = self.placement(pk)
        while current is not None and current not in chain:
            chain.append(current)
            current = self.placement(self.parent(current))
        return tuple(chain)

    @cached_property
    def _chains(self):
        return {}

    def absence(self, pk):
        """Why a unit has no figures of its own on the date, in words; None when it exists."""
        if self.exists(pk):
            return None
        ending = self.ending(pk)
        if ending is None:
            return _("%(unit)s was established on %(day)s.") % {
                "unit": self.units[pk].name,
                "day": self.units[pk].established_on.strftime("%d/%m/%Y"),
            }
        return _("%(unit)s: %(kind)s on %(day)s; its systems count toward %(successor)s.") % {
            "unit": self.name(pk),
            "kind": ChangeKind(ending.kind).label.lower(),
            "day": ending.effective_on.strftime("%d/%m/%Y"),
            "successor": self.name(self.placement(pk)),
        }

    def former_subtree(self, pk):
        """For a unit that had ended by the date, the units whose systems counted toward it the
        day before (they count toward its successor now); its subtree otherwise."""
        ending = self.ending(pk)
        if ending is None:
            return self.subtree(pk)
        return Structure.load(ending.effective_on - datetime.timedelta(days=1)).subtree(pk)

    def stranded(self):
        """Units existing by the date whose systems would count nowhere: their successors or
        their parents lead round in a circle. Empty in any structure a change may leave."""
        stranded = []
        for pk, unit in self.units.items():
            if unit.established_on and unit.established_on > self.as_of:
                continue
            chain = self.chain(pk)
            top = chain[-1] if chain else None
            if top is None or self.placement(self.parent(top)) is not None:
                stranded.append(pk)
        return stranded

    def branch_below(self, owner, pk):
        """The unit just below `pk` on the way from `owner` up to its reporting unit on the
        date (the reporting unit itself when `pk` is None); None when `owner` counts toward
        `pk` directly, or not at all."""
        chain = self.chain(owner)
        if pk is None:
            return chain[-1] if chain else None
        below = chain[: chain.index(pk)] if pk in chain else ()
        return below[-1] if below else None

    def reporting_unit(self, pk):
        chain = self.chain(pk)
        return chain[-1] if chain else None

    # The whole structure on the date --------------------------------------------------------

    def reporting_units(self):
        """Ids of the units that report nationally on the date, in report order."""
        tops = [pk for pk in self.units if self.exists(pk) and self._is_top(pk)]
        return sorted(tops, key=self._order)

    def _is_top(self, pk):
        return self.placement(self.parent(pk)) is None

    def _order(self, pk):
        unit = self.units[pk]
        return (unit.group, unit.sort_order, self.name(pk))

    def subtree(self, pk):
        """Ids of the units whose systems count toward `pk` on the date (itself included, and
        the units merged into it or into its subordinate units)."""
        return frozenset(owner for owner in self.units if pk in self.chain(owner))

    def children(self, pk):
        """Units existing on the date that report directly to `pk`."""
        rows = [
            child
            for child in self.units
            if self.exists(child) and self.placement(self.parent(child)) == pk and child != pk
        ]
        return sorted(rows, key=lambda child: (self.units[child].sort_order, self.name(child)))

    def predecessors(self, pk):
        """Units that had ended by the date into `pk` or into one of its subordinate units,
        directly or through others: their past is part of `pk`'s."""
        return [
            other
            for other in self.endings
            if other != pk and self.ending(other) and pk in self.chain(other)
        ]

    def unit(self, pk):
        """The unit as it was on the date: its name then, and `ended` (the ending in force, if
        any) for pages that say what became of it. The row is this structure's own (read for
        it alone), so setting them changes no other date's."""
        unit = self.units[pk]
        unit.name = self.name(pk)
        unit.ended = self.ending(pk)
        return unit


class Timeline:
    """The structures of many dates from one read of the units and changes (two queries),
    for work that meets many dates at once: an import's rows, each of its own date."""

    def __init__(self):
        self.units = {unit.pk: unit for unit in Unit.objects.all()}
        self.changes = list(UnitChange.objects.in_force().values(*CHANGE_FIELDS))
        self.days = sorted({change["effective_on"] for change in self.changes})
        self._built = {}

    def at(self, day):
        """The structure of `day`, shared by every day between the same two changes."""
        epoch = bisect.bisect_right(self.days, day)
        if epoch not in self._built:
            self._built[epoch] = Structure(day, self.units, self.changes)
        return self._built[epoch]


@dataclass(frozen=True)
class EndingPaths:
    """An ended unit as the scope sees it: its path, the paths of its successors in turn
    (the last one is where its systems count), and the day it ended."""

    path: str
    successor_paths: tuple
    effective_on: datetime.date

    @property
    def final_path(self):
        return self.successor_paths[-1]


def endings_in_force(as_of=None):
    """{ended unit id: EndingPaths} for the units merged, split or dissolved by `as_of`
    (today by default), in one query. The scope reads this: a role in a successor covers
    the units merged into it; a role in an ended unit reads its past."""
    as_of = as_of or timezone.localdate()
    rows = UnitChange.objects.in_force().filter(kind__in=ENDING_KINDS, effective_on__lte=as_of)
    successors = {
        unit_id: (path, successor_id, successor_path, day)
        for unit_id, path, successor_id, successor_path, day in rows.values_list(
            "unit_id", "unit__path", "successor_id", "successor__path", "effective_on"
        )
    }
    endings = {}
    for unit_id, (path, successor_id, successor_path, day) in successors.items():
        chain, seen = [successor_path], {unit_id}
        while successor_id in successors and successor_id not in seen:
            seen.add(successor_id)
            _path, successor_id, successor_path, _day = successors[successor_id]
            chain.append(successor_path)
        endings[unit_id] = EndingPaths(path, tuple(chain), day)
    return endings


# Within one request (or one planner run) the structure of a date is read once; any write
# to a unit or a unit change empties the cache (registry/reorganisation/signals.py).
_cache = contextvars.ContextVar("unit_structures", default=None)


@contextlib.contextmanager
def structures_cached():
    token = _cache.set({})
    try:
        yield
    finally:
        _cache.reset(token)


def forget_structures():
    cache = _cache.get()
    if cache is not None:
        cache.clear()


def _as_of(steps, as_of, current):
    """The value on `as_of` from dated (day, before, after) steps sorted by day; `current`
    when there are none."""
    if not steps:
        return current
    value = steps[0][1]
    for day, _before, after in steps:
        if day <= as_of:
            value = after
    return value
