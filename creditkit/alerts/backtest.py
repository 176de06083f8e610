"""Backtest of early-warning rules (预警回测): would they have warned, and how early?

:func:`backtest_alerts` replays the rules at past dates. At each date the
features are those known then (:func:`creditkit.alerts.alert_features` at
that date: bills issued, payments and transactions dated up to it; the
score drop against the previous backtest date), and the outcome is what
happened next, within ``horizon_days``:

- **outcome** (default ``"dpd30_or_write_off"``): the customer reaches
  ``dpd >= 30`` or has a balance written off. The day dpd 30 is reached is
  found from :func:`creditkit.aging.aging_at_dates` on a grid of dates
  ``check_days`` apart: a customer ``k`` days past due on a grid date
  reached 30 on that date minus ``k - 30`` (the oldest open bill was open
  since its due date). A spell that starts and ends between two grid dates
  is not seen; a write-off counts on its date.
- **population** at a date: customers on file then and not already in the
  outcome (dpd below the threshold; no write-off, when write-offs count).
- **precision**: of the (customer, date) pairs alerted, the share followed
  by the outcome within the horizon. **recall**: of the events (customer,
  day of the outcome) that happened within the horizon of some date, the
  share that was alerted at one of those dates. **lead time**: per event
  warned of, days from the earliest alerting date before it to the event;
  median and quartiles. **alerts per 1,000**: alerted pairs per 1,000
  customers of the population (the mean over the dates); **new per 1,000**
  counts only alerts not holding at the previous date (from the second date).

Per rule and for the set (``rule_id`` = ``"all"``: any rule holds).
:meth:`AlertBacktest.sweep` moves one threshold of one rule and gives the
volume-versus-recall curve from the same replay.

Examples
--------
>>> rules = [{"id": "late", "when": [["dpd", ">=", 1]], "severity": "low",
...           "description_zh": "逾期", "description_en": "Past due",
...           "action_zh": "提醒", "action_en": "Remind"}]
>>> from creditkit.datasets import make_portfolio
>>> book = make_portfolio(200, seed=5, end="2025-06-30")
>>> bt = backtest_alerts(book, rules, dates=["2025-01-31", "2025-02-28"])
>>> bt.table["rule_id"].tolist()
['late', 'all']
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from creditkit.aging import aging_at_dates
from creditkit.alerts.features import alert_features
from creditkit.alerts.rules import load_alert_rules
from creditkit.behaviour import behaviour_features_at_dates
from creditkit.checks import check_date, check_lang
from creditkit.exceptions import ParameterError
from creditkit.labels import label
from creditkit.rules import RuleSet, rule_masks
from creditkit.segmentation import HISTORY_WINDOWS

__all__ = ["BACKTEST_COLUMNS", "AlertBacktest", "backtest_alerts"]

#: The columns of :attr:`AlertBacktest.table`.
BACKTEST_COLUMNS: tuple[str, ...] = (
    "rule_id", "severity", "population", "n_alerts", "hits", "precision", "n_events",
    "n_caught", "recall", "lead_days_median", "lead_days_q1", "lead_days_q3", "alerts_per_1000",
    "new_per_1000")

_OUTCOME = re.compile(r"^(?:dpd(\d+))?(?:_or_)?(write_off)?$")


def _outcome(outcome: object) -> tuple[int | None, bool]:
    m = _OUTCOME.match(outcome) if isinstance(outcome, str) else None
    if not outcome or m is None or (m.group(1) is None and m.group(2) is None) or (
            m.group(1) and m.group(2) and "_or_" not in outcome):
        raise ParameterError(f"outcome must be 'dpdN_or_write_off', 'dpdN' or 'write_off' "
                             f"(N days past due, e.g. 'dpd30_or_write_off'); got {outcome!r}")
    dpd = int(m.group(1)) if m.group(1) else None
    if dpd is not None and dpd < 1:
        raise ParameterError(f"outcome {outcome!r}: the dpd must be 1 or more")
    return dpd, m.group(2) is not None


def _positive_int(value: object, name: str, example: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int | np.integer) or value < 1:
        raise ParameterError(f"{name} must be a whole number of days, 1 or more; got "
                             f"{value!r}; e.g. {example}")
    return int(value)


def _data_end(tables: Mapping[str, pd.DataFrame]) -> pd.Timestamp:
    ends = [pd.to_datetime(tables["bills"]["issue_date"]).max(),
            pd.to_datetime(tables["payments"]["paid_date"]).max()]
    if tables.get("transactions") is not None and len(tables["transactions"]):
        ends.append(pd.to_datetime(tables["transactions"]["txn_date"]).max())
    ends = [e for e in ends if pd.notna(e)]
    return max(ends) if ends else pd.Timestamp.min


def _events(tables: Mapping[str, pd.DataFrame], first: pd.Timestamp, last: pd.Timestamp,
            bad_dpd: int | None, write_off: bool, check_days: int) -> pd.DataFrame:
    """(customer_id, day) of every outcome event in (first, last]: dpd reached, write-off."""
    parts = []
    if bad_dpd is not None:
        grid = list(pd.date_range(first + pd.Timedelta(days=check_days), last,
                                  freq=f"{check_days}D"))
        if not grid or grid[-1] != last:
            grid.append(last)
        hist = aging_at_dates(tables["bills"], tables["payments"], dates=grid)
        late = hist[hist["worst_dpd"].to_numpy() >= bad_dpd]
        day = pd.to_datetime(late["as_of"]) - pd.to_timedelta(
            late["worst_dpd"].to_numpy() - bad_dpd, unit="D")
        parts.append(pd.DataFrame({"customer_id": late["customer_id"].astype(str).to_numpy(),
                                   "day": day.to_numpy(dtype="M8[ns]")}))
    if write_off and "kind" in tables["payments"].columns:
        p = tables["payments"]
        wo = p[(p["kind"] == "write_off").to_numpy() & p["customer_id"].notna().to_numpy()]
        parts.append(pd.DataFrame({"customer_id": wo["customer_id"].astype(str).to_numpy(),
                                   "day": pd.to_datetime(wo["paid_date"]).to_numpy()}))
    if not parts:
        return pd.DataFrame({"customer_id": pd.Series([], dtype=object),
                             "day": pd.Series([], dtype="M8[ns]")})
    ev = pd.concat(parts, ignore_index=True).drop_duplicates()
    ev = ev[(ev["day"] > first) & (ev["day"] <= last)]
    return ev.sort_values(["customer_id", "day"], kind="stable").reset_index(drop=True)


def _next_event(ids: np.ndarray, day: pd.Timestamp, horizon: int,
                events: pd.DataFrame) -> np.ndarray:
    """The first event day in (day, day + horizon] of each customer (NaT when none)."""
    inside = (events["day"] > day) & (events["day"] <= day + pd.Timedelta(days=horizon))
    first = events[inside].groupby("customer_id")["day"].min()
    return first.reindex(ids).to_numpy(dtype="M8[ns]")


def _quantiles(lead: np.ndarray) -> tuple[float, float, float]:
    if not len(lead):
        return (np.nan, np.nan, np.nan)
    q = np.percentile(lead, [50, 25, 75])
    return (float(q[0]), float(q[1]), float(q[2]))


@dataclass(frozen=True)
class AlertBacktest:
    """The replay of a rule set at past dates (see the module), from :func:`backtest_alerts`.

    Attributes
    ----------
    table : DataFrame
        One row per rule, then ``"all"`` (any rule): columns :data:`BACKTEST_COLUMNS`.
    by_date : DataFrame
        ``as_of``, ``population``, ``n_alerts`` (any rule), ``positives``
        (customers with the outcome in the horizon).
    pairs : DataFrame
        One row per (customer, date) of the population: ``customer_id``,
        ``as_of``, ``event_day`` (NaT when nothing happened) and one boolean
        column per rule.
    rules : RuleSet
    features : dict of Timestamp to DataFrame
        The features each date saw (every customer on file).
    in_population : dict of Timestamp to ndarray
        Per date, which rows of its features are in the population.
    horizon_days : int

    Examples
    --------
    >>> from creditkit.datasets import make_portfolio
    >>> bt = backtest_alerts(make_portfolio(100, seed=5, end="2025-06-30"),
    ...                      dates=["2025-01-31", "2025-02-28"])
    >>> total = int(bt.by_date["population"].sum())
    >>> sorted(bt.features) == list(bt.by_date["as_of"]), total == len(bt.pairs)
    (True, True)
    """

    table: pd.DataFrame
    by_date: pd.DataFrame
    pairs: pd.DataFrame
    rules: RuleSet
    features: dict
    in_population: dict
    horizon_days: int

    def report(self, lang: str = "zh") -> pd.DataFrame:
        """The table for a reader: each rule by its description in ``lang``, the set last.

        Returns
        -------
        DataFrame
            ``rule_id``, ``description`` (``lang``; the set reads 全部规则 /
            All rules), ``severity``, then the measures of :attr:`table`.

        Examples
        --------
        >>> from creditkit.datasets import make_portfolio
        >>> bt = backtest_alerts(make_portfolio(100, seed=5, end="2025-06-30"),
        ...                      dates=["2025-02-28"])
        >>> bt.report("en")["description"].iloc[-1]
        'All rules'
        """
        lang = check_lang(lang)
        desc = {r.id: r.outputs[f"description_{lang}"] for r in self.rules.rules}
        out = self.table.copy()
        out.insert(1, "description", [desc.get(r, label("alert_rule_set", lang))
                                      for r in out["rule_id"]])
        return out

    def with_rules(self, rules: Any) -> AlertBacktest:
        """The same replay (dates, features, outcomes) measured for other rules.

        Baselines and variants are compared on exactly the same customers,
        dates and events, without rebuilding the features.

        Parameters
        ----------
        rules : path, DataFrame, list, RuleSet
            Alert rules; every field they read must be a feature column.

        Returns
        -------
        AlertBacktest

        Examples
        --------
        >>> from creditkit.datasets import make_portfolio
        >>> bt = backtest_alerts(make_portfolio(100, seed=5, end="2025-06-30"),
        ...                      dates=["2025-02-28"])
        >>> late = [{"id": "late", "when": [["dpd", ">=", 1]], "severity": "low",
        ...          "description_zh": "逾期", "description_en": "Past due",
        ...          "action_zh": "提醒", "action_en": "Remind"}]
        >>> other = bt.with_rules(late)
        >>> other.table["rule_id"].tolist(), bool((other.pairs["event_day"].equals(
        ...     bt.pairs["event_day"])))
        (['late', 'all'], True)
        """
        rs = load_alert_rules(rules)
        days = sorted(self.features)
        masks = [rule_masks(self.features[d], rs)[self.in_population[d]] for d in days]
        mask = np.concatenate(masks) if masks else np.zeros((0, len(rs.rules)), dtype=bool)
        return _assemble(self.pairs, mask, rs, self.features, self.in_population,
                         self.horizon_days)

    def sweep(self, rule_id: str, values: Sequence[float], *, condition: int = 0) -> pd.DataFrame:
        """Move one threshold of one rule: alert volume, precision, recall and lead per value.

        Parameters
        ----------
        rule_id : str
        values : sequence of numbers
            Thresholds to try for the rule's condition.
        condition : int, default 0
            Which condition of the rule (0 = its first).

        Returns
        -------
        DataFrame
            ``sweep_value``, ``n_alerts``, ``alerts_per_1000``, ``precision``,
            ``recall``, ``lead_days_median``: the volume-versus-recall curve.

        Raises
        ------
        ParameterError
            Unknown rule, a condition it lacks, or a condition that does not
            take a number.

        Examples
        --------
        >>> from creditkit.datasets import make_portfolio
        >>> bt = backtest_alerts(make_portfolio(100, seed=5, end="2025-06-30"),
        ...                      dates=["2025-02-28"])
        >>> curve = bt.sweep("dpd_15", [1, 15, 29])
        >>> bool(curve["n_alerts"].is_monotonic_decreasing)
        True
        """
        ids = [r.id for r in self.rules.rules]
        if rule_id not in ids:
            raise ParameterError(f"no rule {rule_id!r} in the backtest; rules are {ids}")
        rule = self.rules.rules[ids.index(rule_id)]
        if not isinstance(condition, int) or not 0 <= condition < len(rule.conditions):
            raise ParameterError(f"rule {rule_id!r} has {len(rule.conditions)} condition(s); "
                                 f"condition must be 0 to {len(rule.conditions) - 1}")
        cond = rule.conditions[condition]
        if cond.op not in (">=", ">", "<=", "<"):
            raise ParameterError(f"condition {cond.text()!r} of rule {rule_id!r} is not a "
                                 "threshold (>=, >, <=, <); sweep a rule whose condition is")
        vals = list(values)
        if not vals or any(isinstance(v, bool) or not isinstance(v, int | float | np.number)
                           for v in vals):
            raise ParameterError(f"values must be a non-empty list of numbers; got {values!r}")
        pop = self.pairs
        rows = []
        for v in vals:
            conds = list(rule.conditions)
            conds[condition] = dataclasses.replace(cond, value=v)
            one = dataclasses.replace(self.rules, rules=(dataclasses.replace(
                rule, conditions=tuple(conds)),))
            mask = np.concatenate([rule_masks(self.features[d], one)[:, 0][
                self.in_population[d]] for d in sorted(self.features)])
            m = _metrics(mask, pop, None)
            rows.append({"sweep_value": v, "n_alerts": m["n_alerts"],
                         "alerts_per_1000": m["alerts_per_1000"], "precision": m["precision"],
                         "recall": m["recall"], "lead_days_median": m["lead_days_median"]})
        return pd.DataFrame(rows)


def _metrics(alerted: np.ndarray, pairs: pd.DataFrame, new: np.ndarray | None) -> dict:
    """Precision, recall, lead time and volume of one alert mask over the pairs."""
    event = pairs["event_day"].to_numpy(dtype="M8[ns]")
    positive = ~np.isnat(event)
    n_alerts = int(alerted.sum())
    hits = alerted & positive
    events = pairs.loc[positive, ["customer_id", "event_day"]].drop_duplicates()
    caught = pairs.loc[hits, ["customer_id", "event_day", "as_of"]]
    lead = (caught["event_day"] - caught["as_of"]).dt.days
    per_event = lead.groupby([caught["customer_id"], caught["event_day"]]).max()
    q = _quantiles(per_event.to_numpy(dtype=np.float64))
    pop_by_date = pairs.groupby("as_of").size()
    alerts_by_date = pd.Series(alerted).groupby(pairs["as_of"].to_numpy()).sum()
    out = {"population": len(pairs), "n_alerts": n_alerts, "hits": int(hits.sum()),
           "precision": hits.sum() / n_alerts if n_alerts else np.nan,
           "n_events": len(events), "n_caught": len(per_event),
           "recall": len(per_event) / len(events) if len(events) else np.nan,
           "lead_days_median": q[0], "lead_days_q1": q[1], "lead_days_q3": q[2],
           "alerts_per_1000": float((alerts_by_date / pop_by_date).mean() * 1000)
           if len(pairs) else np.nan}
    if new is not None:
        later = pairs["as_of"].to_numpy() > pairs["as_of"].min()
        out["new_per_1000"] = float(new[later].sum() / later.sum() * 1000) if later.any() \
            else np.nan
    return out


def backtest_alerts(tables: Mapping[str, pd.DataFrame], rules: Any = None, *,
                    dates: Sequence[object], outcome: str = "dpd30_or_write_off",
                    horizon_days: int = 90, check_days: int = 7,
                    cards: Mapping | None = None) -> AlertBacktest:
    """Replay alert rules at past dates with what was known then; measure what happened next.

    Parameters
    ----------
    tables : dict of str to DataFrame
        The canonical tables (as :func:`creditkit.alerts.evaluate_alerts`),
        covering the dates and their horizons.
    rules : path, DataFrame, list, RuleSet or None
        Alert rules (default: the shipped ``alert_rules.yaml``).
    dates : sequence of date-like
        The evaluation dates (e.g. month ends), each at least
        ``horizon_days`` before the end of the data.
    outcome : str, default "dpd30_or_write_off"
        ``"dpdN_or_write_off"``, ``"dpdN"`` or ``"write_off"``.
    horizon_days : int, default 90
        How long after a date its outcome is watched.
    check_days : int, default 7
        Spacing of the aging grid on which the day dpd N is reached is read.
    cards : dict, optional
        Behaviour cards (default: the shipped ones).

    Returns
    -------
    AlertBacktest
        ``table`` per rule and for the set, ``by_date``, ``pairs``, ``sweep``.

    Raises
    ------
    ParameterError
        No dates, a bad date, outcome, horizon or check spacing; a date whose
        horizon ends after the data; a wrong rule.
    SchemaError
        A table or column is missing.

    Examples
    --------
    >>> from creditkit.datasets import make_portfolio
    >>> book = make_portfolio(100, seed=5, end="2025-06-30")
    >>> bt = backtest_alerts(book, dates=["2025-01-31", "2025-02-28"], horizon_days=60)
    >>> bt.table.columns[:4].tolist(), bt.by_date["as_of"].dt.strftime("%m-%d").tolist()
    (['rule_id', 'severity', 'population', 'n_alerts'], ['01-31', '02-28'])
    """
    bad_dpd, write_off = _outcome(outcome)
    horizon = _positive_int(horizon_days, "horizon_days", 90)
    check = _positive_int(check_days, "check_days", 7)
    rs = load_alert_rules(rules)
    if isinstance(dates, str | bytes) or not isinstance(dates, Sequence | pd.Index | np.ndarray) \
            or len(dates) == 0:
        raise ParameterError(f"dates must be a non-empty list of dates (e.g. month ends); got "
                             f"{dates!r}")
    days = sorted({check_date(d, "dates") for d in dates})
    if not isinstance(tables, Mapping) or not {"customers", "bills", "payments"} <= set(tables):
        raise ParameterError("tables must be the dict of canonical tables (customers, bills, "
                             "payments, …) as make_portfolio or load_portfolio return")
    end = _data_end(tables)
    late = [d for d in days if d + pd.Timedelta(days=horizon) > end]
    if late:
        raise ParameterError(f"date(s) {[str(d.date()) for d in late]}: the {horizon}-day "
                             f"horizon ends after the data (last dated row {end.date()}); "
                             f"choose dates up to {(end - pd.Timedelta(days=horizon)).date()}")
    events = _events(tables, days[0], days[-1] + pd.Timedelta(days=horizon), bad_dpd,
                     write_off, check)
    feats: dict[pd.Timestamp, pd.DataFrame] = {}
    keep: dict[pd.Timestamp, np.ndarray] = {}
    frames, masks, prev_scores = [], [], None
    beh = behaviour_features_at_dates(tables, dates=days, windows=HISTORY_WINDOWS)
    beh_at = {pd.Timestamp(d): part for d, part in beh.groupby("as_of", sort=True)}
    for d in days:
        f = alert_features(tables, as_of=d, previous=prev_scores, cards=cards,
                           behaviour=beh_at.get(d, beh.iloc[:0]))
        prev_scores = f[["customer_id", "scorecard", "points"]]
        ok = np.ones(len(f), dtype=bool)
        if bad_dpd is not None:
            ok &= f["dpd"].to_numpy() < bad_dpd
        if write_off:
            ok &= ~f["has_write_off"].to_numpy(dtype=bool)
        feats[d], keep[d] = f, ok
        ids = f["customer_id"].astype(str).to_numpy()[ok]
        frames.append(pd.DataFrame({"customer_id": ids,
                                    "as_of": np.full(len(ids), d.to_datetime64()),
                                    "event_day": _next_event(ids, d, horizon, events)}))
        masks.append(rule_masks(f, rs)[ok])
    pairs = pd.concat(frames, ignore_index=True)
    pairs["as_of"] = pairs["as_of"].astype("M8[ns]")
    mask = np.concatenate(masks) if masks else np.zeros((0, len(rs.rules)), dtype=bool)
    return _assemble(pairs, mask, rs, feats, keep, horizon)


def _assemble(pairs: pd.DataFrame, mask: np.ndarray, rs: RuleSet, feats: dict, keep: dict,
              horizon: int) -> AlertBacktest:
    """The backtest's tables from the population pairs and the rules' masks on them."""
    pairs = pairs[["customer_id", "as_of", "event_day"]].copy()
    for j, rule in enumerate(rs.rules):
        pairs[rule.id] = mask[:, j]
    rows = []
    for j, rule in enumerate(rs.rules):
        rows.append({"rule_id": rule.id, "severity": rule.outputs["severity"],
                     **_metrics(mask[:, j], pairs, _new(pairs, mask[:, j]))})
    anyrule = mask.any(axis=1)
    rows.append({"rule_id": "all", "severity": "", **_metrics(anyrule, pairs,
                                                             _new(pairs, anyrule))})
    table = pd.DataFrame(rows)[list(BACKTEST_COLUMNS)]
    by_date = pd.DataFrame({"as_of": pairs["as_of"], "alerted": anyrule,
                            "positive": pairs["event_day"].notna()}).groupby("as_of").agg(
        population=("alerted", "size"), n_alerts=("alerted", "sum"),
        positives=("positive", "sum")).reset_index()
    return AlertBacktest(table, by_date, pairs, rs, feats, keep, horizon)


def _new(pairs: pd.DataFrame, alerted: np.ndarray) -> np.ndarray:
    """Alerted at a date and not at the previous backtest date (same customer)."""
    dates = np.sort(pairs["as_of"].unique())
    prev_of = dict(zip(dates[1:], dates[:-1], strict=True))
    held = pd.Series(alerted, index=pd.MultiIndex.from_arrays(
        [pairs["customer_id"].to_numpy(), pairs["as_of"].to_numpy()]))
    prev_day = pairs["as_of"].map(prev_of)
    before = held.reindex(pd.MultiIndex.from_arrays(
        [pairs["customer_id"].to_numpy(), prev_day.to_numpy(dtype="M8[ns]")]))
    return alerted & ~before.fillna(False).to_numpy(dtype=bool)
