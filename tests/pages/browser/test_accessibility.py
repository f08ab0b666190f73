"""axe-core on every page of SITE_PAGES at a laptop's and a phone's width (issue 18): no
serious or critical violation of a WCAG 2.1 A or AA rule. Results: var/axe/<page>-<width>.json."""

import pytest

from tests.pages.browser.axe import audit
from tests.pages.browser.site_pages import SITE_PAGES, route_of

pytestmark = pytest.mark.browser

WIDTHS = {"desktop": (1366, 768), "phone": (390, 844)}


@pytest.mark.parametrize("width", WIDTHS)
def test_no_page_has_a_serious_wcag_violation(site, width):
    found = []
    for site_page in SITE_PAGES:
        page, response = site.open(site_page, WIDTHS[width])
        assert response.status == site_page.status, site_page.name
        # on the page asked for, not sent to the login (the invitation goes on to a URL of its own)
        assert route_of(page.url) == route_of(site_page.url(site.data)), (site_page.name, page.url)
        found += [f"{site_page.name}: {line}" for line in audit(page, f"{site_page.name}-{width}")]
    assert not found, "\n".join(found)
