"""Early warning (风险预警): declarative alert rules, today's alerts, and their backtest.

Modules: :mod:`~creditkit.alerts.features` (the features alert rules read:
the customer features plus late streaks, utilisation jumps, spending spikes,
failed auto-debits, new payment channels and score drops),
:mod:`~creditkit.alerts.rules` (the rule file: severity, description and
recommended action in zh/en, read by the one rule engine
:mod:`creditkit.rules`), :mod:`~creditkit.alerts.evaluate`
(:func:`evaluate_alerts`: raised once, closed when the rule stops holding)
and :mod:`~creditkit.alerts.backtest` (:func:`backtest_alerts`: replayed at
past dates with only what was known then, measured against what happened
next). Figures and widgets are in :mod:`creditkit.alerts.plots` and
:mod:`creditkit.alerts.widgets` (import them directly).
"""

from __future__ import annotations

from creditkit.alerts.backtest import BACKTEST_COLUMNS, AlertBacktest, backtest_alerts
from creditkit.alerts.evaluate import (
    ALERT_COLUMNS,
    AlertRun,
    AlertState,
    alert_texts,
    evaluate_alerts,
)
from creditkit.alerts.features import ALERT_FEATURES, alert_features, alert_fields
from creditkit.alerts.rules import ALERT_SCHEMA, SEVERITIES, load_alert_rules, severity_rank

__all__ = [
    "ALERT_COLUMNS",
    "ALERT_FEATURES",
    "ALERT_SCHEMA",
    "BACKTEST_COLUMNS",
    "SEVERITIES",
    "AlertBacktest",
    "AlertRun",
    "AlertState",
    "alert_features",
    "alert_fields",
    "alert_texts",
    "backtest_alerts",
    "evaluate_alerts",
    "load_alert_rules",
    "severity_rank",
]
