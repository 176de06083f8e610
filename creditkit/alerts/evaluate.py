"""Today's early warnings (风险预警): which rules hold for which customers, raised once.

:func:`evaluate_alerts` reads the features of every customer at ``as_of``
(:func:`creditkit.alerts.alert_features`), evaluates the alert rules with
the one rule engine (:func:`creditkit.rules.all_matches`, vectorised) and
compares with the alerts still open from the previous evaluation (the
:class:`AlertState` passed in):

- an alert whose rule holds and that is not open is **raised** (``new``);
- an open alert whose rule still holds stays open and is **not raised
  again** (it keeps the date it was opened);
- an open alert whose rule no longer holds (or whose rule left the rule
  set, or whose customer left the book) is **closed**.

The state returned holds the open alerts and each customer's score, so the
next evaluation can also tell how far the score dropped (``score_drop``).

Examples
--------
>>> f = pd.DataFrame({"customer_id": ["a", "b"], "dpd": [12, 3]})
>>> rules = [{"id": "late", "when": [["dpd", ">=", 10]], "severity": "high",
...           "description_zh": "逾期", "description_en": "Past due",
...           "action_zh": "电话催收", "action_en": "Call"}]
>>> run = evaluate_alerts(None, rules, as_of="2025-06-30", features=f, lang="en")
>>> run.alerts[["customer_id", "rule_id", "severity"]].values.tolist()
[['a', 'late', 'high']]
>>> print(run.alerts["explanation"].iloc[0])
Past due: Days past due 12 (rule: Days past due ≥ 10)
>>> again = evaluate_alerts(None, rules, as_of="2025-07-31", features=f, state=run.state)
>>> len(again.alerts), len(again.open)
(0, 1)
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from creditkit.alerts.features import alert_features
from creditkit.alerts.rules import SEVERITIES, load_alert_rules
from creditkit.checks import check_as_of, check_lang
from creditkit.exceptions import ParameterError
from creditkit.labels import label
from creditkit.rules import Condition, RuleSet, all_matches

__all__ = ["ALERT_COLUMNS", "AlertRun", "AlertState", "alert_texts", "evaluate_alerts"]

#: The columns of an alert table (``AlertRun.alerts``, ``.open``, ``.closed``).
ALERT_COLUMNS: tuple[str, ...] = (
    "as_of", "customer_id", "rule_id", "severity", "observed", "threshold", "observed_value",
    "threshold_value", "description", "action", "explanation", "opened", "new")

_OPS = {">=": "≥", ">": ">", "<=": "≤", "<": "<", "==": "=", "!=": "≠", "in": "∈",
        "not in": "∉", "between": "∈"}


def _empty_open() -> pd.DataFrame:
    return pd.DataFrame({"customer_id": pd.Series([], dtype=object),
                         "rule_id": pd.Series([], dtype=object),
                         "severity": pd.Series([], dtype=object),
                         "opened": pd.Series([], dtype="datetime64[ns]")})


def _empty_scores() -> pd.DataFrame:
    return pd.DataFrame({"customer_id": pd.Series([], dtype=object),
                         "scorecard": pd.Series([], dtype=object),
                         "points": pd.Series([], dtype="float64")})


@dataclass(frozen=True)
class AlertState:
    """What one evaluation hands to the next: open alerts and each customer's score.

    Store both frames (``open``, ``scores``) and ``as_of`` between runs, and
    rebuild with ``AlertState(as_of, open, scores)``.

    Attributes
    ----------
    as_of : Timestamp or None
        The date of the evaluation (None: no evaluation yet).
    open : DataFrame
        ``customer_id``, ``rule_id``, ``severity``, ``opened``: one row per
        open alert.
    scores : DataFrame
        ``customer_id``, ``scorecard``, ``points`` at ``as_of``.

    Examples
    --------
    >>> AlertState().open.columns.tolist()
    ['customer_id', 'rule_id', 'severity', 'opened']
    """

    as_of: pd.Timestamp | None = None
    open: pd.DataFrame = field(default_factory=_empty_open)
    scores: pd.DataFrame = field(default_factory=_empty_scores)


@dataclass(frozen=True)
class AlertRun:
    """The result of :func:`evaluate_alerts`.

    Attributes
    ----------
    alerts : DataFrame
        The alerts raised at ``as_of`` (not open before), columns
        :data:`ALERT_COLUMNS`, most severe first.
    open : DataFrame
        Every alert open after the run: the new ones and those still holding.
    closed : DataFrame
        Alerts open before whose rule no longer holds (``closed_on`` = ``as_of``).
    state : AlertState
        Pass it to the next evaluation.
    features : DataFrame
        The features the rules read.
    lang : str
        The language of ``description``, ``action`` and ``explanation``.

    Examples
    --------
    >>> f = pd.DataFrame({"customer_id": ["a", "b"], "dpd": [20, 0]})
    >>> run = evaluate_alerts(None, None, as_of="2025-06-30", features=f.assign(
    ...     pd=0.1, scorecard="B", utilisation=0.5, utilisation_change_1m=0.0, late_streak=0,
    ...     score_drop=None, spend_ratio_1m=None, spend_1m_minor=0, failed_debits_30d=0,
    ...     new_channel_30d=False, broken_promises=0))
    >>> run.alerts[["customer_id", "rule_id", "severity"]].values.tolist()
    [['a', 'dpd_15', 'critical']]
    """

    alerts: pd.DataFrame
    open: pd.DataFrame
    closed: pd.DataFrame
    state: AlertState
    features: pd.DataFrame
    lang: str

    def summary(self) -> pd.DataFrame:
        """Alerts per severity: raised today, open, closed today (every severity listed).

        Examples
        --------
        >>> f = pd.DataFrame({"customer_id": ["a"], "dpd": [12]})
        >>> rules = [{"id": "late", "when": [["dpd", ">=", 10]], "severity": "high",
        ...     "description_zh": "逾期", "description_en": "Past due",
        ...     "action_zh": "催收", "action_en": "Call"}]
        >>> run = evaluate_alerts(None, rules, as_of="2025-06-30", features=f)
        >>> run.summary().set_index("severity").loc["high"].tolist()
        [1, 1, 0]
        """
        def count(frame: pd.DataFrame) -> np.ndarray:
            return frame["severity"].astype(object).value_counts().reindex(
                list(SEVERITIES), fill_value=0).to_numpy(dtype=np.int64)

        return pd.DataFrame({"severity": list(SEVERITIES), "new": count(self.alerts),
                             "open": count(self.open), "closed_today": count(self.closed)})


def _check_state(state: object, day: pd.Timestamp) -> AlertState:
    if state is None:
        return AlertState()
    if not isinstance(state, AlertState):
        raise ParameterError(f"state must be the AlertState of the previous run "
                             f"(AlertRun.state) or None; got {type(state).__name__}")
    if state.as_of is not None and state.as_of > day:
        raise ParameterError(f"state is from {state.as_of.date()}, after as_of {day.date()}; "
                             "evaluate dates in order, or pass the state of an earlier run")
    need = {"customer_id", "rule_id", "severity", "opened"}
    if not isinstance(state.open, pd.DataFrame) or not need <= set(state.open.columns):
        raise ParameterError(f"state.open must hold {sorted(need)} (AlertRun.state.open)")
    return state


def _fmt(values: pd.Series, lang: str) -> pa.Array:
    """Values as short text: whole numbers plain, others to 2 decimals, yes/no in ``lang``."""
    arr = pa.array(values.to_numpy() if values.dtype.kind in "fiub" else values,
                   from_pandas=True)
    if isinstance(arr, pa.ChunkedArray):
        arr = arr.combine_chunks()
    if pa.types.is_floating(arr.type):
        arr = pc.round(arr, 2)
    if pa.types.is_boolean(arr.type):
        arr = pc.if_else(arr, label("yes", lang), label("no", lang))
    return pc.fill_null(pc.cast(arr, pa.string()), "—")


def _cond_text(cond: Condition, lang: str) -> str:
    name = label(cond.field, lang)
    if cond.op == "is_missing":
        return f"{name} {'= NA' if cond.value else '≠ NA'}"
    if cond.op == "between":
        return f"{name} ∈ [{cond.value[0]}, {cond.value[1]}]"
    if cond.op in ("in", "not in"):
        return f"{name} {_OPS[cond.op]} {{{', '.join(map(str, cond.value))}}}"
    value = label("yes" if cond.value else "no", lang) if isinstance(cond.value, bool) \
        else cond.value
    return f"{name} {_OPS[cond.op]} {value}"


def alert_texts(rules: RuleSet, lang: str = "zh") -> pd.DataFrame:
    """Per rule: its threshold in words, description and action in ``lang``.

    Examples
    --------
    >>> alert_texts(load_alert_rules(), "en").set_index("rule_id").loc["dpd_15", "threshold"]
    'Days past due ≥ 15'
    """
    check_lang(lang)
    rows = []
    for rule in rules.rules:
        joiner = {"all": {"zh": " 且 ", "en": " and "}, "any": {"zh": " 或 ", "en": " or "}}
        rows.append({"rule_id": rule.id, "severity": rule.outputs["severity"],
                     "threshold": joiner[rule.match][lang].join(
                         _cond_text(c, lang) for c in rule.conditions),
                     "description": rule.outputs[f"description_{lang}"],
                     "action": rule.outputs[f"action_{lang}"]})
    return pd.DataFrame(rows, columns=["rule_id", "severity", "threshold", "description",
                                       "action"])


def _observed(features: pd.DataFrame, rules: RuleSet, rows: np.ndarray, which: np.ndarray,
              lang: str) -> tuple[pd.Series, np.ndarray, np.ndarray]:
    """Observed values in words, the first condition's value and threshold, per hit."""
    n = len(rows)
    text = pa.nulls(n, type=pa.string())
    value = np.full(n, np.nan)
    limit = np.full(n, np.nan)
    for j, rule in enumerate(rules.rules):
        at = np.flatnonzero(which == j)
        if not len(at) or not rule.conditions:
            continue
        take = rows[at]
        parts: list = []
        for k, name in enumerate(dict.fromkeys(c.field for c in rule.conditions)):
            parts += [("; " if k else "") + label(name, lang) + " ",
                      _fmt(features[name].iloc[take].reset_index(drop=True), lang)]
        piece = pc.binary_join_element_wise(*parts, "")
        mask = np.zeros(n, dtype=bool)
        mask[at] = True
        full = pa.nulls(n, type=pa.string())
        idx = np.zeros(n, dtype=np.int64)
        idx[at] = np.arange(len(at))
        full = pc.if_else(pa.array(mask), piece.take(pa.array(idx)), full)
        text = pc.coalesce(text, full)
        first = rule.conditions[0]
        col = features[first.field].iloc[take]
        if pd.api.types.is_numeric_dtype(col) and not pd.api.types.is_bool_dtype(col):
            value[at] = col.to_numpy(dtype=np.float64, na_value=np.nan)
        if isinstance(first.value, int | float) and not isinstance(first.value, bool):
            limit[at] = float(first.value)
    return pd.Series(pd.arrays.ArrowStringArray(text)), value, limit


def _hits(features: pd.DataFrame, rules: RuleSet, day: pd.Timestamp, lang: str) -> pd.DataFrame:
    """Every (customer, rule) that holds at ``day``, with its texts."""
    m = all_matches(features, rules)
    which = m["rule_id"].cat.codes.to_numpy()
    rows = m["row"].to_numpy()
    observed, value, limit = _observed(features, rules, rows, which, lang)
    texts = alert_texts(rules, lang)
    out = pd.DataFrame({"as_of": np.full(len(m), day.to_datetime64(), dtype="M8[ns]"),
                        "customer_id": m["customer_id"].astype(object).to_numpy(),
                        "rule_id": m["rule_id"].astype(object).to_numpy(),
                        "severity": m["severity"].astype(object).to_numpy(),
                        "observed": observed, "threshold": texts["threshold"].to_numpy()[which],
                        "observed_value": value, "threshold_value": limit,
                        "description": texts["description"].to_numpy()[which],
                        "action": texts["action"].to_numpy()[which]})
    template = label("alert_explanation", lang)
    desc = pa.array(out["description"].to_numpy(dtype=object), type=pa.string())
    thr = pa.array(out["threshold"].to_numpy(dtype=object), type=pa.string())
    obs = pa.array(observed.to_numpy(dtype=object), type=pa.string(), from_pandas=True)
    out["explanation"] = _explain(template, desc, obs, thr)
    return out


def _explain(template: str, desc: pa.Array, obs: pa.Array, thr: pa.Array) -> pd.Series:
    """``template`` (three ``{}``: description, observed, threshold) filled element-wise."""
    a, b, c, d = template.split("{}")
    parts = [a, desc, b, pc.fill_null(obs, ""), c, thr, d]
    return pd.Series(pd.arrays.ArrowStringArray(pc.binary_join_element_wise(*parts, "")))


def _match_open(hits: pd.DataFrame, before: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    """For each hit, the day its alert opened (NaT: not open before); which open alerts still hold.

    Customer and rule are coded together against one shared vocabulary, so the
    matching is one integer join, not a join on text.
    """
    cust, _ = pd.factorize(pd.concat([hits["customer_id"].astype(object),
                                               before["customer_id"].astype(object)],
                                              ignore_index=True))
    rule, _ = pd.factorize(pd.concat([hits["rule_id"].astype(object),
                                      before["rule_id"].astype(object)], ignore_index=True))
    key = cust.astype(np.int64) * (int(rule.max(initial=0)) + 1) + rule
    now, old = key[:len(hits)], key[len(hits):]
    order = np.argsort(old, kind="stable")
    pos = np.searchsorted(old[order], now)
    pos = np.minimum(pos, max(len(old) - 1, 0))
    found = (old[order][pos] == now) if len(old) else np.zeros(len(now), dtype=bool)
    days = pd.to_datetime(before["opened"]).to_numpy(dtype="M8[ns]")
    opened = np.full(len(now), np.datetime64("NaT"), dtype="M8[ns]")
    if len(old):
        opened[found] = days[order][pos[found]]
    still = np.isin(old, now)
    return opened, still


def _order(frame: pd.DataFrame) -> pd.DataFrame:
    rank = frame["severity"].map({s: -i for i, s in enumerate(SEVERITIES)})
    return frame.assign(_rank=rank.to_numpy()).sort_values(
        ["_rank", "customer_id", "rule_id"], kind="stable").drop(columns="_rank") \
        .reset_index(drop=True)


def evaluate_alerts(tables: Mapping[str, pd.DataFrame] | None, rules: Any = None, *,
                    as_of: object, state: AlertState | None = None, lang: str = "zh",
                    features: pd.DataFrame | None = None,
                    cards: Mapping | None = None) -> AlertRun:
    """Evaluate the early-warning rules at ``as_of``; raise each alert once, close it when it ends.

    Parameters
    ----------
    tables : dict of str to DataFrame or None
        ``customers``, ``bills``, ``payments``, optionally ``transactions``
        and ``promises`` (see :func:`creditkit.alerts.alert_features`);
        ``None`` when ``features`` are given.
    rules : path, DataFrame, list, RuleSet or None
        Alert rules (:func:`creditkit.alerts.load_alert_rules`; default the
        shipped ``alert_rules.yaml``).
    as_of : date-like
        The evaluation date; nothing dated after it is read.
    state : AlertState, optional
        ``AlertRun.state`` of the previous evaluation (open alerts, scores).
    lang : {"zh", "en"}, default "zh"
        Language of ``description``, ``action``, ``threshold`` and ``explanation``.
    features : DataFrame, optional
        Features already built (one row per customer, ``customer_id`` and
        every column the rules read); ``tables`` is then not read.
    cards : dict, optional
        Behaviour cards for the score today (default: the shipped ones).

    Returns
    -------
    AlertRun
        ``alerts`` (raised today), ``open``, ``closed``, ``state``, ``features``.

    Raises
    ------
    ParameterError
        Bad ``as_of``, ``lang`` or ``state`` (or a state dated after
        ``as_of``); a wrong rule (naming file, line and rule); features
        lacking a column a rule reads or repeating a customer.
    SchemaError
        A table or column is missing.

    Examples
    --------
    >>> from creditkit.datasets import make_portfolio
    >>> book = make_portfolio(150, seed=3, end="2025-06-30")
    >>> run = evaluate_alerts(book, as_of="2025-05-31")
    >>> later = evaluate_alerts(book, as_of="2025-06-30", state=run.state)
    >>> bool(later.alerts.merge(run.open, on=["customer_id", "rule_id"]).empty)
    True
    """
    day = check_as_of(as_of)
    lang = check_lang(lang)
    st = _check_state(state, day)
    rs = load_alert_rules(rules)
    if features is None:
        if not isinstance(tables, Mapping):
            raise ParameterError(f"tables must be the dict of canonical tables (make_portfolio, "
                                 f"load_portfolio) or pass features=; got "
                                 f"{type(tables).__name__}")
        features = alert_features(tables, as_of=day, previous=st.scores, cards=cards)
    elif not isinstance(features, pd.DataFrame) or "customer_id" not in features.columns:
        raise ParameterError("features must be a DataFrame with customer_id and the columns "
                             "the rules read, as alert_features returns")
    if not pd.Index(features["customer_id"]).is_unique:
        dup = features["customer_id"][features["customer_id"].duplicated()].unique()[:5]
        raise ParameterError(f"features repeat customer(s) {dup.tolist()}; one row per "
                             "customer (one as_of)")
    hits = _hits(features, rs, day, lang)
    before = st.open.astype({"customer_id": object, "rule_id": object})
    opened, still = _match_open(hits, before)
    hits["opened"] = np.where(np.isnat(opened), day.to_datetime64(), opened).astype("M8[ns]")
    hits["new"] = np.isnat(opened)
    closed = before.loc[~still].assign(closed_on=day).reset_index(drop=True)
    open_ = _order(hits)
    new = open_[open_["new"].to_numpy()].reset_index(drop=True)
    scores = features[["customer_id"]].assign(
        scorecard=features["scorecard"] if "scorecard" in features.columns else pd.NA,
        points=features["points"] if "points" in features.columns else np.nan)
    out_state = AlertState(day, open_[["customer_id", "rule_id", "severity", "opened"]].copy(),
                           scores.reset_index(drop=True))
    return AlertRun(new, open_, closed, out_state, features, lang)
