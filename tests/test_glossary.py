"""The catalogs use the glossary's terms (docs/glossary.md): no forbidden variant in any msgstr."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
GLOSSARY = ROOT / "docs" / "glossary.md"
CATALOGS = sorted(
    path for path in ROOT.glob("**/locale/vi/LC_MESSAGES/*.po") if ".venv" not in path.parts
)


def forbidden_variants():
    """The backticked first cells of the glossary's "Forbidden variants" table."""
    section = GLOSSARY.read_text(encoding="utf-8").split("## Forbidden variants", 1)[1]
    return re.findall(r"^\| `([^`]+)` \|", section, flags=re.MULTILINE)


def pattern_of(variant):
    # First letter in either case (a sentence may start with it), the rest as written: the
    # variant "Bộ Công thương" differs from the right spelling only by case.
    first = re.escape(variant[0].lower()) + re.escape(variant[0].upper())
    return re.compile(f"[{first}]{re.escape(variant[1:])}")


def translations(path):
    """(line number, text) of each msgstr line and its continuation lines."""
    in_msgstr = False
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if line.startswith("msgstr"):
            in_msgstr = True
        elif not line.startswith('"'):
            in_msgstr = False
        if in_msgstr:
            yield number, line


def test_the_glossary_lists_forbidden_variants():
    assert "phương án bảo vệ" in forbidden_variants()
    assert len(forbidden_variants()) >= 5


def test_the_catalogs_are_found():
    names = {path.relative_to(ROOT).parts[0] for path in CATALOGS}
    assert {"locale", "registry", "compliance", "notifications"} <= names


def test_no_catalog_uses_a_forbidden_variant():
    patterns = [(variant, pattern_of(variant)) for variant in forbidden_variants()]
    found = [
        f"{path.relative_to(ROOT)}:{number}: {variant!r} in {line}"
        for path in CATALOGS
        for number, line in translations(path)
        for variant, pattern in patterns
        if pattern.search(line)
    ]
    assert not found, "\n".join(found)


def test_the_check_catches_a_capitalised_variant_and_spares_the_right_spelling():
    pattern = pattern_of("Bộ Công thương")
    assert pattern.search('msgstr "Bộ Công thương"')
    assert not pattern.search('msgstr "Bộ Công Thương"')
    assert pattern_of("phương án bảo vệ").search('msgstr "Phương án bảo vệ chỉ …"')
