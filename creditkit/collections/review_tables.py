"""The collections review for a report: its first screen and its tables (notebook 04).

:func:`review_headline` gives the first-screen figures of a
:class:`~creditkit.collections.review.CollectionsReview`; the other functions turn its
parts into the tables a report shows: the day's reminders masked, the customer
addressed by id in the message (:func:`dunning_report_table`), the latest runs
(:func:`history_summary`), the worklist with its reasons
(:func:`worklist_report_table`), each collector today beside their results
(:func:`collectors_report_table`).

Examples
--------
>>> from creditkit.datasets import example_portfolio
>>> from creditkit.collections import dunning_run
>>> t = example_portfolio()
>>> run = dunning_run(t["bills"], t["payments"], t["customers"], as_of="2025-03-10")
>>> list(history_summary(run, lang="en")["channel"])
['SMS + E-mail']
"""

from __future__ import annotations

import pandas as pd

from creditkit.checks import check_instance, check_lang
from creditkit.collections.dunning import DunningRun
from creditkit.collections.dunning_policy import render_messages
from creditkit.collections.dunning_result import channel_words
from creditkit.collections.review import CollectionsReview, whole_number
from creditkit.collections.worklist import Worklist

__all__ = ["WORKLIST_REPORT_COLUMNS", "collectors_report_table", "dunning_report_table",
           "history_summary", "review_headline", "worklist_report_table"]

#: Columns of a worklist row in a report, in order.
WORKLIST_REPORT_COLUMNS = ("collector_name", "queue_rank", "customer_id", "channel", "worst_dpd",
                           "past_due_minor", "currency", "p_cure", "expected_recovery_minor",
                           "reason")


def review_headline(review: CollectionsReview) -> dict[str, object]:
    """The first-screen figures of the collections review, for :func:`creditkit.display.headline`.

    In the review's currency: the share of the amount paid applied
    automatically, the exceptions left (count and amount), customers reminded
    today, customers whose credit a dunning level has stopped, the past due on
    today's list, the expected recovery of what was assigned today, and the
    collectors' recovery rate over the run days.

    Parameters
    ----------
    review : CollectionsReview

    Returns
    -------
    dict
        Label key → value, in reading order (money in minor units).

    Raises
    ------
    ParameterError
        Not a :class:`CollectionsReview`.

    Examples
    --------
    >>> from creditkit.datasets import make_portfolio
    >>> from creditkit.collections.review import collection_team, collections_review
    >>> book = make_portfolio(300, seed=7, kind="mixed", end="2025-06-30")
    >>> team = collection_team({"call": 2}, capacity=5)
    >>> h = review_headline(collections_review(book, as_of="2025-06-30", collectors=team, runs=2))
    >>> list(h)[:3], 0 <= h["applied_share"] <= 1
    (['applied_share', 'n_exceptions', 'exception_minor'], True)
    """
    check_instance(review, CollectionsReview, "review_headline", "collections_review(...)'s result")
    cur = review.currency

    def in_currency(frame: pd.DataFrame) -> pd.DataFrame:
        return frame[frame["currency"].astype(str).str.upper() == cur] if len(frame) else frame

    def total(frame: pd.DataFrame, col: str = "amount_minor") -> int:
        part = in_currency(frame)
        return sum(int(v) for v in part[col]) if len(part) else 0

    rec = review.reconciliation
    paid = total(rec.by_payment)
    ex_cur = in_currency(rec.exceptions)
    st_cur = in_currency(review.dunning.status)
    items = review.worklist.items
    assigned = items[items["collector_id"].notna()]
    perf = in_currency(review.performance)
    got, due = (total(perf, "recovered_minor"), total(perf, "assigned_minor"))
    return {
        "applied_share": total(rec.allocations) / paid if paid else None,
        "n_exceptions": len(ex_cur),
        "exception_minor": total(ex_cur),
        "reminders_sent": int((st_cur["event"] == "sent").sum()),
        "credit_stopped_customers": int(st_cur["credit_stopped"].fillna(False).astype(bool).sum()),
        "worklist_past_due_minor": total(items, "past_due_minor"),
        "assigned_recovery_minor": total(assigned, "expected_recovery_minor"),
        "recovery_rate": got / due if due else None,
    }


def dunning_report_table(run: DunningRun, *, lang: str = "zh", rows: int | None = None
                         ) -> pd.DataFrame:
    """The day's reminders for a report: masked names, messages addressing the customer by id.

    :meth:`DunningRun.table` with the message filled with the customer id in
    place of the name (a report holds no personal data in free text; the
    masked name sits in its own column), by level, largest amount first
    within a level; the bills are named in the message, not in a column.

    Parameters
    ----------
    run : DunningRun
    lang : {"zh", "en"}
    rows : int, optional
        Keep the first ``rows`` of each level (the largest amounts).

    Returns
    -------
    DataFrame
        The columns of :meth:`DunningRun.table` but ``bill_ids``.

    Raises
    ------
    ParameterError
        Not a DunningRun, unknown ``lang``, ``rows`` not a whole number >= 1.

    Examples
    --------
    >>> from creditkit.collections import dunning_run
    >>> from creditkit.datasets import example_portfolio
    >>> t = example_portfolio()
    >>> run = dunning_run(t["bills"], t["payments"], t["customers"], as_of="2025-03-10")
    >>> tab = dunning_report_table(run, lang="en", rows=1)
    >>> tab["customer_id"].tolist(), tab["dunning_message"].iloc[0][:11]
    (['C2'], 'Dear C2, CN')
    """
    check_instance(run, DunningRun, "dunning_report_table", "a DunningRun (dunning_run(...))")
    lang = check_lang(lang)
    out = run.table(lang=lang, mask=True)
    a = run.actions.reset_index(drop=True)
    if len(a):
        out["dunning_message"] = render_messages(a.assign(name=a["customer_id"].astype(str)),
                                                 run.policy, lang, run.as_of).to_numpy()
    out = out.drop(columns="bill_ids").sort_values(
        ["level", "amount_minor", "customer_id"], ascending=[True, False, True], kind="stable")
    if rows is not None:
        out = out.groupby("level", sort=False).head(whole_number(rows, "rows", low=1))
    return out.reset_index(drop=True)


def history_summary(run: DunningRun, *, lang: str = "zh") -> pd.DataFrame:
    """Customers and amounts reminded at each run of a dunning history, per level.

    Parameters
    ----------
    run : DunningRun
        A run whose ``history`` holds the runs to show (:func:`dunning_history`).
    lang : {"zh", "en"}
        Language of ``channel`` (``短信 + 电子邮件``).

    Returns
    -------
    DataFrame
        ``run_date``, ``level``, ``channel`` (in words), ``currency``,
        ``customers`` (reminded at that level), ``amount_minor``; runs in
        order, then levels. Customers whose sequence stopped are not counted.

    Raises
    ------
    ParameterError
        Not a DunningRun, unknown ``lang``.

    Examples
    --------
    >>> from creditkit.datasets import example_portfolio
    >>> t = example_portfolio()
    >>> from creditkit.collections.review import dunning_history
    >>> run = dunning_history(t["bills"], t["payments"], t["customers"],
    ...                       dates=["2025-03-01", "2025-03-10"])
    >>> history_summary(run)[["level", "customers", "amount_minor"]].values.tolist()
    [[2, 1, 50000], [3, 1, 6000], [3, 1, 45000], [4, 1, 6000]]
    """
    check_instance(run, DunningRun, "history_summary", "a DunningRun (dunning_history(...))")
    lang = check_lang(lang)
    h = run.history
    h = h[h["event"] == "sent"]
    out = (h.groupby(["run_date", "level", "channel", "currency"], as_index=False)
           .agg(customers=("customer_id", "size"), amount_minor=("amount_minor", "sum")))
    out["amount_minor"] = out["amount_minor"].astype("int64")
    out["channel"] = [channel_words(c, lang) for c in out["channel"]]
    return out.sort_values(["run_date", "currency", "level"], kind="stable").reset_index(drop=True)


def worklist_report_table(worklist: Worklist, *, rows: int | None = None) -> pd.DataFrame:
    """A worklist for a report: by channel, collector and queue position, with the reason.

    Parameters
    ----------
    worklist : Worklist
        :func:`~creditkit.collections.collection_worklist`'s result (its
        ``reason`` is in the language it was built in).
    rows : int, optional
        Keep the first ``rows`` of each channel (the top of each queue and the
        first unassigned).

    Returns
    -------
    DataFrame
        :data:`WORKLIST_REPORT_COLUMNS` (no names: customers by id).

    Raises
    ------
    ParameterError
        Not a Worklist, ``rows`` not a whole number >= 1.

    Examples
    --------
    >>> from creditkit.datasets import make_portfolio
    >>> from creditkit.collections.review import collection_team
    >>> from creditkit.collections import collection_worklist
    >>> team = collection_team({"call": 1, "sms": 1}, capacity=3, lang="en")
    >>> wl = collection_worklist(make_portfolio(300, seed=2, end="2025-06-30"),
    ...                          as_of="2025-06-30", collectors=team, lang="en")
    >>> tab = worklist_report_table(wl, rows=2)
    >>> bool(tab.groupby("channel").size().max() <= 2), list(tab.columns[:3])
    (True, ['collector_name', 'queue_rank', 'customer_id'])
    """
    check_instance(worklist, Worklist, "worklist_report_table",
                   "a Worklist (collection_worklist(...))")
    items = worklist.items
    if rows is not None:
        items = items.groupby("channel", sort=False).head(whole_number(rows, "rows", low=1))
    return items[list(WORKLIST_REPORT_COLUMNS)].reset_index(drop=True)


def collectors_report_table(review: CollectionsReview) -> pd.DataFrame:
    """Each collector today beside their results over the run days, for a report.

    Parameters
    ----------
    review : CollectionsReview

    Returns
    -------
    DataFrame
        ``collector_id``, ``collector_name``, ``channel``, ``capacity``,
        ``assigned`` (customers today), ``past_due_minor``,
        ``expected_recovery_minor`` (today), then from the performance over
        the earlier run days ``customers_assigned``, ``assigned_minor``,
        ``recovered_minor``, ``recovery_rate``, ``customers_paid`` (0 and
        missing rate when the collector had nobody), ``currency``.

    Raises
    ------
    ParameterError
        Not a :class:`CollectionsReview`.

    Examples
    --------
    >>> from creditkit.datasets import make_portfolio
    >>> from creditkit.collections.review import collection_team, collections_review
    >>> book = make_portfolio(300, seed=7, kind="mixed", end="2025-06-30")
    >>> team = collection_team({"call": 2}, capacity=5, lang="en")
    >>> rv = collections_review(book, as_of="2025-06-30", collectors=team, runs=2)
    >>> collectors_report_table(rv)[["collector_id", "collector_name"]].values.tolist()
    [['CALL-01', 'Phone call 1'], ['CALL-02', 'Phone call 2']]
    """
    check_instance(review, CollectionsReview, "collectors_report_table",
                   "collections_review(...)'s result")
    today = review.worklist.collectors.rename(columns={"name": "collector_name"})
    today = today.drop(columns="currency").assign(currency=review.currency)
    cols = ["collector_id", "currency", "customers_assigned", "assigned_minor",
            "recovered_minor", "customers_paid"]
    perf = review.performance
    perf = perf[perf["collector_id"].notna()][cols] if len(perf) else pd.DataFrame(columns=cols)
    out = today.merge(perf, on=["collector_id", "currency"], how="left")
    for c in cols[2:]:
        out[c] = out[c].fillna(0).astype("int64")
    rate = out["recovered_minor"] / out["assigned_minor"].where(out["assigned_minor"] > 0)
    out.insert(out.columns.get_loc("recovered_minor") + 1, "recovery_rate", rate.astype("float64"))
    return out[[c for c in out.columns if c != "currency"] + ["currency"]]
