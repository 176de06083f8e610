"""Notebook 04 (collections) is thin, and its report is masked in both languages.

The team lead tunes the notebook through its ``parameters`` cell only (papermill
replaces it; ``creditkit report -p``): the policy and rules files, the auto-apply level,
the run cycle, the team and its capacity, the window of collector performance, the rows
shown; the other cells only call the package and show what it returns.

Its report holds no personal data: no customer's full name, phone or ID number, in zh
or in en; reminders address the customer by id; the live-only browsers are left out.
"""

from __future__ import annotations

import re
from pathlib import Path

import nbformat
import pytest

from creditkit.reporting import notebook_parameters

NB = Path(__file__).resolve().parents[2] / "notebooks" / "04-collections.ipynb"


def test_the_browsers_are_live_only() -> None:
    doc = nbformat.read(NB, as_version=4)
    for c in doc.cells:
        if "browser(" in c.source:
            assert "report-hide" in c.metadata.get("tags", []), c.source[:60]


# --- the exported report, zh and en ---------------------------------------------------------

@pytest.fixture(scope="module")
def reports(small_parameters, notebook_reports) -> dict[str, str]:
    """The zh and en reports (run_notebook), shared with the run's other report tests."""
    found = {}
    for lang in ("zh", "en"):
        html = notebook_reports.export(NB, {**small_parameters(NB), "lang": lang})
        found[lang] = html.read_text(encoding="utf-8")
    return found


@pytest.mark.slow
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_report_shows_no_personal_data(reports, small_portfolio, lang: str) -> None:
    from creditkit.privacy import mask_name

    page = reports[lang]
    customers = small_portfolio["customers"]
    # the report does show customers (masked): the reminders name someone
    masked = set(mask_name(customers["name"].astype(str)))
    assert any(m in page for m in masked if len(m) > 2), "no masked name: no reminder shown?"
    leaks = [n for n in customers["name"].dropna().astype(str) if len(n) > 1 and n in page
             and n not in masked]
    assert leaks == [], f"full names in the {lang} report: {leaks[:5]}"
    for col in ("phone", "id_number"):
        shown = [v for v in customers[col].dropna().astype(str) if v and v in page]
        assert shown == [], f"{col} in the {lang} report: {shown[:3]}"
    assert not re.search(r"1[3-9]\d{9}", re.sub(r"<script.*?</script>", "", page, flags=re.S))


@pytest.mark.slow
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_report_first_screen_and_sections(reports, lang: str) -> None:
    from creditkit.labels import label

    page = reports[lang]
    title = page.index(label("collections_report_title", lang))
    first = page.index(label("coll_sec_reconcile", lang))
    assert title < page.index('class="ck-headline"') < first
    for key in ("reminders_sent", "worklist_past_due_minor", "assigned_recovery_minor"):
        assert label(key, lang) in page[title:first]
    for key in ("coll_sec_dunning", "coll_sec_worklist", "coll_sec_channels"):
        assert label(key, lang) in page
    assert label("coll_sec_explore", lang) not in page  # the live-only section is left out
    assert page.count("plotly-graph-div") >= 6


def test_the_shipped_policy_and_rules_are_the_default() -> None:
    params = notebook_parameters(NB)
    assert params["policy_path"] is None and params["rules_path"] is None
