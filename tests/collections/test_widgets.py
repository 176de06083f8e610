"""Collections widgets: exceptions by reason with candidates, queues per collector, masked."""

from __future__ import annotations

import re

import pandas as pd
import pytest

from creditkit.collections import collection_worklist
from creditkit.collections.widgets import exceptions_browser, worklist_browser
from creditkit.datasets import make_portfolio
from creditkit.display.widgets import widget_text
from creditkit.exceptions import CreditkitError, ParameterError
from creditkit.labels import ALLOWED_LATIN, LABELS, label
from creditkit.money import format_minor

AS_OF = "2025-06-30"
CJK = re.compile(r"[\u4e00-\u9fff]")
LATIN_WORD = re.compile(r"[A-Za-z]+")


def recon() -> tuple[dict[str, pd.DataFrame], pd.DataFrame, pd.DataFrame]:
    """A reconciliation with the columns of reconcile()'s result, made by hand."""
    payments = pd.DataFrame({
        "payment_id": ["P1", "P2", "P3", "P4", "P5", "P6"],
        "channel": ["alipay", "alipay", "card", "card", "cash", "wechat"],
        "currency": ["CNY", "CNY", "CNY", "CNY", "USD", "CNY"],
        "amount_minor": [500, 700, 1000, 250, 90, 123456],
        "payer_name": ["张三丰", "欧阳无名", "李四", "王五", "Ann Lee", "赵六"],
    })
    allocations = pd.DataFrame({
        "payment_id": ["P1", "P3"], "bill_id": ["B1", "B3"], "customer_id": ["C1", "C2"],
        "amount_minor": [500, 600], "method": ["reference_match", "amount_exact"],
        "confidence": [0.99, 0.97], "currency": ["CNY", "CNY"]})
    exceptions = pd.DataFrame({
        "payment_id": ["P2", "P3", "P4", "P5", "P6"],
        "customer_id": [None, "C2", "C3", "C4", "C5"],
        "currency": ["CNY", "CNY", "CNY", "USD", "CNY"],
        "channel": ["alipay", "card", "card", "cash", "wechat"],
        "paid_date": pd.to_datetime(["2025-03-05", "2025-03-02", "2025-03-03", "2025-03-04",
                                     "2025-03-01"]),
        "amount_minor": [700, 400, 250, 90, 123456],
        "reason": ["unknown_payer", "overpayment", "low_confidence", "no_open_bill",
                   "low_confidence"],
        "best_bill_id": [None, None, "B9", None, "B12"],
        "best_score": [float("nan"), float("nan"), 0.81, float("nan"), 0.77],
        "candidates": [None, None, "B9 (0.81), B8 (0.4)", None, "B12 (0.77)"],
        "payer_candidates": ["C7 (71), C8 (70)", None, None, None, None]})
    customers = pd.DataFrame({"customer_id": ["C1", "C2", "C3", "C4", "C5"],
                              "name": ["张三丰", "李四", "王五", "Ann Lee", "赵六"]})
    return {"allocations": allocations, "exceptions": exceptions}, payments, customers


def values(view) -> str:
    return view.totals.value + view.table.value


def test_reason_filter_shows_that_reasons_exceptions_with_candidates() -> None:
    r, payments, customers = recon()
    view = exceptions_browser(r, payments=payments, customers=customers, lang="zh")
    ex = r["exceptions"]
    # the list counts every reason; "all" counts every exception
    opts = dict((v, t) for t, v in view.reason.options)
    assert opts[""].endswith(f"({len(ex)})")
    for reason, n in ex["reason"].value_counts().items():
        assert opts[reason] == f"{label(reason, 'zh')} ({n})"
    assert len(view.rows_) == len(ex)
    view.reason.value = "low_confidence"
    assert sorted(view.rows_["payment_id"]) == ["P4", "P6"]
    assert "B9 (0.81), B8 (0.4)" in view.table.value and "B12 (0.77)" in view.table.value
    assert "P2" not in view.table.value
    # the totals line sums the rows shown, money formatted through the display tables
    assert format_minor(250 + 123456, "CNY", lang="zh") in view.totals.value
    view.channel.value = "card"
    assert view.rows_["payment_id"].tolist() == ["P4"]
    view.reason.value = ""
    assert sorted(view.rows_["payment_id"]) == ["P3", "P4"]


def test_rows_are_in_payment_date_order_and_the_text_filter_finds_a_candidate() -> None:
    r, payments, customers = recon()
    view = exceptions_browser(r, payments=payments, customers=customers, lang="en")
    assert view.rows_["payment_id"].tolist() == ["P6", "P3", "P4", "P5", "P2"]
    view.filter.value = "c7 ("  # a candidate payer, any case
    assert view.rows_["payment_id"].tolist() == ["P2"]
    view.filter.value = "nobody-has-this"
    assert view.rows_.empty and label("no_rows", "en") in view.table.value


def test_names_are_masked_unless_asked_and_amounts_are_money() -> None:
    r, payments, customers = recon()
    view = exceptions_browser(r, payments=payments, customers=customers, lang="zh")
    page = values(view)
    for full in ("张三丰", "欧阳无名", "李四", "王五", "赵六"):
        assert full not in page
    assert "欧***" in page or "欧阳**" in page  # the payer's name as written, masked
    assert format_minor(123456, "CNY", lang="zh") in view.table.value
    assert format_minor(90, "USD", lang="zh") in view.table.value
    plain = exceptions_browser(r, payments=payments, customers=customers, lang="zh", mask=False)
    assert "赵六" in plain.table.value


def test_pages_turn_and_a_new_filter_goes_back_to_page_one() -> None:
    r, payments, customers = recon()
    view = exceptions_browser(r, payments=payments, customers=customers, lang="en", max_rows=2)
    assert view.page.max == 3
    view.page.value = 3
    assert "P2" in view.table.value and "P6" not in view.table.value
    view.reason.value = "low_confidence"
    assert view.page.value == 1 and view.page.max == 1


def test_exceptions_browser_escapes_data() -> None:
    r, payments, _ = recon()
    r["exceptions"].loc[0, "candidates"] = "<script>alert(1)</script>"
    view = exceptions_browser(r, payments=payments, lang="en")
    assert "<script>" not in view.table.value and "&lt;script&gt;" in view.table.value


@pytest.fixture(scope="module")
def worklist():
    book = make_portfolio(300, seed=2, end=AS_OF)
    team = pd.DataFrame({"collector_id": ["K1", "K2", "K3"], "name": ["张三", "李四", "王五"],
                         "channel": ["sms", "call", "call"], "capacity": [4, 2, 2]})
    wls = {lang: collection_worklist(book, as_of=AS_OF, collectors=team, lang=lang)
           for lang in ("zh", "en")}
    return wls, book["customers"]


def test_worklist_browser_shows_one_collectors_queue_in_order_with_totals(worklist) -> None:
    wls, customers = worklist
    wl = wls["zh"]
    view = worklist_browser(wl, customers=customers, lang="zh")
    keys = [v for _, v in view.collector.options]
    assigned = wl.items[wl.items["collector_id"].notna()]
    assert set(keys) == ({""} | set(assigned["collector_id"])
                         | {f"reason:{c}" for c in wl.items.loc[wl.items["collector_id"].isna(),
                                                                 "reason_code"]})
    for cid, part in assigned.groupby("collector_id"):
        view.collector.value = cid
        queue = wl.for_collector(cid)
        assert view.rows_["customer_id"].tolist() == queue["customer_id"].tolist()
        assert view.rows_["queue_rank"].tolist() == sorted(view.rows_["queue_rank"])
        total = int(part["expected_recovery_minor"].sum())
        assert format_minor(total, "CNY", lang="zh") in view.totals.value
    view.collector.value = ""
    assert len(view.rows_) == len(wl.items)


def test_worklist_browser_lists_the_unassigned_by_why(worklist) -> None:
    wls, customers = worklist
    wl = wls["en"]
    rest = wl.items[wl.items["collector_id"].isna()]
    assert len(rest) > 0
    view = worklist_browser(wl, customers=customers, lang="en")
    code = rest["reason_code"].iloc[0]
    shown = dict((v, t) for t, v in view.collector.options)[f"reason:{code}"]
    n = int((rest["reason_code"] == code).sum())
    assert shown == f"{label(code, 'en')} · {n}"
    view.collector.value = f"reason:{code}"
    assert len(view.rows_) == n and view.rows_["customer_id"].isin(rest["customer_id"]).all()
    for full in customers["name"]:
        assert full not in view.table.value  # names masked


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_worklist_browser_names_the_risk_factor_in_the_language(worklist, lang) -> None:
    wls, customers = worklist
    wl = wls[lang]
    drivers = sorted(set(wl.items["driver"]) - {""})
    assert drivers, "the list names no risk factor to check"
    view = worklist_browser(wl, customers=customers, lang=lang, max_rows=len(wl.items))
    shown = set(view.rows_["driver"]) - {""}
    assert shown == {label(d, lang) for d in drivers}
    if lang == "zh":  # the card's variable names (dpd, months_on_book) are not shown as such
        assert not shown & set(drivers)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_controls_are_labelled_in_one_language_with_tooltips(worklist, lang) -> None:
    r, payments, customers = recon()
    team = worklist[0][lang].collectors
    views = [exceptions_browser(r, payments=payments, customers=customers, lang=lang),
             worklist_browser(worklist[0][lang], customers=worklist[1], lang=lang)]
    for view in views:
        for control in view.children:
            if hasattr(control, "description") and not isinstance(control, type(view.table)):
                assert control.description and control.tooltip  # named and explained
        texts = [t for c in view.children if c not in (view.table, view.totals)
                 for t in widget_text(c)]
        # data, not words of the view: collectors' names and ids, currencies, and the reason
        # codes the reconciliation section labels (shown as themselves until it has landed)
        data = {*team["name"], *team["collector_id"], "CNY", "USD",
                *(c for c in r["exceptions"]["reason"] if c not in LABELS)}
        for token in sorted(data, key=len, reverse=True):
            texts = [t.replace(token, "") for t in texts]
        for text in texts:
            if lang == "en":
                assert not CJK.search(text), text
            else:
                assert not set(LATIN_WORD.findall(text)) - ALLOWED_LATIN, text
        headers = re.findall(r"<th[^>]*>([^<]*)</th>", view.table.value)
        for col in ("amount_minor", "payment_id", "customer_id", "channel",
                    "expected_recovery_minor", "queue_rank"):
            if col in LABELS and any(h == label(col, lang) for h in headers):
                assert label(col, "en" if lang == "zh" else "zh") not in headers


@pytest.mark.parametrize("call", [
    lambda: exceptions_browser({"allocations": pd.DataFrame()}),
    lambda: exceptions_browser(recon()[0], max_rows=0),
    lambda: exceptions_browser(recon()[0], lang="fr"),
    lambda: worklist_browser(pd.DataFrame({"customer_id": ["A"]})),
    lambda: worklist_browser("list"),
])
def test_bad_input_is_a_creditkit_error(call) -> None:
    with pytest.raises(CreditkitError):
        call()


def test_a_customers_table_that_is_not_a_frame_is_refused() -> None:
    r, payments, _ = recon()
    with pytest.raises(ParameterError, match="customers must be a DataFrame"):
        exceptions_browser(r, payments=payments, customers=["C1"])


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_with_reconcile_every_exception_is_browsable_in_one_language(lang) -> None:
    import creditkit.collections as coll

    if not hasattr(coll, "reconcile"):  # the reconciliation lands on main beside this module
        pytest.skip("creditkit.collections.reconcile is not on this branch yet")
    book = make_portfolio(300, seed=2, end=AS_OF)
    payments = book["payments"].assign(customer_id=None)
    result = coll.reconcile(payments, book["bills"], book["customers"], as_of=AS_OF)
    view = exceptions_browser(result, payments=payments, customers=book["customers"], lang=lang)
    assert len(view.rows_) == len(result.exceptions) > 0
    total = sum(int(v) for v in result.exceptions["amount_minor"])
    assert format_minor(total, "CNY", lang=lang) in view.totals.value
    texts = [t for c in view.children if c not in (view.table, view.totals)
             for t in widget_text(c)]
    for text in texts:
        if lang == "en":
            assert not CJK.search(text), text
        else:
            assert not set(LATIN_WORD.findall(text)) - ALLOWED_LATIN, text
    for full in book["customers"]["name"]:
        assert full not in view.table.value
