"""axe-core in the browser tests (issue 18): the engine axe-playwright-python bundles (axe-core
4.12.1 in 0.1.8, pinned in requirements/test.txt), so nothing is fetched when the tests run."""

import json
from pathlib import Path

from axe_playwright_python.sync_playwright import Axe

RESULTS = Path(__file__).resolve().parents[3] / "var" / "axe"
WCAG_21_AA = ("wcag2a", "wcag2aa", "wcag21a", "wcag21aa")
FAILING_IMPACTS = ("serious", "critical")
# Best practices are run and kept in the results, but only WCAG rules fail a test.
OPTIONS = {
    "runOnly": {"type": "tag", "values": [*WCAG_21_AA, "best-practice"]},
    "resultTypes": ["violations"],
}


# axe accepts an aria-describedby with one id missing out of several; a screen reader then
# reads less than the page meant, so every id referred to must exist.
MISSING_REFERENCES_JS = """() => {
  const attributes = ["aria-describedby", "aria-labelledby", "aria-controls", "for"];
  const missing = [];
  for (const attribute of attributes) {
    for (const element of document.querySelectorAll(`[${attribute}]`)) {
      for (const id of element.getAttribute(attribute).split(/\\s+/).filter(Boolean)) {
        if (!document.getElementById(id)) missing.push(`#${element.id} ${attribute}="${id}"`);
      }
    }
  }
  return missing;
}"""


def audit(page, name):
    """Runs axe on the page as it is, keeps the results as var/axe/<name>.json and returns
    the serious or critical WCAG 2.1 A/AA violations and the ARIA references to missing ids,
    one line each."""
    results = Axe().run(page, options=OPTIONS).response
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / f"{name}.json").write_text(json.dumps(results, ensure_ascii=False, indent=1))
    failing = [
        _describe(violation)
        for violation in results["violations"]
        if violation["impact"] in FAILING_IMPACTS and set(violation["tags"]) & set(WCAG_21_AA)
    ]
    missing = page.evaluate(MISSING_REFERENCES_JS)
    return failing + [f"refers to a missing id: {reference}" for reference in missing]


def _describe(violation):
    targets = ", ".join(" ".join(node["target"]) for node in violation["nodes"][:5])
    return f"{violation['id']} ({violation['impact']}): {violation['help']} — {targets}"
