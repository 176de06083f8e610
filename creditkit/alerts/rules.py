"""Early-warning rules (风险预警规则): a rule file read by the one rule engine.

An alert rule is a rule of :mod:`creditkit.rules` with a ``severity`` (one of
:data:`SEVERITIES`), a description and a recommended action in zh and en;
its conditions read the columns of :func:`creditkit.alerts.alert_features`.
The shipped default is ``creditkit/alerts/data/alert_rules.yaml`` (an
example to copy and edit, tuned on generator data by ``bench/alerts.py``).
Every mistake in a rule file is a ``ParameterError`` naming the file, line,
rule and fix: an unknown field, a threshold of the wrong type, a duplicate
id, an unknown severity.

Examples
--------
>>> rs = load_alert_rules()
>>> rs.rules[0].id, rs.rules[0].outputs["severity"]
('dpd_15', 'critical')
"""

from __future__ import annotations

from typing import Any

from creditkit.alerts.features import alert_fields
from creditkit.rules import RuleSchema, RuleSet, load_rules, shipped_rules_path

__all__ = ["ALERT_SCHEMA", "SEVERITIES", "load_alert_rules", "severity_rank"]

#: Alert severities, least urgent first (提示, 低, 中, 高, 紧急).
SEVERITIES: tuple[str, ...] = ("info", "low", "medium", "high", "critical")

#: What an alert rule may say: severity, descriptions and actions in zh and en.
ALERT_SCHEMA = RuleSchema(
    "alert rules",
    outputs={"severity": SEVERITIES, "description_zh": None, "description_en": None,
             "action_zh": None, "action_en": None},
    required=("severity", "description_zh", "description_en", "action_zh", "action_en"),
    fields=alert_fields())


def load_alert_rules(source: Any = None) -> RuleSet:
    """The alert rules from a YAML/CSV file, a table or a list (default: the shipped YAML).

    Parameters
    ----------
    source : path, DataFrame, list, dict, RuleSet or None
        As :func:`creditkit.rules.load_rules`; ``None`` is the shipped
        ``alert_rules.yaml``.

    Returns
    -------
    RuleSet

    Raises
    ------
    DataReadError, ParameterError
        The file cannot be read, or a rule is wrong: the message names the
        file, line, rule and fix.

    Examples
    --------
    >>> rs = load_alert_rules([{"id": "late", "when": [["dpd", ">=", 1]], "severity": "low",
    ...     "description_zh": "逾期", "description_en": "Past due",
    ...     "action_zh": "提醒", "action_en": "Remind"}])
    >>> rs.rules[0].conditions[0].text()
    'dpd >= 1'
    """
    if source is None:
        source = shipped_rules_path("creditkit.alerts", "alert_rules.yaml")
    return load_rules(source, ALERT_SCHEMA)


def severity_rank(severity: str) -> int:
    """The position of a severity in :data:`SEVERITIES` (0 = info).

    Examples
    --------
    >>> severity_rank("critical") > severity_rank("low")
    True
    """
    return SEVERITIES.index(severity)
