"""The collectors' worklist (催收工作清单): who to chase today, through which channel, by whom.

Every customer with an amount past due at ``as_of`` (``past_due_minor`` of
:func:`creditkit.aging.customer_aging`) is on the list, once per currency:

1. **Channel** by days past due (``worst_dpd``), from a stage table the
   analyst edits (``collections/data/worklist_channels.csv``: SMS early,
   call mid, visit late, legal after 90 days by default).
2. **Expected recovery** = past due × P(cure within the C card's
   ``cure_days``), the probability from a :class:`~creditkit.collections.
   worklist_model.RecoveryModel` (the C card calibrated on the generator's
   history; a customer the card cannot score takes the model's base rate
   and says so in ``score_source``).
3. **Assignment**: within each channel, customers in order of expected
   recovery (then past due, then customer id) go to the channel's collectors
   in turns (round robin) until each has reached its capacity; the rest stay
   on the list unassigned with the reason ``over_capacity`` (or
   ``no_collector`` when the channel has nobody, ``promise_pending`` while
   a promise to pay runs), never dropped.

The list's past-due amounts add up to the aging's, per currency, to the minor
unit (:meth:`Worklist.invariants`).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from creditkit.aging import customer_aging
from creditkit.behaviour import behaviour_features
from creditkit.checks import check_as_of, check_lang, check_table
from creditkit.collections.worklist_model import RecoveryModel, load_recovery_model
from creditkit.collections.worklist_stages import (
    WORKLIST_CHANNELS,
    check_worklist_channels,
    load_worklist_channels,
)
from creditkit.exceptions import ParameterError
from creditkit.labels import label
from creditkit.money.format import format_minor

__all__ = ["WORKLIST_REASONS", "Worklist", "check_collectors", "collection_worklist"]

#: Reason codes of a worklist row (``reason_code``), labelled in ``creditkit.labels``.
WORKLIST_REASONS: tuple[str, ...] = ("assigned", "over_capacity", "no_collector",
                                     "promise_pending")


def check_collectors(collectors: pd.DataFrame, *, capacity: int | Mapping[str, int] | None = None
                     ) -> pd.DataFrame:
    """The collectors table, checked: ``collector_id``, ``name``, ``channel``, ``capacity``.

    Parameters
    ----------
    collectors : DataFrame
        One row per collector: ``collector_id`` (unique), ``name``,
        ``channel`` (their skill, one of :data:`WORKLIST_CHANNELS`),
        ``capacity`` (customers a day; optional when ``capacity`` is given).
    capacity : int or dict, optional
        Customers a day for every collector, or per collector id; overrides
        the column.

    Returns
    -------
    DataFrame
        The four columns, capacity int64, in the input's order.

    Raises
    ------
    SchemaError, ParameterError
        A missing column, a repeated id, an unknown channel, a capacity that
        is not a whole number >= 0 (naming the row).

    Examples
    --------
    >>> import pandas as pd
    >>> c = pd.DataFrame({"collector_id": ["K1"], "name": ["王"], "channel": ["call"]})
    >>> check_collectors(c, capacity=40)["capacity"].tolist()
    [40]
    """
    need = ["collector_id", "name", "channel"] + ([] if capacity is not None else ["capacity"])
    check_table(collectors, need, name="collectors",
                fix="give collector_id, name, channel and capacity (or pass capacity=)")
    c = collectors.reset_index(drop=True)
    ids = c["collector_id"].astype("string").str.strip()
    if ids.isna().any() or (ids == "").any():
        i = int(np.flatnonzero((ids.isna() | (ids == "")).to_numpy(dtype=bool))[0])
        raise ParameterError(f"collectors row {i}: collector_id is blank; give every collector "
                             "an id")
    dup = ids.duplicated()
    if dup.any():
        i = int(np.flatnonzero(dup.to_numpy())[0])
        raise ParameterError(f"collectors row {i}: collector_id {ids[i]!r} repeats; ids must be "
                             "unique")
    chan = c["channel"].astype("string").str.strip().str.lower()
    bad = ~chan.isin(WORKLIST_CHANNELS).fillna(False)
    if bad.any():
        i = int(np.flatnonzero(bad.to_numpy(dtype=bool))[0])
        raise ParameterError(f"collectors row {i}: channel {c['channel'][i]!r} is not one of "
                             f"{WORKLIST_CHANNELS}; write one of them")
    if capacity is None:
        cap = c["capacity"]
    elif isinstance(capacity, Mapping):
        unknown = sorted(set(map(str, capacity)) - set(ids))
        if unknown:
            raise ParameterError(f"capacity names collector(s) {unknown} not in collectors; "
                                 "use their collector_id")
        base = c["capacity"] if "capacity" in c.columns else pd.Series([None] * len(c))
        cap = pd.Series([capacity.get(k, b) for k, b in zip(ids, base, strict=True)], dtype=object)
    else:
        cap = pd.Series([capacity] * len(c))
    num = pd.to_numeric(cap, errors="coerce")
    badc = num.isna() | (num < 0) | (num != np.floor(num))
    if badc.any():
        i = int(np.flatnonzero(badc.to_numpy(dtype=bool))[0])
        raise ParameterError(f"collectors row {i}: capacity {cap.iloc[i]} is not a whole number "
                             ">= 0 (customers a day); fix it or pass capacity=")
    return pd.DataFrame({"collector_id": ids.astype(object), "name": c["name"].astype(object),
                         "channel": chan.astype(object), "capacity": num.astype("int64")})


@dataclass(frozen=True)
class Worklist:
    """Result of :func:`collection_worklist`.

    Attributes
    ----------
    items : DataFrame
        One row per (customer, currency) past due, ordered by channel, then
        collector, then ``queue_rank``: ``customer_id``, ``currency``,
        ``past_due_minor``, ``outstanding_minor``, ``worst_dpd``, ``stage``,
        ``channel``, ``p_cure``, ``expected_recovery_minor`` (past due ×
        p_cure, rounded to the minor unit), ``score_source`` (``calibrated_card`` or
        ``base_rate``), ``driver`` (the card variable costing most points),
        ``channel_rank`` (1 = most expected recovery in the channel),
        ``collector_id``, ``collector_name`` (missing when unassigned),
        ``queue_rank`` (order in the collector's queue), ``reason_code``
        (:data:`WORKLIST_REASONS`), ``reason`` (text in the list's language).
    collectors : DataFrame
        Per collector: ``collector_id``, ``name``, ``channel``, ``capacity``,
        ``assigned`` (customers), ``past_due_minor``, ``expected_recovery_minor``
        (per currency: one row per collector and currency with customers,
        ``currency`` missing for a collector with none).
    as_of : Timestamp
    model_version : str
    aging_past_due : dict
        The aging's past-due total per currency (Python int), to reconcile with.

    Examples
    --------
    >>> import pandas as pd
    >>> from creditkit.datasets import make_portfolio
    >>> team = pd.DataFrame({"collector_id": ["K1"], "name": ["张三"], "channel": ["call"],
    ...                      "capacity": [3]})
    >>> wl = collection_worklist(make_portfolio(300, seed=2, end="2025-06-30"),
    ...                          as_of="2025-06-30", collectors=team)
    >>> len(wl.for_collector("K1")) <= 3, wl.assignments().columns[:3].tolist()
    (True, ['assigned_date', 'collector_id', 'customer_id'])
    >>> bool(wl.invariants()["ok"].all())
    True
    """

    items: pd.DataFrame
    collectors: pd.DataFrame
    as_of: pd.Timestamp
    model_version: str
    aging_past_due: dict

    def for_collector(self, collector_id: str) -> pd.DataFrame:
        """One collector's queue, in order."""
        rows = self.items[self.items["collector_id"] == collector_id]
        if rows.empty and collector_id not in set(self.collectors["collector_id"]):
            raise ParameterError(f"no collector {collector_id!r} on this worklist; one of "
                                 f"{sorted(self.collectors['collector_id'])}")
        return rows.sort_values("queue_rank").reset_index(drop=True)

    def assignments(self) -> pd.DataFrame:
        """The assigned rows as :func:`collector_performance` reads them.

        ``assigned_date`` (= as_of), ``collector_id``, ``customer_id``,
        ``currency``, ``channel``, ``past_due_minor``, ``expected_recovery_minor``.
        """
        a = self.items[self.items["collector_id"].notna()]
        out = a[["collector_id", "customer_id", "currency", "channel", "past_due_minor",
                 "expected_recovery_minor"]].copy()
        out.insert(0, "assigned_date", self.as_of)
        return out.reset_index(drop=True)

    def invariants(self) -> pd.DataFrame:
        """The checks every worklist must pass, one row each: ``check``, ``ok``, ``detail``."""
        it = self.items
        listed = {k: sum(int(v) for v in g) for k, g in it.groupby("currency")["past_due_minor"]}
        off = sorted(c for c in set(listed) | set(self.aging_past_due)
                     if listed.get(c, 0) != self.aging_past_due.get(c, 0))
        rows = [("list past due = aging past due, per currency", not off, f"off in {off}")]
        dup = it.duplicated(["customer_id", "currency"]).any()
        rows.append(("one row per (customer, currency)", not dup, ""))
        n = it[it["collector_id"].notna()].groupby("collector_id").size()
        cap = self.collectors.drop_duplicates("collector_id").set_index("collector_id")["capacity"]
        over = [k for k, v in n.items() if v > cap.get(k, 0)]
        rows.append(("no collector over capacity", not over, f"over: {over}"))
        ok = bool(it["p_cure"].between(0, 1).all())
        rows.append(("p_cure in [0, 1]", ok, ""))
        return pd.DataFrame(rows, columns=["check", "ok", "detail"])


def _reason_text(rows: pd.DataFrame, lang: str, days: int) -> pd.Series:
    tmpl = label("worklist_reason_template", lang)
    amount = pd.Series("", index=rows.index, dtype=object)
    for cur, idx in rows.groupby("currency").groups.items():
        amount[idx] = format_minor(rows.loc[idx, "past_due_minor"].astype("Int64"), str(cur),
                                   lang=lang)
    stage = rows["stage"].map(lambda s: label(f"stage_{s}", lang) if
                              label(f"stage_{s}", lang) != f"stage_{s}" else s)
    driver = rows["driver"].map(lambda d: label(d, lang) if d else "-")
    extra = rows["reason_code"].map(lambda c: label(f"worklist_{c}", lang))
    pct = [f"{p:.0%}" if p >= 0.005 else "<1%" for p in rows["p_cure"]]
    text = [tmpl.format(dpd=int(d), stage=s, amount=a, p=p, days=days, driver=v) + e
            for d, s, a, p, v, e in zip(rows["worst_dpd"], stage, amount, pct, driver, extra,
                                        strict=True)]
    return pd.Series(text, index=rows.index, dtype=object)


def _assign(items: pd.DataFrame, coll: pd.DataFrame, held: np.ndarray) -> pd.DataFrame:
    """Round robin within each channel, in order of channel_rank, up to each capacity.

    ``held`` rows (a promise to pay is running) are not assigned.
    """
    cid = np.full(len(items), None, dtype=object)
    queue = np.zeros(len(items), dtype=np.int64)
    reason = np.full(len(items), "no_collector", dtype=object)
    for chan, idx in items.groupby("channel", sort=True).indices.items():
        idx = idx[~held[idx]]
        mine = coll[coll["channel"] == chan]
        if mine.empty:
            continue
        caps = mine["capacity"].to_numpy()
        rounds = np.arange(caps.max(initial=0))
        # slot (round j, collector k) exists when caps[k] > j; slots in round-robin order
        jj, kk = np.meshgrid(rounds, np.arange(len(caps)), indexing="ij")
        ok = caps[kk] > jj
        slot_k, slot_j = kk[ok], jj[ok]
        order = idx[np.argsort(items["channel_rank"].to_numpy()[idx], kind="stable")]
        take = min(len(order), len(slot_k))
        cid[order[:take]] = mine["collector_id"].to_numpy()[slot_k[:take]]
        queue[order[:take]] = slot_j[:take] + 1
        reason[order] = "over_capacity"
        reason[order[:take]] = "assigned"
    reason[held] = "promise_pending"
    out = items.copy()
    out["collector_id"] = cid
    names = dict(zip(coll["collector_id"], coll["name"], strict=True))
    out["collector_name"] = [names.get(c) if c is not None else None for c in cid]
    out["queue_rank"] = pd.array(np.where(queue > 0, queue, 0), dtype="Int64")
    out.loc[queue == 0, "queue_rank"] = pd.NA
    out["reason_code"] = reason
    return out


def _promised(promises: pd.DataFrame | None, items: pd.DataFrame, day: pd.Timestamp
              ) -> np.ndarray:
    """Rows of ``items`` whose customer (and currency) has a promise running at ``day``."""
    if promises is None:
        return np.zeros(len(items), dtype=bool)
    check_table(promises, ("customer_id", "promise_date", "pay_by"), name="promises",
                fix="record a promise as customer_id, promise_date, pay_by, amount_minor")
    dates = {}
    for col in ("promise_date", "pay_by"):
        raw = promises[col]
        d = raw if pd.api.types.is_datetime64_any_dtype(raw) else pd.to_datetime(
            raw.astype("string"), errors="coerce", format="mixed")
        if d.isna().any():
            i = int(np.flatnonzero(d.isna().to_numpy())[0])
            raise ParameterError(f"promises row {i}: {col} {raw.iloc[i]!r} is not a date; fix it")
        dates[col] = d
    running = ((dates["promise_date"] <= day) & (dates["pay_by"] >= day)).to_numpy()
    cust = promises["customer_id"].astype(str).to_numpy()[running]
    if "currency" in promises.columns:
        cur = promises["currency"].astype(str).str.strip().str.upper().to_numpy()[running]
        keys = set(zip(cust, cur, strict=True))
        return np.array([(c, k) in keys for c, k in zip(items["customer_id"].astype(str),
                                                         items["currency"], strict=True)],
                        dtype=bool)
    return items["customer_id"].astype(str).isin(set(cust)).to_numpy()


def collection_worklist(
    tables: Mapping[str, pd.DataFrame],
    *,
    as_of: object,
    collectors: pd.DataFrame,
    capacity: int | Mapping[str, int] | None = None,
    model: RecoveryModel | None = None,
    channels: pd.DataFrame | str | Path | None = None,
    currency: str | None = None,
    promises: pd.DataFrame | None = None,
    lang: str = "zh",
) -> Worklist:
    """Today's collection list per collector and channel, ranked by expected recovery.

    Parameters
    ----------
    tables : dict of DataFrame
        ``customers`` (with ``open_date``), ``bills``, ``payments``
        (reconciled: an unidentified payment leaves its customer past due),
        ``transactions`` optional — as :func:`creditkit.behaviour.behaviour_features`.
    as_of : date-like
        The day of the list.
    collectors : DataFrame
        ``collector_id``, ``name``, ``channel``, ``capacity`` (see :func:`check_collectors`).
    capacity : int or dict, optional
        Customers a day per collector, overriding the ``capacity`` column.
    model : RecoveryModel, optional
        P(cure); default :func:`~creditkit.collections.load_recovery_model`.
    channels : DataFrame or path, optional
        The stage table (:func:`check_worklist_channels`); default the shipped file.
    currency : str, optional
        The currency of the list; required when past-due amounts are in
        several (expected recoveries in different currencies do not rank).
    promises : DataFrame, optional
        Promises to pay (the dunning run's table: ``customer_id``,
        ``promise_date``, ``pay_by``; optional ``currency``): a customer whose
        promise runs at ``as_of`` (promise_date <= as_of <= pay_by) stays on
        the list, unassigned, with the reason ``promise_pending``, and frees
        the collector's capacity for others.
    lang : {"zh", "en"}
        Language of the ``reason`` column.

    Returns
    -------
    Worklist

    Raises
    ------
    ParameterError, SchemaError
        Bad tables, collectors, stage table or language; several currencies
        without ``currency``.

    Examples
    --------
    >>> import pandas as pd
    >>> from creditkit.datasets import make_portfolio
    >>> book = make_portfolio(400, seed=8, kind="mixed", end="2025-06-30")
    >>> team = pd.DataFrame({"collector_id": ["S1", "K1", "V1", "L1"],
    ...     "name": ["短信组", "张三", "李四", "法务"],
    ...     "channel": ["sms", "call", "visit", "legal"], "capacity": [500, 5, 3, 10]})
    >>> wl = collection_worklist(book, as_of="2025-06-30", collectors=team, lang="en")
    >>> bool(wl.invariants()["ok"].all())
    True
    >>> int((wl.items["collector_id"] == "K1").sum()) <= 5
    True
    """
    day = check_as_of(as_of)
    lang = check_lang(lang)
    if not isinstance(tables, Mapping) or "bills" not in tables or "payments" not in tables:
        raise ParameterError("tables must be a dict with customers, bills and payments (as "
                             "make_portfolio returns); pass e.g. tables=load_or_make(path)")
    model = load_recovery_model() if model is None else model
    if not isinstance(model, RecoveryModel):
        raise ParameterError(f"model must be a RecoveryModel (load_recovery_model() or "
                             f"fit_recovery_model(sample)); got {type(model).__name__}")
    if channels is None or isinstance(channels, (str, Path)):
        stages = load_worklist_channels(channels)
    else:
        stages = check_worklist_channels(channels)
    coll = check_collectors(collectors, capacity=capacity)
    aging = customer_aging(tables["bills"], tables["payments"], as_of=day)
    past = aging[aging["past_due_minor"] > 0]
    curs = sorted(past["currency"].astype(str).unique())
    if currency is not None:
        if not isinstance(currency, str) or not currency.strip():
            raise ParameterError(f"currency must be a currency code such as 'CNY'; "
                                 f"got {currency!r}")
        currency = currency.strip().upper()
        past = past[past["currency"] == currency]
        aging = aging[aging["currency"] == currency]
    elif len(curs) > 1:
        raise ParameterError(f"past-due amounts are in several currencies {curs}; make one list "
                             "per currency with currency='CNY' (expected recoveries in different "
                             "currencies do not rank)")
    total = {k: sum(int(v) for v in g) for k, g in aging.groupby("currency")["past_due_minor"]}
    items = past[["customer_id", "currency", "past_due_minor", "outstanding_minor",
                  "worst_dpd"]].reset_index(drop=True)
    items["customer_id"] = items["customer_id"].astype(object)
    feats = behaviour_features(tables, as_of=day, windows=model.card.windows)
    feats = feats.assign(customer_id=feats["customer_id"].astype(object))
    feats = feats[feats["customer_id"].isin(set(items["customer_id"]))]
    p = pd.Series(np.nan, index=feats["customer_id"].to_numpy(), dtype="float64")
    drv = pd.Series("", index=feats["customer_id"].to_numpy(), dtype=object)
    if len(feats):
        p[:] = model.predict_cure(feats)
        drv[:] = model.card.reason_codes(feats, 1)["reason_1"].astype(object).fillna("").to_numpy()
    pc = p.reindex(items["customer_id"]).to_numpy()
    items["score_source"] = np.where(np.isnan(pc), "base_rate", "calibrated_card")
    items["p_cure"] = np.where(np.isnan(pc), model.base_rate, pc)
    items["driver"] = drv.reindex(items["customer_id"]).fillna("").to_numpy()
    pos = np.searchsorted(stages["min_dpd"].to_numpy(), items["worst_dpd"].to_numpy(),
                          side="right") - 1
    items["stage"] = stages["stage"].to_numpy()[pos]
    items["channel"] = stages["channel"].to_numpy()[pos]
    items["expected_recovery_minor"] = np.floor(
        items["past_due_minor"].to_numpy(dtype="float64") * items["p_cure"] + 0.5).astype("int64")
    items = items.sort_values(["channel", "expected_recovery_minor", "past_due_minor",
                               "customer_id"], ascending=[True, False, False, True],
                              kind="stable").reset_index(drop=True)
    items["channel_rank"] = items.groupby("channel").cumcount().astype("int64") + 1
    items = _assign(items, coll, _promised(promises, items, day))
    items["reason"] = _reason_text(items, lang, int(model.card.cure_days))
    items = items.sort_values(["channel", "collector_id", "queue_rank", "channel_rank"],
                              na_position="last", kind="stable").reset_index(drop=True)
    summary = coll.merge(
        items[items["collector_id"].notna()].groupby(["collector_id", "currency"]).agg(
            assigned=("customer_id", "size"), past_due_minor=("past_due_minor", "sum"),
            expected_recovery_minor=("expected_recovery_minor", "sum")).reset_index(),
        on="collector_id", how="left")
    for col in ("assigned", "past_due_minor", "expected_recovery_minor"):
        summary[col] = summary[col].fillna(0).astype("int64")
    return Worklist(items=items, collectors=summary, as_of=day, model_version=model.version,
                    aging_past_due=total)
