"""Hostile values in every path and query parameter of every URL: never a 5xx (issue 9).

The routes come from the resolver (tests/test_every_url.py classifies each); the query
parameters a view reads are found by asking it: a first request records every key the
view looks up in the query, and every parameter the page itself links to (filters,
sorting, pages). Runs on PostgreSQL in CI, where a NUL byte or a huge number reaches
errors SQLite never raises.
"""

import re
from urllib.parse import parse_qsl, urlsplit

import pytest
from django.http import QueryDict
from django.utils.datastructures import MultiValueDict

from tests.test_every_url import ALL_ROUTES, build_world, url_for

HOSTILE = [
    "abc",
    "-5",
    "0",
    "99999999999999999999999999",
    "9" * 5000,  # past Python's 4,300-digit limit for int()
    "",
    "%00",
    "a%00b",
    "%0D%0Aset-cookie:x",
    "x" * 10_000,
    "9999-99-99",
    "31%2F02%2F2024",
    "%FF%FE",
    "..%2F..%2Fetc",
    "1e309",
    "%E2%80%8B",
]


def path_parameters(route):
    """Indexes of the URL's path segments that are parameters of `route`."""
    bare = re.sub(r"\([^)]*\)|<[^>]*>", "P", route.replace("^", "").replace("$", ""))
    segments = bare.strip("/").split("/")
    return [i for i, segment in enumerate(segments) if segment == "P"]


def with_segment(url, index, value):
    path, _, query = url.partition("?")
    segments = path.strip("/").split("/")
    segments[index] = value
    return "/" + "/".join(segments) + "/" + (f"?{query}" if query else "")


class KeysRead:
    """Every key a view looks up in request.GET / request.POST while it runs."""

    def __init__(self, monkeypatch):
        self.keys = set()
        for name in ("__getitem__", "get", "getlist", "__contains__"):
            original = getattr(MultiValueDict, name)
            monkeypatch.setattr(MultiValueDict, name, self._recording(original))

    def _recording(self, original):
        def recorded(query, key, *args, **kwargs):
            # Only request data: the URL resolver keeps its names in MultiValueDicts too.
            if isinstance(query, QueryDict) and isinstance(key, str):
                self.keys.add(key)
            return original(query, key, *args, **kwargs)

        return recorded


def linked_parameters(body, every_form=False):
    """Query parameters of the links and GET forms a page offers (filters, sorting, pages)."""
    names = set()
    for href in re.findall(rb'href="([^"]*\?[^"]*)"', body):
        query = urlsplit(href.decode(errors="replace").replace("&amp;", "&")).query
        names |= {name for name, _ in parse_qsl(query, keep_blank_values=True)}
    for form, fields in re.findall(rb"<form([^>]*)>(.*?)</form>", body, re.S):
        # A GET form's fields end up in the query; an admin add page takes any field from it.
        if every_form or b'method="post"' not in form.lower():
            names |= {
                n.decode() for n in re.findall(rb'<(?:input|select)[^>]*name="([^"]+)"', fields)
            }
    return names - {"csrfmiddlewaretoken", "next", "language"}


def query_parameters(client, url, monkeypatch):
    with monkeypatch.context() as patch:
        recorder = KeysRead(patch)
        response = client.get(url)
    body = b"".join(response.streaming_content) if response.streaming else response.content
    linked = linked_parameters(body, every_form=url.endswith("/add/"))
    return sorted((recorder.keys | linked) - {"csrfmiddlewaretoken"})


def _fail_if_server_error(response, url, problems):
    if response.status_code >= 500:
        problems.append(f"{response.status_code} GET {url[:200]}")


@pytest.mark.django_db
@pytest.mark.parametrize("route", ALL_ROUTES)
def test_hostile_values_never_give_a_server_error(route, client, monkeypatch):
    world = build_world()
    client.raise_request_exception = False  # a 500 is counted, and the next value tried
    problems = []
    for role in ("national", "officer"):
        client.force_login(world.users[role])
        url = url_for(world, route)
        for index in path_parameters(route):
            for value in HOSTILE:
                hostile = with_segment(url, index, value)
                _fail_if_server_error(client.get(hostile), hostile, problems)
        if role != "national":
            continue  # the query is read the same way for every role; the widest reach is enough
        separator = "&" if "?" in url else "?"
        for name in query_parameters(client, url, monkeypatch):
            for value in HOSTILE:
                hostile = f"{url}{separator}{name}={value}"
                _fail_if_server_error(client.get(hostile), hostile, problems)
    assert not problems, "\n".join(problems)


@pytest.mark.django_db
@pytest.mark.parametrize("cookie", ["sessionid", "csrftoken", "django_language"])
def test_hostile_cookies_never_give_a_server_error(client, cookie, role_user):
    """Django decodes octal escapes in quoted cookie values: '"\\000…"' is a NUL."""
    client.raise_request_exception = False
    for value in [*HOSTILE, '"\\000abcdefghijkl"', "\x00" * 40, "a" * 4096]:
        for url in ("/login/", "/", "/admin/", "/units/"):
            client.cookies[cookie] = value
            response = client.get(url)
            assert response.status_code < 500, f"{cookie}={value[:40]!r} GET {url}"
