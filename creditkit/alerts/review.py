"""The credit manager's early warning: notebook 05's alert tables in one call.

:func:`alert_review` evaluates the alert rules at the date compared (default:
the month end before ``as_of``'s month) and then at ``as_of`` with the state
of the first run, so an alert already open then is not raised again (its
``new`` is false) and a score drop is measured between the two dates; and it
replays the rules at past month ends whose horizon ends by ``as_of``
(:func:`backtest_dates`, :func:`creditkit.alerts.backtest_alerts`). The
:class:`AlertReview` gives the report's tables in its language, names masked;
its features at both dates hold every column of
:func:`creditkit.segmentation.customer_features`, so
:func:`creditkit.segmentation.tier_review` takes them instead of building them
again.

Examples
--------
>>> [str(d.date()) for d in backtest_dates("2025-12-31", n_dates=3, horizon_days=90)]
['2025-07-31', '2025-08-31', '2025-09-30']
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import pandas as pd

from creditkit.alerts.backtest import AlertBacktest, backtest_alerts, backtest_dates
from creditkit.alerts.evaluate import AlertRun, evaluate_alerts
from creditkit.alerts.rules import SEVERITIES, load_alert_rules
from creditkit.checks import check_as_of, check_date, check_lang
from creditkit.exceptions import ParameterError, SchemaError
from creditkit.privacy import mask_pii
from creditkit.segmentation.review import previous_month_end

__all__ = ["AlertReview", "alert_review"]


@dataclass(frozen=True)
class AlertReview:
    """Today's alerts and their backtest, for notebook 05 (see :func:`alert_review`).

    Attributes
    ----------
    as_of, compare_to : Timestamp
    run : AlertRun
        The evaluation at ``as_of`` (with the state of ``run_before``).
    run_before : AlertRun
        The evaluation at ``compare_to``.
    backtest : AlertBacktest
    customers : DataFrame
        ``customer_id`` and the masked ``name``.
    lang : str
        The language of the runs' descriptions, actions and explanations.
    """

    as_of: pd.Timestamp
    compare_to: pd.Timestamp
    run: AlertRun
    run_before: AlertRun
    backtest: AlertBacktest
    customers: pd.DataFrame
    lang: str

    @property
    def features(self) -> pd.DataFrame:
        """The features the rules read at ``as_of`` (customer features and alert features)."""
        return self.run.features

    @property
    def features_before(self) -> pd.DataFrame:
        """The features at ``compare_to``."""
        return self.run_before.features

    def headline(self) -> dict[str, object]:
        """First-screen figures: alerts raised since ``compare_to``, urgent ones open, backtest.

        Label key → value, for :func:`creditkit.display.headline`.
        """
        urgent = [s for s in SEVERITIES if s in ("high", "critical")]
        rule_set = self.backtest.table.set_index("rule_id").loc["all"]
        return {
            "alerts_raised": len(self.run.alerts),
            "alerts_open_urgent": int(self.run.open["severity"].isin(urgent).sum()),
            "alert_customers": int(self.run.open["customer_id"].nunique()),
            "alert_precision_rate": float(rule_set["precision"]),
            "alert_recall_rate": float(rule_set["recall"]),
            "alert_lead_days": float(rule_set["lead_days_median"]),
        }

    def summary(self) -> pd.DataFrame:
        """Alerts per severity, most severe first, severities written out (raised, open, closed)."""
        from creditkit.alerts.plots import severity_text

        out = self.run.summary().iloc[::-1].reset_index(drop=True)
        out["severity"] = [severity_text(s, self.lang) for s in out["severity"]]
        return out.rename(columns={"new": "alert_new", "open": "alert_open",
                                   "closed_today": "alert_closed"})

    def alerts_table(self) -> pd.DataFrame:
        """The open alerts, most severe first then largest outstanding, names masked."""
        from creditkit.alerts.plots import severity_text

        a = self.run.open
        f = self.features.set_index("customer_id")
        rank = a["severity"].map({s: -i for i, s in enumerate(SEVERITIES)}).to_numpy()
        owed = f["outstanding_minor"].reindex(a["customer_id"]).fillna(0).astype("int64")
        a = a.assign(_rank=rank, outstanding_minor=owed.to_numpy(),
                     currency=f["currency"].reindex(a["customer_id"]).to_numpy())
        a = a.sort_values(["_rank", "outstanding_minor", "customer_id", "rule_id"],
                          ascending=[True, False, True, True], kind="stable", ignore_index=True)
        names = self.customers.set_index("customer_id")["name"]
        return pd.DataFrame({
            "customer_id": a["customer_id"].to_numpy(dtype=object),
            "name": names.reindex(a["customer_id"]).to_numpy(),
            "severity": [severity_text(s, self.lang) for s in a["severity"]],
            "explanation": a["explanation"].to_numpy(),
            "action": a["action"].to_numpy(),
            "new": a["new"].astype(bool).to_numpy(),
            "outstanding_minor": a["outstanding_minor"].to_numpy(dtype="int64"),
            "currency": a["currency"].to_numpy()})

    def backtest_table(self) -> pd.DataFrame:
        """The backtest per rule and for the set: each rule by its description, no rule id."""
        from creditkit.alerts.plots import severity_text

        out = self.backtest.report(self.lang)
        out["severity"] = [severity_text(s, self.lang) if s in SEVERITIES else ""
                           for s in out["severity"].fillna("")]
        keep = ["description", "severity", "n_alerts", "alerts_per_1000", "precision",
                "recall", "lead_days_median", "lead_days_q1", "lead_days_q3"]
        return out[[c for c in keep if c in out.columns]]

    def sweep(self, rule_id: str, values: Sequence[float], *, condition: int = 0
              ) -> pd.DataFrame:
        """One rule's threshold moved over ``values`` (:meth:`AlertBacktest.sweep`)."""
        return self.backtest.sweep(rule_id, values, condition=condition)


def alert_review(tables: Mapping[str, pd.DataFrame], *, as_of: object,
                 compare_to: object = None, rules: Any = None, n_backtest_dates: int = 3,
                 horizon_days: int = 90, outcome: str = "dpd30_or_write_off",
                 lang: str = "zh", cards: Mapping | None = None) -> AlertReview:
    """Alerts at ``compare_to`` then at ``as_of`` (raised once), and the rules' backtest.

    Parameters
    ----------
    tables : dict of str to DataFrame
        The canonical tables (as :func:`creditkit.datasets.load_or_make`).
    as_of : date-like
    compare_to : date-like, optional
        The previous evaluation (default: the month end before ``as_of``'s month).
    rules : path, RuleSet, DataFrame or list, optional
        Alert rules (default: the shipped ``alert_rules.yaml``).
    n_backtest_dates : int, default 3
        Month ends replayed (:func:`backtest_dates`).
    horizon_days : int, default 90
        Days after a backtest date in which the outcome counts.
    outcome : str, default "dpd30_or_write_off"
        As :func:`creditkit.alerts.backtest_alerts`.
    lang : {"zh", "en"}
    cards : dict, optional
        Behaviour cards (default: the shipped ones).

    Returns
    -------
    AlertReview

    Raises
    ------
    ParameterError
        ``compare_to`` not before ``as_of``; bad ``n_backtest_dates`` or
        ``horizon_days``; a wrong rule (file, line, rule, fix).
    SchemaError
        A table is missing.

    Examples
    --------
    >>> from creditkit.datasets import make_portfolio
    >>> book = make_portfolio(150, seed=3, end="2025-06-30")
    >>> r = alert_review(book, as_of="2025-06-30", n_backtest_dates=1, lang="en")
    >>> str(r.compare_to.date()), bool(r.run.alerts["new"].all())
    ('2025-05-31', True)
    >>> r.backtest_table()["description"].iloc[-1]
    'All rules'
    """
    if not isinstance(tables, Mapping) or "customers" not in tables:
        got = sorted(tables) if isinstance(tables, Mapping) else type(tables).__name__
        raise SchemaError(f"alert_review needs the canonical tables (customers, bills, "
                          f"payments, …); got {got}; pass the tables of load_or_make")
    day = check_as_of(as_of)
    lang = check_lang(lang)
    before = previous_month_end(day) if compare_to is None else check_date(compare_to,
                                                                          "compare_to")
    if before >= day:
        raise ParameterError(f"compare_to ({before.date()}) must be before as_of "
                             f"({day.date()}); leave it None for the previous month end")
    dates = backtest_dates(day, n_dates=n_backtest_dates, horizon_days=horizon_days)
    ruleset = load_alert_rules(rules)
    first = evaluate_alerts(tables, ruleset, as_of=before, lang=lang, cards=cards)
    run = evaluate_alerts(tables, ruleset, as_of=day, state=first.state, lang=lang, cards=cards)
    bt = backtest_alerts(tables, ruleset, dates=dates, outcome=outcome,
                         horizon_days=horizon_days, cards=cards)
    customers = mask_pii(tables["customers"][["customer_id", "name"]]
                         .drop_duplicates("customer_id"), "customers")
    return AlertReview(as_of=day, compare_to=before, run=run, run_before=first, backtest=bt,
                       customers=customers, lang=lang)
