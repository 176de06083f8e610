"""The collections review (催收工作复盘): what notebook 04 shows, assembled in one call.

A collections team lead reads, for one ``as_of``:

1. the **reconciliation** of every payment to the bills it pays
   (:func:`creditkit.collections.reconcile`) and the payments handed to aging
   (:func:`creditkit.collections.apply_reconciliation`);
2. the **dunning run** of the day, standing on a history of earlier runs
   replayed at a fixed cycle (:func:`dunning_history`), so the levels are those a
   team running the policy every week would have reached;
3. the **worklist** of the day per collector and channel, and **collector
   performance** (考核) over the worklists of the earlier run days;
4. **channel performance** (cash, share, days to pay, match rate, auto-debits).

:func:`collections_review` runs all four from the store's tables;
:func:`collection_team` builds a team from head counts per channel (a notebook
parameter). The first screen and the report's tables are in
:mod:`creditkit.collections.review_tables`.

Examples
--------
>>> from creditkit.datasets import make_portfolio
>>> book = make_portfolio(300, seed=7, kind="mixed", end="2025-06-30")
>>> team = collection_team({"sms": 1, "call": 2}, capacity={"sms": 200, "call": 5}, lang="en")
>>> rv = collections_review(book, as_of="2025-06-30", collectors=team, runs=2)
>>> bool(rv.reconciliation.invariants()["ok"].all()), bool(rv.worklist.invariants()["ok"].all())
(True, True)
>>> [str(d.date()) for d in rv.run_dates]
['2025-06-23', '2025-06-30']
"""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from creditkit.checks import check_as_of, check_date, check_lang
from creditkit.collections.channels import ChannelPerformance, channel_performance
from creditkit.collections.dunning import DunningRun, dunning_run
from creditkit.collections.posting import apply_reconciliation
from creditkit.collections.reconcile import Reconciliation, reconcile
from creditkit.collections.rules import load_rules
from creditkit.collections.worklist import Worklist, check_collectors, collection_worklist
from creditkit.collections.worklist_performance import collector_performance
from creditkit.collections.worklist_stages import WORKLIST_CHANNELS
from creditkit.exceptions import ParameterError
from creditkit.labels import label

__all__ = ["CollectionsReview", "collection_team", "collections_review", "dunning_history",
           "run_dates", "whole_number"]



def whole_number(value: object, name: str, *, low: int) -> int:
    """``value`` as an int, or a ParameterError naming ``name`` and the lowest value allowed.

    Examples
    --------
    >>> whole_number(3, "runs", low=1)
    3
    """
    if isinstance(value, bool) or not isinstance(value, int | np.integer) or value < low:
        raise ParameterError(f"{name} must be a whole number >= {low}; got {value!r}")
    return int(value)


def collection_team(sizes: Mapping[str, int], *, capacity: int | Mapping[str, int],
                    lang: str = "zh") -> pd.DataFrame:
    """A team of collectors from head counts per channel, named in the report language.

    Parameters
    ----------
    sizes : mapping of str to int
        Collectors per worklist channel (:data:`~creditkit.collections.WORKLIST_CHANNELS`),
        e.g. ``{"sms": 1, "call": 4}``; 0 leaves a channel without anyone.
    capacity : int or mapping of str to int
        Customers one collector takes a day: one number for everybody, or per
        channel (every channel of ``sizes`` with collectors needs one).
    lang : {"zh", "en"}
        Language of the names (``电话催收 1`` / ``Phone call 1``).

    Returns
    -------
    DataFrame
        ``collector_id`` (``CALL-01``), ``name``, ``channel``, ``capacity``, as
        :func:`~creditkit.collections.check_collectors` returns it.

    Raises
    ------
    ParameterError
        An unknown channel, a count or capacity that is not a whole number >= 0,
        a channel with collectors and no capacity, an unknown ``lang``.

    Examples
    --------
    >>> collection_team({"call": 2, "legal": 1}, capacity={"call": 40, "legal": 10},
    ...                 lang="en").values.tolist()
    [['CALL-01', 'Phone call 1', 'call', 40], ['CALL-02', 'Phone call 2', 'call', 40], \
['LEGAL-01', 'Legal or agency 1', 'legal', 10]]
    """
    lang = check_lang(lang)
    if not isinstance(sizes, Mapping) or not sizes:
        raise ParameterError(f"sizes must be a non-empty mapping of channel -> collectors, e.g. "
                             f"{{'call': 4}}; got {sizes!r:.60}")
    unknown = sorted(str(c) for c in sizes if c not in WORKLIST_CHANNELS)
    if unknown:
        raise ParameterError(f"unknown worklist channel(s) {unknown}; use some of "
                             f"{list(WORKLIST_CHANNELS)}")
    if isinstance(capacity, Mapping):
        extra = sorted(str(c) for c in capacity if c not in WORKLIST_CHANNELS)
        if extra:
            raise ParameterError(f"capacity names unknown channel(s) {extra}; use some of "
                                 f"{list(WORKLIST_CHANNELS)}")
    rows = []
    for chan in WORKLIST_CHANNELS:  # a stable order, whatever the mapping's
        n = whole_number(sizes.get(chan, 0), f"sizes[{chan!r}]", low=0)
        if not n:
            continue
        if isinstance(capacity, Mapping):
            if chan not in capacity:
                raise ParameterError(f"capacity gives no number for channel {chan!r}, which has "
                                     f"{n} collector(s); add {chan!r}: <customers a day>")
            cap = whole_number(capacity[chan], f"capacity[{chan!r}]", low=0)
        else:
            cap = whole_number(capacity, "capacity", low=0)
        rows += [(f"{chan.upper()}-{i:02d}", f"{label(chan, lang)} {i}", chan, cap)
                 for i in range(1, n + 1)]
    if not rows:
        raise ParameterError("sizes gives every channel 0 collectors; give at least one "
                             "collector, e.g. {'call': 1}")
    return check_collectors(pd.DataFrame(rows, columns=["collector_id", "name", "channel",
                                                        "capacity"]))


def run_dates(as_of: object, *, runs: int, every_days: int) -> list[pd.Timestamp]:
    """The dates of ``runs`` runs ``every_days`` apart, the last on ``as_of``, oldest first.

    Examples
    --------
    >>> [str(d.date()) for d in run_dates("2025-06-30", runs=3, every_days=7)]
    ['2025-06-16', '2025-06-23', '2025-06-30']
    """
    day = check_as_of(as_of)
    runs = whole_number(runs, "runs", low=1)
    every = whole_number(every_days, "every_days", low=1)
    return [day - pd.Timedelta(days=every * k) for k in range(runs - 1, -1, -1)]


def dunning_history(
    bills: pd.DataFrame,
    payments: pd.DataFrame,
    customers: pd.DataFrame,
    *,
    dates: Sequence[object],
    policy: str | os.PathLike[str] | pd.DataFrame | None = None,
    history: pd.DataFrame | None = None,
    promises: pd.DataFrame | None = None,
    disputes: pd.DataFrame | None = None,
    mode: str = "fifo",
) -> DunningRun:
    """Replay the dunning policy at each date in order; the run of the last date.

    Each run reads the history the earlier ones wrote (one level per run, as
    :func:`~creditkit.collections.dunning_run`), so the last run's levels are
    those a team running the policy on these dates would have reached, and
    its ``history`` holds every run.

    Parameters
    ----------
    bills, payments, customers : DataFrame
        As :func:`~creditkit.collections.dunning_run` (payments reconciled).
    dates : sequence of date-like
        The run dates, strictly increasing (:func:`run_dates` makes a cycle).
    policy, history, promises, disputes, mode
        As :func:`~creditkit.collections.dunning_run`; ``history`` holds runs
        before the first date.

    Returns
    -------
    DunningRun
        The run at the last date.

    Raises
    ------
    ParameterError
        No dates, dates not increasing or not dates; what ``dunning_run`` raises.

    Examples
    --------
    >>> from creditkit.datasets import example_portfolio
    >>> t = example_portfolio()
    >>> run = dunning_history(t["bills"], t["payments"], t["customers"],
    ...                       dates=["2025-03-01", "2025-03-10"])
    >>> sorted(run.history["run_date"].dt.strftime("%m-%d").unique())
    ['03-01', '03-10']
    """
    if isinstance(dates, str) or not isinstance(dates, Sequence) or not len(dates):
        raise ParameterError(f"dates must be a non-empty list of run dates, oldest first; got "
                             f"{dates!r:.60}")
    days = [check_date(d, "dates") for d in dates]
    back = [i for i in range(1, len(days)) if days[i] <= days[i - 1]]
    if back:
        i = back[0]
        raise ParameterError(f"dates must increase: {days[i].date()} (position {i}) is not after "
                             f"{days[i - 1].date()}; sort them and drop repeats")
    run = None
    for day in days:
        run = dunning_run(bills, payments, customers, as_of=day, policy=policy, history=history,
                          promises=promises, disputes=disputes, mode=mode)
        history = run.history
    return run


@dataclass(frozen=True)
class CollectionsReview:
    """Result of :func:`collections_review`.

    Attributes
    ----------
    as_of : Timestamp
    currency : str
        The currency of the worklist, performance and headline.
    run_dates : list of Timestamp
        The run days replayed (dunning and worklists), the last = ``as_of``.
    reconciliation : Reconciliation
    payments : DataFrame
        The payments reconciled (:func:`apply_reconciliation`): what aging,
        dunning and the worklist read.
    dunning : DunningRun
        The run at ``as_of``; its ``history`` holds the runs of ``run_dates``.
    worklist : Worklist
        Today's list.
    assignments : DataFrame
        The assignments of the worklists of the run days before ``as_of``
        (:meth:`Worklist.assignments`, stacked).
    performance : DataFrame
        :func:`collector_performance` of those assignments up to ``as_of``.
    channels : ChannelPerformance
    """

    as_of: pd.Timestamp
    currency: str
    run_dates: list
    reconciliation: Reconciliation
    payments: pd.DataFrame
    dunning: DunningRun
    worklist: Worklist
    assignments: pd.DataFrame
    performance: pd.DataFrame
    channels: ChannelPerformance


def collections_review(
    tables: Mapping[str, pd.DataFrame],
    *,
    as_of: object,
    collectors: pd.DataFrame,
    capacity: int | Mapping[str, int] | None = None,
    policy: str | os.PathLike[str] | pd.DataFrame | None = None,
    rules: object = None,
    auto_apply_level: float | None = None,
    runs: int = 4,
    every_days: int = 7,
    window_days: int = 30,
    currency: str = "CNY",
    by: str = "month",
    lang: str = "zh",
) -> CollectionsReview:
    """Reconciliation, dunning, worklist and channel performance at ``as_of``, in one call.

    Parameters
    ----------
    tables : dict of DataFrame
        ``customers``, ``bills``, ``payments`` (as written by the generator or
        the store: payments not yet reconciled), ``transactions`` optional.
    as_of : date-like
    collectors : DataFrame
        The team (:func:`collection_team` or a table for
        :func:`~creditkit.collections.check_collectors`).
    capacity : int or dict, optional
        Overrides the team's capacity (customers a day), as in
        :func:`~creditkit.collections.collection_worklist`.
    policy : path, DataFrame or None
        The dunning policy (``None``: the shipped file).
    rules : path, mapping, ReconcileRules or None
        The reconciliation rules (``None``: the shipped file).
    auto_apply_level : float, optional
        Overrides the rules' auto-apply level (0-1).
    runs, every_days : int
        Run days replayed: ``runs`` days ``every_days`` apart, the last on
        ``as_of`` (:func:`run_dates`). The dunning history and the worklists
        of the earlier days, whose results collector performance measures,
        come from them.
    window_days : int
        A payment counts for the collector who had the customer within this many days.
    currency : str
        The currency of the worklist (one list per currency).
    by : str
        Period of channel performance (``"month"``...).
    lang : {"zh", "en"}
        Language of the worklist's reasons.

    Returns
    -------
    CollectionsReview

    Raises
    ------
    ParameterError, SchemaError
        What the steps raise (bad tables, policy naming its line, rules,
        team), bad ``runs`` or ``every_days``.

    Examples
    --------
    See the module docstring.
    """
    day = check_as_of(as_of)
    lang = check_lang(lang)
    if not isinstance(tables, Mapping) or any(k not in tables for k in
                                              ("customers", "bills", "payments")):
        raise ParameterError("tables must be a dict with customers, bills and payments (as "
                             "load_or_make returns); pass tables=load_or_make(store_path)")
    dates = run_dates(day, runs=runs, every_days=every_days)
    rules = load_rules(rules)
    if auto_apply_level is not None:
        rules = load_rules({**{k: getattr(rules, k) for k in rules.__dataclass_fields__},
                            "auto_apply_level": auto_apply_level})
    customers, bills, payments = tables["customers"], tables["bills"], tables["payments"]
    rec = reconcile(payments, bills, customers, as_of=day, rules=rules)
    paid = apply_reconciliation(payments, rec)
    run = dunning_history(bills, paid, customers, dates=dates, policy=policy)
    book = {**tables, "payments": paid}
    lists = [collection_worklist(book, as_of=d, collectors=collectors, capacity=capacity,
                                 currency=currency, lang=lang) for d in dates]
    past = [wl.assignments() for wl in lists[:-1]]
    asg = pd.concat(past, ignore_index=True) if past else lists[-1].assignments().iloc[:0]
    perf = collector_performance(asg, paid, start=dates[0], end=day,
                                 window_days=whole_number(window_days, "window_days", low=1))
    chan = channel_performance(payments, bills, as_of=day, by=by, reconciliation=rec)
    return CollectionsReview(as_of=day, currency=str(currency).strip().upper(), run_dates=dates,
                             reconciliation=rec, payments=paid, dunning=run, worklist=lists[-1],
                             assignments=asg, performance=perf, channels=chan)
