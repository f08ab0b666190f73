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
    text = unicodedata.normalize("NFD", text or "").replace("đ", "d").replace("Đ", "D")
    stripped = "".join(ch for ch in text if not unicodedata.combining(ch))
    return " ".join(_SEPARATORS.split(stripped.casefold())).strip()


class UnitResolver:
    """Resolves typed names to units, built once for many look-ups (e.g. an import)."""

    def __init__(self, units):
        self._by_key = {}
        self._by_ascii = {}
        for unit in units:
            key = unit_name_key(unit.name)
            self._by_key.setdefault(key, []).append(unit)
            self._by_ascii.setdefault(unit_name_ascii_key(unit.name), []).append(unit)
        self._by_code = {unit.code.casefold(): unit for unit in units}

    def resolve(self, name):
        """The one unit the name means, or ValidationError naming the candidates."""
        text = (name or "").strip()
        if not text:
            raise ValidationError(_("The unit name is empty."), code="unit_empty")
        if text.casefold() in self._by_code:
            return self._by_code[text.casefold()]
        key = unit_name_key(text)
        candidates = self._by_key.get(key) or self._by_ascii.get(unit_name_ascii_key(text), [])
        if len(candidates) == 1:
            return candidates[0]
        if not candidates:
            raise ValidationError(
                _("Unknown unit “%(name)s”.") % {"name": text}, code="unit_unknown"
            )
        names = "; ".join(_describe(unit) for unit in candidates)
        raise ValidationError(
            _("The unit name “%(name)s” is ambiguous: %(candidates)s.")
            % {"name": text, "candidates": names},
            code="unit_ambiguous",
        )


def _describe(unit):
    parent = getattr(unit, "parent", None)
    where = f", {parent.name}" if parent else ""
    return f"{unit.name} ({unit.code}{where})"


def resolve_unit(name, units=None):
    """Resolve one name against all units (or the given ones)."""
    from registry.models import Unit

    if units is None:
        units = Unit.objects.select_related("parent")
    return UnitResolver(list(units)).resolve(name)
