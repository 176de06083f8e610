"""Notebook 08 (credit file) is thin, runs from the command line for a named customer, and
its report holds no unmasked personal data of that customer, in zh and en.

The committee reads one customer's file: the report shows that customer's identity masked
(张*, 138****5678, 110***********1234); the full name, ID number and mobile must appear
nowhere in the HTML, nor any other customer's (the payments show payers masked too).
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import nbformat
import pandas as pd
import pytest

NB = Path(__file__).resolve().parents[2] / "notebooks" / "08-credit-file.ipynb"


def test_the_picker_is_live_only() -> None:
    doc = nbformat.read(NB, as_version=4)
    pickers = [c for c in doc.cells if "customer_picker(" in c.source]
    assert pickers and all("report-hide" in c.metadata.get("tags", []) for c in pickers)


# --- the exported report, zh (from the command line, a named customer) and en (the default) --

@pytest.fixture(scope="module")
def store(small_store: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the small store with three month ends of snapshots."""
    from creditkit.creditfile import monthly_history

    path = tmp_path_factory.mktemp("store-08") / "creditkit.duckdb"
    shutil.copy(small_store, path)
    monthly_history(path, end="2025-06-30", months=3)
    return path


@pytest.fixture(scope="module")
def reports(store: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[str, str]]:
    """{lang: (customer, page)}: zh by `creditkit report -p customer_id`, en by default."""
    from creditkit.cli import main
    from creditkit.creditfile import credit_file_report, default_customer
    from creditkit.store import portfolio_at

    out = tmp_path_factory.mktemp("report-08")
    book = portfolio_at(store, "2025-06-30").sort_values("outstanding_minor", ascending=False)
    named = str(book["customer_id"].iloc[1])  # not the default one
    assert main(["report", str(NB), "-p", "customer_id", named, "-p", "store_path", str(store),
                 "-p", "lang", "zh", "--out", str(out / "zh")]) == 0
    zh = (out / "zh" / "08-credit-file.html").read_text(encoding="utf-8")
    en = credit_file_report(store, out_dir=out / "en", lang="en").read_text(encoding="utf-8")
    return {"zh": (named, zh), "en": (default_customer(store), en)}


@pytest.mark.slow
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_report_is_the_customers_file_and_masked(reports, small_portfolio, lang: str) -> None:
    from creditkit.labels import label
    from creditkit.privacy import mask_id_number, mask_name, mask_phone

    cid, page = reports[lang]
    customers = small_portfolio["customers"]
    me = customers[customers["customer_id"] == cid].iloc[0]
    assert label("creditfile_report_title", lang) in page and cid in page
    for col, masker in (("name", mask_name), ("id_number", mask_id_number),
                        ("phone", mask_phone)):
        value = str(me[col])
        shown = masker(pd.Series([value])).iloc[0]
        assert shown != value and shown in page, f"the masked {col} {shown!r} is not shown"
        assert value not in page, f"unmasked {col} in the {lang} report"
    leaks = [n for n in customers["name"].dropna().astype(str) if len(n) > 1 and n in page]
    assert leaks == [], f"full names in the {lang} report: {leaks[:5]}"
    for col in ("phone", "id_number"):
        shown = [v for v in customers[col].dropna().astype(str) if v and v in page]
        assert shown == [], f"{col} in the {lang} report: {shown[:3]}"
    text = re.sub(r"<script.*?</script>", "", page, flags=re.S)
    assert not re.search(r"(?<!\d)1[3-9]\d{9}(?!\d)", text), "a mobile number in the page"


@pytest.mark.slow
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_report_first_screen_then_sections(reports, lang: str) -> None:
    from creditkit.labels import label

    _, page = reports[lang]
    title = page.index(label("creditfile_report_title", lang))
    first = page.index(label("creditfile_identity", lang))
    assert title < page.index('class="ck-headline"') < first
    keys = ("creditfile_history", "creditfile_charts", "creditfile_changes_title",
            "creditfile_actions", "creditfile_bills")
    where = [page.index(label(k, lang)) for k in keys]
    assert first < where[0] and where == sorted(where)
    assert page.count("plotly-graph-div") >= 2
