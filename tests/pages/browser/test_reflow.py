"""Reflow (WCAG 1.4.10, issue 18): no product page scrolls sideways on a 390 px phone, whatever
its data: long unit, system and user names, long words without a break, many rows. Wide tables
scroll inside their own box (a focusable region, tests/pages/browser/test_accessibility.py)."""

import datetime

import pytest

from compliance.reports.models import GeneratedReport, ReportFormat, ReportStatus
from registry.models import InformationSystem, Unit
from tests.pages.browser.site_pages import OFFICER, OFFICER_UNIT, SITE_PAGES

pytestmark = pytest.mark.browser

PHONE = (390, 844)
UNBROKEN = "HTTT-QuanLyNganSachNhaNuocVaKhoBacTrungUongGiaiDoan2025"  # no place to break
LONG_UNIT = (
    "Bộ Tài chính — Cục Tin học và Thống kê tài chính, Trung tâm Dữ liệu quốc gia về tài chính "
    f"công và hạ tầng số dùng chung của ngành tài chính {UNBROKEN}"
)
LONG_SYSTEM = f"Hệ thống thông tin quản lý ngân sách nhà nước và kho bạc trung ương {UNBROKEN}"
# The page's width, and the outermost elements sticking out on the right that no scrolling box
# of their own holds: what to fix.
OVERFLOW_JS = """() => {
  const width = window.innerWidth;
  const sticksOut = element => element.getBoundingClientRect().right > width + 0.5;
  const clipped = element => {
    for (let box = element.parentElement; box; box = box.parentElement) {
      if (getComputedStyle(box).overflowX !== "visible") return box !== document.documentElement
        && box !== document.body;
    }
    return false;
  };
  const culprits = [];
  if (document.documentElement.scrollWidth > width) {
    for (const element of document.body.querySelectorAll("*")) {
      if (sticksOut(element) && !sticksOut(element.parentElement) && !clipped(element)) {
        const name = element.tagName.toLowerCase() + (element.id ? "#" + element.id : "")
          + (element.className && element.className.baseVal === undefined
             ? "." + element.className.trim().split(/\\s+/).join(".") : "");
        culprits.push(`${name} (${Math.round(element.getBoundingClientRect().right)} px)`);
      }
    }
  }
  return [document.documentElement.scrollWidth, width, culprits.slice(0, 5)];
}"""


def _lengthen_names(site):
    unit = Unit.objects.get(code=OFFICER_UNIT)
    unit.name = LONG_UNIT
    unit.save()
    for number, subunit in enumerate(Unit.objects.filter(parent=unit), start=1):
        subunit.name = f"{LONG_UNIT[:200]} — đơn vị {number}"
        subunit.save()
    system = InformationSystem.objects.get(pk=site.data.system)
    system.name, system.code = LONG_SYSTEM, f"{UNBROKEN}-01"
    system.save()
    officer = site.users[OFFICER]
    officer.username = f"nguyen.van.an.cuc.tin.hoc.va.thong.ke.tai.chinh.{UNBROKEN.lower()}"
    officer.save()
    GeneratedReport.objects.bulk_create(
        GeneratedReport(
            unit=unit,
            as_of=datetime.date(2024, 1, 1) + datetime.timedelta(days=day),
            format=ReportFormat.XLSX,
            status=ReportStatus.FAILED,
            created_by=officer,
        )
        for day in range(40)
    )


def test_no_product_page_scrolls_sideways_on_a_phone(site):
    _lengthen_names(site)
    wider = []
    for site_page in SITE_PAGES:
        if not site_page.product:
            continue
        page, response = site.open(site_page, PHONE)
        assert response.status == site_page.status, site_page.name
        scroll_width, inner_width, culprits = page.evaluate(OVERFLOW_JS)
        if scroll_width > inner_width:
            wider.append(f"{site_page.name}: {scroll_width} px wide, by {', '.join(culprits)}")
    assert not wider, "\n".join(wider)
