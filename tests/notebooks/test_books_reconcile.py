"""00-portfolio-overview and 03-repayment-tracking show one book: their totals reconcile.

Both notebooks run on one small store and one date (``run_notebook`` with
``keep_ipynb``); the test reads the tables the reports *show* (the escaped
HTML of ``show_table`` in the executed notebooks' outputs), finds each table
by its headers in the label table, turns the formatted money back into minor
units, and checks to the minor unit that:

- each report's bridge adds up (gross outstanding − unapplied − unclaimed = net);
- 00 and 03 show the same bridge, equal to ``creditkit.aging.balance_bridge``;
- 03's aging buckets add up to the bridge's gross outstanding line;
- 00's net balance (summary and the sum of its product table) is the bridge's
  net balance line, and its product table's customer counts add up to the
  summary's count of the same name.

Reading the shown tables, not kernel variables, is the point: what a manager
reads is what must reconcile.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import nbformat
import pytest

from creditkit.aging import BRIDGE_COLUMNS, BRIDGE_LINES, balance_bridge
from creditkit.labels import label
from creditkit.store import load_portfolio

NOTEBOOKS = Path(__file__).resolve().parents[2] / "notebooks"
LANG = "en"


class _Tables(HTMLParser):
    """Every ``<table class="ck-table">`` of an HTML fragment as (headers, rows of cells)."""

    def __init__(self) -> None:
        super().__init__()
        self.tables: list[tuple[list[str], list[list[str]]]] = []
        self._cell: list[str] | None = None
        self._row: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list) -> None:
        if tag == "table" and ("class", "ck-table") in attrs:
            self.tables.append(([], []))
        elif self.tables and tag == "tr":
            self._row = []
        elif self.tables and tag in ("th", "td"):
            self._cell = []

    def handle_data(self, data: str) -> None:
        if self._cell is not None:
            self._cell.append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag in ("th", "td") and self._cell is not None and self._row is not None:
            self._row.append("".join(self._cell).strip())
            self._cell = None
        elif tag == "tr" and self._row is not None:
            heads, rows = self.tables[-1]
            if not heads:
                heads.extend(self._row)
            else:
                rows.append(self._row)
            self._row = None


def shown_tables(executed: Path) -> list[list[dict[str, str]]]:
    """The tables shown in an executed notebook, each a list of {header: cell}."""
    out = []
    for cell in nbformat.read(executed, as_version=4).cells:
        for o in cell.get("outputs", []):
            html = o.get("data", {}).get("text/html")
            if not html:
                continue
            parser = _Tables()
            parser.feed(html if isinstance(html, str) else "".join(html))
            out += [[dict(zip(heads, row, strict=True)) for row in rows]
                    for heads, rows in parser.tables]
    return out


def table_with(tables: list[list[dict[str, str]]], *keys: str) -> list[dict[str, str]]:
    """The one shown table whose headers include the labels of ``keys``."""
    heads = [label(k, LANG) for k in keys]
    found = [t for t in tables if t and all(h in t[0] for h in heads)]
    assert len(found) == 1, f"expected one table with {heads}, found {len(found)}"
    return found[0]


def minor(text: str) -> int:
    """Formatted money ("-CN¥12,345.00") back to minor units (every minor digit is shown)."""
    digits = re.sub(r"\D", "", text)
    assert digits, f"not an amount: {text!r}"
    return -int(digits) if "-" in text or "−" in text else int(digits)


def bridge_shown(tables) -> dict[tuple[str, str], int]:
    rows = table_with(tables, "bridge_line", "currency", "amount_minor")
    keys = {label(line, LANG): line for line, _ in BRIDGE_LINES.values()}
    cur, amount = label("currency", LANG), label("amount_minor", LANG)
    return {(r[cur], keys[r[label("bridge_line", LANG)]]): minor(r[amount]) for r in rows}


@pytest.fixture(scope="module")
def executed(small_parameters, notebook_reports) -> dict[str, Path]:
    """The executed notebooks (run_notebook keep_ipynb), shared with the other report tests."""
    runs = {}
    for stem in ("00-portfolio-overview", "03-repayment-tracking"):
        nb = NOTEBOOKS / f"{stem}.ipynb"
        params = {**small_parameters(nb), "lang": LANG}
        html = notebook_reports.export(nb, params)
        runs[stem] = html.parent / f"{stem}.executed.ipynb"
    return runs


def test_00_and_03_reconcile_through_the_bridge(executed, small_store, portfolio_as_of) -> None:
    t00 = shown_tables(executed["00-portfolio-overview"])
    t03 = shown_tables(executed["03-repayment-tracking"])
    b00, b03 = bridge_shown(t00), bridge_shown(t03)
    assert b00 == b03, "00 and 03 show different bridges"

    tables = load_portfolio(small_store)
    want = balance_bridge(tables["bills"], tables["payments"], as_of=portfolio_as_of)
    currencies = sorted(want["currency"])
    assert currencies and sorted({c for c, _ in b00}) == currencies
    for _, row in want.iterrows():
        cur = row["currency"]
        expect = {(cur, line): sign * int(row[col]) for col, (line, sign) in BRIDGE_LINES.items()}
        assert {k: v for k, v in b00.items() if k[0] == cur} == expect
        assert (b00[cur, "gross_outstanding"] + b00[cur, "less_unapplied"]
                + b00[cur, "less_unclaimed"]) == b00[cur, "net_balance"]
    assert list(BRIDGE_COLUMNS) == list(BRIDGE_LINES)

    cur_h, out_h, net_h = (label(k, LANG) for k in ("currency", "outstanding_minor",
                                                    "net_balance_minor"))
    # 03: the aging buckets add up to the gross outstanding line
    aging = table_with(t03, "bucket", "outstanding_minor", "share")
    for cur in currencies:
        total = sum(minor(r[out_h]) for r in aging if r[cur_h] == cur)
        assert total == b03[cur, "gross_outstanding"]

    # 00: the headline net balance and the product table's net balances are the net line
    summary = table_with(t00, "n_customers_on_file", "n_customers_active", "net_balance_minor")
    products = table_with(t00, "product", "n_customers_active", "net_balance_minor")
    active_h = label("n_customers_active", LANG)
    for cur in currencies:
        (head,) = [r for r in summary if r[cur_h] == cur]
        assert minor(head[net_h]) == b00[cur, "net_balance"]
        rows = [r for r in products if r[cur_h] == cur]
        assert sum(minor(r[net_h]) for r in rows) == b00[cur, "net_balance"]
        # customer counts that add up: the product table counts the summary's active customers
        assert sum(int(r[active_h].replace(",", "")) for r in rows) == int(
            head[active_h].replace(",", ""))
