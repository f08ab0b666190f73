"""Matching Vietnamese unit names as people type them.

The same unit is written many ways: NFC or NFD, old or new tone-mark placement
("Hoà"/"Hòa"), any case, with or without "TP."/"Thành phố"/"Tỉnh", hyphens or
spaces ("Bà Rịa - Vũng Tàu"). `unit_name_key` reduces all of these to one key;
`fold_ascii` drops every diacritic, for searching "ha noi" and for a last-resort
match that may be ambiguous.
"""

import re
import unicodedata

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

# Combining tone marks; everything else (breve, circumflex, horn) is part of the letter.
_TONES = {"\u0300": "2", "\u0301": "1", "\u0309": "3", "\u0303": "4", "\u0323": "5"}
_SEPARATORS = re.compile(r"[\s\-‐‑‒–—―.,;:()/]+")
_PREFIXES = (
    "ủy ban nhân dân thành phố",
    "ủy ban nhân dân tỉnh",
    "ủy ban nhân dân",
    "ubnd thành phố",
    "ubnd tỉnh",
    "ubnd tp",
    "ubnd",
    "thành phố",
    "tỉnh",
    "tp",
)


def _canonical_word(word):
    """A word with its tone written as a trailing digit: 'hoà' and 'hòa' → 'hoa2'."""
    decomposed = unicodedata.normalize("NFD", word)
    tone = "".join(_TONES[ch] for ch in decomposed if ch in _TONES)
    letters = "".join(ch for ch in decomposed if ch not in _TONES)
    return unicodedata.normalize("NFC", letters) + tone


def _words(text):
    text = unicodedata.normalize("NFC", text or "").casefold()
    return [_canonical_word(w) for w in _SEPARATORS.split(text) if w]


_PREFIX_WORDS = sorted((_words(p) for p in _PREFIXES), key=len, reverse=True)


def _without_prefix(words):
    for prefix in _PREFIX_WORDS:
        if words[: len(prefix)] == prefix and len(words) > len(prefix):
            return words[len(prefix) :]
    return words


def unit_name_key(name):
    """The key two spellings of one unit name share."""
    return " ".join(_without_prefix(_words(name)))


def unit_name_ascii_key(name):
    """A looser key without any diacritic: 'ha noi' for 'TP. Hà Nội'; may match several units."""
    words = _words(name)
    kept = words[len(words) - len(_without_prefix(words)) :]
    raw = _SEPARATORS.split(unicodedata.normalize("NFC", name or "").strip())
    raw = [w for w in raw if w]
    return fold_ascii(" ".join(raw[len(raw) - len(kept) :]))


def fold_ascii(text):
    """Lower-case text without any diacritic: 'Đắk Lắk' → 'dak lak'."""
    text = text or ""
    if text.isascii():  # codes and unaccented words: nothing to take off
        stripped = text
    else:
        text = unicodedata.normalize("NFD", text).replace("đ", "d").replace("Đ", "D")
        stripped = "".join(ch for ch in text if not unicodedata.combining(ch))
    return " ".join(_SEPARATORS.split(stripped.casefold())).strip()


class UnitResolver:
    """Resolves typed names to units, built once for many look-ups (e.g. an import).

    With `structure` (the unit structure of a date, registry/reorganisation/structure.py)
    a name resolves in that date's structure: a former name or code of a unit merged by then
    leads to its successor, with a note saying so ("Hà Giang → Tuyên Quang từ 01/07/2025");
    names a unit had before a rename are known too."""

    def __init__(self, units, structure=None):
        self.structure = structure
        self._by_key = {}
        self._by_ascii = {}
        for unit in units:
            for name in self._names(unit):
                self._index(self._by_key, unit_name_key(name), unit)
                self._index(self._by_ascii, unit_name_ascii_key(name), unit)
        self._by_code = {unit.code.casefold(): unit for unit in units}

    def _names(self, unit):
        names = {unit.name}
        if self.structure is not None:
            names.update(self.structure.names_of(unit.pk))
        return names

    @staticmethod
    def _index(index, key, unit):
        units = index.setdefault(key, [])
        if unit not in units:
            units.append(unit)

    def resolve(self, name):
        """The one unit the name means, or ValidationError naming the candidates."""
        return self.resolve_with_note(name)[0]

    def resolve_with_note(self, name):
        """(unit, note): the note says when the name led to a successor or a new name."""
        text = (name or "").strip()
        if not text:
            raise ValidationError(_("The unit name is empty."), code="unit_empty")
        if text.casefold() in self._by_code:
            candidates = [self._by_code[text.casefold()]]
        else:
            key = unit_name_key(text)
            candidates = self._by_key.get(key) or self._by_ascii.get(unit_name_ascii_key(text), [])
        if self.structure is not None:
            return self._in_structure(text, candidates)
        if len(candidates) == 1:
            return candidates[0], None
        raise _not_one(text, candidates)

    def _in_structure(self, text, candidates):
        """The candidates where they stood on the structure's date: one unit, or an error
        listing them with what became of each. Units bearing the name on that date come
        first: in 2024 "Lào Cai" is the old province, not the one renamed so in 2025."""
        key = unit_name_key(text)
        bearing = [u for u in candidates if unit_name_key(self.structure.name(u.pk)) == key]
        placed = {}
        for unit in bearing or candidates:
            placement = self.structure.placement(unit.pk)
            if placement is not None:
                placed.setdefault(placement, unit)
        if len(placed) != 1:
            raise _not_one(text, candidates, self.structure)
        ((placement, matched),) = placed.items()
        unit = self.structure.units[placement]
        name_then = self.structure.name(placement)
        changed_on = self.structure.changed_on(matched.pk, placement)
        if changed_on is None or unit_name_key(text) == unit_name_key(name_then):
            return unit, None
        note = _("%(old)s → %(new)s from %(day)s") % {
            "old": text,
            "new": name_then,
            "day": changed_on.strftime("%d/%m/%Y"),
        }
        return unit, note


def _not_one(text, candidates, structure=None):
    if not candidates:
        return ValidationError(_("Unknown unit “%(name)s”.") % {"name": text}, code="unit_unknown")
    names = "; ".join(_describe(unit, structure) for unit in candidates)
    return ValidationError(
        _("The unit name “%(name)s” is ambiguous: %(candidates)s.")
        % {"name": text, "candidates": names},
        code="unit_ambiguous",
    )


def _describe(unit, structure=None):
    parent = getattr(unit, "parent", None)
    where = f", {parent.name}" if parent else ""
    ending = structure.endings.get(unit.pk) if structure is not None else None
    if ending is not None:
        where += ", " + _("until %(day)s") % {"day": ending.effective_on.strftime("%d/%m/%Y")}
    return f"{unit.name} ({unit.code}{where})"


def resolve_unit(name, units=None):
    """Resolve one name against all units (or the given ones)."""
    from registry.models import Unit

    if units is None:
        units = Unit.objects.select_related("parent")
    return UnitResolver(list(units)).resolve(name)
