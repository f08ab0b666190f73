"""What "untranslated English" means on a Vietnamese page: the words Django's admin and its
libraries print when a catalog lacks them. Each was seen in Vietnamese mode before issue 15
("Skip to main content", "Please correct the errors below.", simple-history's "Choose a date …
revert", "None", "User:", "Historical …"); the browser and server tests check against it."""

import re
from html.parser import HTMLParser

# Whole words only: no letter may touch either end (\b would miss "User:" before a space).
ENGLISH = re.compile(
    r"(?<!\w)(Skip|Toggle|Model name|Add link|Change or view|Please correct|Choose a date|revert|"
    r"Revert|History|Historical|Registry|None|Home|Filter|Show counts|Search|Add|"
    r"Change|View site|Log out|Welcome|Clear all|results?|Today|Now|Save|Delete|Close|"
    r"Error|Sidebar|Breadcrumbs|Username|Password|User)(?!\w)"
)


class _Text(HTMLParser):
    """The text a reader gets: everything but scripts and styles (visually hidden text too,
    as a screen reader speaks it)."""

    def __init__(self):
        super().__init__()
        self.parts, self._skip = [], 0

    def handle_starttag(self, tag, attrs):
        self._skip += tag in ("script", "style")

    def handle_endtag(self, tag):
        self._skip -= tag in ("script", "style")

    def handle_data(self, data):
        if not self._skip:
            self.parts.append(data)


def page_text(html):
    parser = _Text()
    parser.feed(html)
    return " ".join(" ".join(parser.parts).split())


def english_in(text):
    return sorted(set(ENGLISH.findall(text)))
