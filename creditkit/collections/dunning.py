"""Dunning (催收提醒): who is reminded on a date, at which level, through which channel, and why.

How a run decides, per customer and currency (a *sequence*):

1. **What is open** comes from the ledger engine:
   :func:`creditkit.aging.bill_aging` at ``as_of`` (payments, credit notes
   and write-offs applied by the shared allocation rule). A bill under an
   open dispute is left out. The bills *in dunning* are the open,
   undisputed ones whose days past due (dpd, negative before the due date)
   have reached the first level's ``days``.
2. **Where the customer stands** comes from ``history`` (the runs before
   ``as_of``): the level of the customer's last row, or 0 after a ``stopped``
   row. History dated ``as_of`` itself is ignored and written again, so a
   re-run of a date with its own output as history changes nothing.
3. **The level the debt calls for** is the highest level whose ``days`` the
   oldest bill in dunning has reached. The customer moves **one level per
   run** towards it, and **never past the last level** (there they stay:
   ``last_level``). A level on or before the due date reminds of that date:
   once the date has passed it is skipped, so a customer found already
   overdue starts at the first overdue level, not with "falls due on …".
4. **Paid, credited or disputed** bills leave the sequence; a customer with
   a level and nothing left in dunning is **stopped** (reason ``settled`` or
   ``disputed``) and starts again at level 1 when a bill next falls due.
5. **Promises to pay**: from ``promise_date`` to ``pay_by`` the sequence is
   paused. After ``pay_by`` a promise is kept when the customer's cash paid
   in that window reaches the amount: the sequence goes on by rule 3. A
   broken promise resumes it one level above the level it had when the
   promise was made, even before the due days call for it.

Each message covers the customer's open, undisputed bills due by then (for
a level before the due date: due within its days), and its amount is theirs.

Examples
--------
>>> import pandas as pd
>>> d = pd.to_datetime
>>> bills = pd.DataFrame({"bill_id": ["B1"], "invoice_id": ["B1"], "customer_id": ["C1"],
...     "issue_date": d(["2025-01-01"]), "due_date": d(["2025-01-31"]),
...     "amount_minor": [120000], "currency": ["CNY"]})
>>> pays = bills.iloc[:0][["customer_id", "currency"]].assign(
...     payment_id="", paid_date=d([]), amount_minor=0)
>>> customers = pd.DataFrame({"customer_id": ["C1"], "name": ["张三"]})
>>> run = dunning_run(bills, pays, customers, as_of="2025-01-29")
>>> run.actions[["customer_id", "level", "channel", "reason"]].values.tolist()
[['C1', 1, 'sms', 'due_soon']]
>>> print(run.actions["message_en"].iloc[0])
Reminder: Dear 张三, 1 bill(s) totalling CN¥1,200.00 fall due on 2025-01-31. Please pay on time.
>>> later = dunning_run(bills, pays, customers, as_of="2025-01-31", history=run.history)
>>> later.actions[["level", "reason"]].values.tolist()
[[2, 'due_today']]
"""

from __future__ import annotations

import os
import warnings

import numpy as np
import pandas as pd

from creditkit.aging import bill_aging
from creditkit.checks import check_as_of, check_table
from creditkit.collections.dunning_inputs import (
    HISTORY_COLUMNS,
    check_disputes,
    check_history,
    check_promises,
)
from creditkit.collections.dunning_policy import (
    check_dunning_policy,
    load_dunning_policy,
    render_messages,
)
from creditkit.collections.dunning_result import DunningRun
from creditkit.collections.promises import judge_promises, promise_cash
from creditkit.exceptions import ParameterError, SchemaError

__all__ = ["DunningRun", "dunning_run"]

KEY = ["customer_id", "currency"]
STOP_ACTIONS = ("stop_credit", "handover")


def _policy(policy: object) -> pd.DataFrame:
    if policy is None or isinstance(policy, str | os.PathLike):
        return load_dunning_policy(policy)
    if isinstance(policy, pd.DataFrame):
        return check_dunning_policy(policy)
    raise ParameterError(f"policy must be a CSV path, a policy DataFrame or None (the shipped "
                         f"default); got {type(policy).__name__}")


def _names(customers: pd.DataFrame) -> pd.Series:
    """How each customer is addressed, by customer_id: ``salutation``, else ``name``."""
    check_table(customers, ("customer_id", "name"), name="customers",
                fix="the messages address customers by name")
    ids = customers["customer_id"].astype(str)
    if ids.duplicated().any():
        raise SchemaError(f"customers repeats customer_id {ids[ids.duplicated()].iloc[0]!r}; "
                          "dedupe customers first (creditkit.cleaning)")
    name = customers["name"].astype("string").str.strip()
    if "salutation" in customers.columns:
        sal = customers["salutation"].astype("string").str.strip()
        name = sal.where(sal.notna() & (sal != ""), name)
    return pd.Series(name.fillna("").to_numpy(dtype=object), index=ids.to_numpy())


def _state(hist: pd.DataFrame, n: int) -> pd.DataFrame:
    """Per sequence: the current level and the date its current sequence started."""
    if hist.empty:
        return pd.DataFrame({"customer_id": pd.Series([], dtype=object),
                             "currency": pd.Series([], dtype=object),
                             "current": pd.Series([], dtype="int64"),
                             "start": pd.Series([], dtype="datetime64[ns]")})
    h = hist.sort_values("run_date", kind="stable")
    last = h.groupby(KEY, sort=False).tail(1)
    current = np.where(last["event"] == "sent", last["level"], 0)
    if (current > n).any():
        warnings.warn(f"history holds levels up to {int(current.max())} but the policy has {n}; "
                      f"those customers are treated as at the last level ({n})", stacklevel=3)
    stops = h[h["event"] == "stopped"].groupby(KEY)["run_date"].max().rename("start")
    out = last[KEY].assign(current=np.minimum(current, n))
    return out.merge(stops.reset_index(), on=KEY, how="left")


def _level_at(hist: pd.DataFrame, when: pd.DataFrame) -> np.ndarray:
    """The level each (customer, currency) had on ``when.promise_date`` (0 if none)."""
    if hist.empty or when.empty:
        return np.zeros(len(when), dtype=np.int64)
    h = hist.assign(lv=np.where(hist["event"] == "sent", hist["level"], 0))
    h = h.sort_values("run_date", kind="stable")[["run_date", *KEY, "lv"]]
    w = when[[*KEY, "promise_date"]].reset_index().sort_values("promise_date", kind="stable")
    m = pd.merge_asof(w, h, left_on="promise_date", right_on="run_date", by=KEY,
                      direction="backward")
    return m.set_index("index").reindex(when.index)["lv"].fillna(0).astype("int64").to_numpy()


def _promise_state(promises: pd.DataFrame, payments: pd.DataFrame, hist: pd.DataFrame,
                   state: pd.DataFrame, as_of: pd.Timestamp) -> pd.DataFrame:
    """Per sequence: the latest promise of its current sequence, pending, kept or broken."""
    p = promises[promises["promise_date"] <= as_of]
    cols = [*KEY, "promise", "paused_level"]
    if p.empty:
        return pd.DataFrame({c: pd.Series([], dtype="int64" if c == "paused_level" else object)
                             for c in cols})
    p = p.merge(state[[*KEY, "start"]], on=KEY, how="left")
    p = p[p["start"].isna() | (p["promise_date"] > p["start"])]
    p = p.sort_values(["promise_date", "pay_by"], kind="stable").groupby(KEY).tail(1)
    p = p.reset_index(drop=True)
    p["promise"] = judge_promises(p, promise_cash(payments), as_of)["promise"].to_numpy()
    p["paused_level"] = _level_at(hist, p)
    return p[cols]


def _next_level(days: np.ndarray, cur: np.ndarray, goal: np.ndarray,
                worst: np.ndarray) -> np.ndarray:
    """The next level to send: one step up towards ``goal``, over reminders whose date passed.

    A level on or before the due date (days ≤ 0) reminds of a date; once the
    oldest bill is past it (or already in the next level's days) it is
    skipped, so a customer found overdue starts at the first overdue level.
    """
    n = len(days)
    lv = np.arange(1, n + 1)
    nxt = np.append(days[1:], np.iinfo(np.int64).max)
    timely = (days > 0)[None, :] | ((worst[:, None] <= 0) & (worst[:, None] < nxt[None, :]))
    ok = (timely | (lv[None, :] == goal[:, None])) & (lv[None, :] > cur[:, None]) & (
        lv[None, :] <= goal[:, None])
    first = ok.argmax(axis=1) + 1
    return np.where(ok.any(axis=1), first, cur)


def _bills_in_scope(bills, payments, as_of, disputes, first_days, mode):
    ba = bill_aging(bills, payments, as_of=as_of, mode=mode)
    cols = ["bill_id", *KEY, "due_date", "dpd", "outstanding_minor"]
    ba = ba.loc[(ba["outstanding_minor"] > 0).to_numpy() & (ba["dpd"] >= first_days).to_numpy(),
                cols]
    ba = ba.astype({"bill_id": str, "customer_id": str})
    ba["currency"] = ba["currency"].astype(str).str.upper()
    d = disputes[(disputes["dispute_date"] <= as_of)
                 & (disputes["resolved_date"].isna() | (disputes["resolved_date"] > as_of))]
    disputed = ba["bill_id"].isin(set(d["bill_id"]))
    return ba[~disputed], ba[disputed]


def dunning_run(
    bills: pd.DataFrame,
    payments: pd.DataFrame,
    customers: pd.DataFrame,
    *,
    as_of: object,
    policy: str | os.PathLike[str] | pd.DataFrame | None = None,
    history: pd.DataFrame | None = None,
    promises: pd.DataFrame | None = None,
    disputes: pd.DataFrame | None = None,
    mode: str = "fifo",
) -> DunningRun:
    """Run the dunning policy at ``as_of``: who is contacted, at which level, and why.

    The rules are those of the module docstring: one level per run, never
    past the last level, idempotent for a date, paid/credited/disputed bills
    leave the sequence, promises pause it and a broken one resumes it one
    level higher.

    Parameters
    ----------
    bills, payments : DataFrame
        Canonical tables; what is open comes from
        :func:`creditkit.aging.bill_aging` at ``as_of`` (for reconciled
        payments, pass the payments with their customer and bill filled in).
    customers : DataFrame
        ``customer_id``, ``name``; an optional ``salutation`` column says how
        a customer is addressed (张经理, Ms Li) and wins over ``name``.
    as_of : date-like
        The run's date.
    policy : path, DataFrame or None
        The dunning policy (:func:`load_dunning_policy`); ``None`` is the
        shipped default.
    history : DataFrame, optional
        ``DunningRun.history`` of the previous run (see
        :func:`creditkit.collections.dunning_inputs.check_history`).
    promises, disputes : DataFrame, optional
        Promises to pay and disputed bills (see
        :mod:`creditkit.collections.dunning_inputs`).
    mode : {"fifo", "explicit"}, default "fifo"
        The allocation mode of the ledger.

    Returns
    -------
    DunningRun

    Raises
    ------
    ParameterError
        A bad ``as_of`` or policy (naming the policy line), or a history
        holding runs after ``as_of``.
    SchemaError
        A table lacks a column.

    Examples
    --------
    >>> from creditkit.datasets import example_portfolio
    >>> t = example_portfolio()
    >>> run = dunning_run(t["bills"], t["payments"], t["customers"], as_of="2025-06-30")
    >>> run.actions[["customer_id", "level", "reason", "amount_minor"]].values.tolist()
    [['C1', 3, 'overdue', 6000], ['C2', 3, 'overdue', 45000]]
    """
    day = check_as_of(as_of)
    pol = _policy(policy)
    days = pol["days"].to_numpy(dtype=np.int64)
    n = len(days)
    names = _names(customers)
    hist = check_history(history, day)
    live, disp = _bills_in_scope(bills, payments, day, check_disputes(disputes), days[0], mode)
    prom = check_promises(promises, sorted(bills["currency"].astype(str).str.upper().unique()))

    g = live.groupby(KEY, sort=False)
    agg = g.agg(worst=("dpd", "max"), oldest_due=("due_date", "min"),
                amount_minor=("outstanding_minor", "sum"), n_open=("bill_id", "size"))
    agg["past_due_minor"] = live["outstanding_minor"].where(live["dpd"] > 0, 0).groupby(
        [live["customer_id"], live["currency"]]).sum()
    agg = agg.reset_index()
    agg["target"] = np.searchsorted(days, agg["worst"].to_numpy(), side="right")
    state = _state(hist, n)
    s = agg.merge(state, on=KEY, how="outer")
    s = s[s["worst"].notna() | (s["current"].fillna(0) > 0)].copy()
    s["current"] = s["current"].fillna(0).astype("int64")
    s = s.merge(_promise_state(prom, payments, hist, state, day), on=KEY, how="left")
    in_dunning = s["worst"].notna().to_numpy()
    cur = s["current"].to_numpy()
    target = s["target"].fillna(0).astype("int64").to_numpy()
    promise = s["promise"].to_numpy(dtype=object)
    promise = np.where(pd.isna(promise), "", promise)
    broken = promise == "broken"
    paused_level = s["paused_level"].fillna(0).astype("int64").to_numpy()
    goal = np.where(broken, np.maximum(target, np.minimum(paused_level + 1, n)), target)
    new = _next_level(days, cur, goal, s["worst"].fillna(0).to_numpy(dtype=np.int64))
    sent = in_dunning & (promise != "pending") & (new > cur)
    is_disp = pd.MultiIndex.from_frame(s[KEY]).isin(pd.MultiIndex.from_frame(disp[KEY]))
    lvl_days = days[np.clip(new - 1, 0, n - 1)]
    by_days = np.where(lvl_days < 0, "due_soon", np.where(lvl_days == 0, "due_today", "overdue"))
    event = np.select([~in_dunning, promise == "pending", sent], ["stopped", "paused", "sent"],
                      "hold")
    reason = np.select(
        [~in_dunning & is_disp, ~in_dunning, promise == "pending",
         sent & (target <= cur), sent, cur >= n, promise == "kept"],
        ["disputed", "settled", "promise_pending", "promise_broken", by_days, "last_level",
         "promise_kept"], "waiting")
    s["previous_level"] = cur
    s["level"] = np.where(event == "stopped", 0, np.where(sent, new, cur))
    s["event"], s["reason"] = event, reason
    return _assemble(s, live, disp, pol, names, hist, day)


def _joined(ids: np.ndarray, sizes: np.ndarray) -> np.ndarray:
    """The ids of consecutive groups of ``sizes`` rows, each group joined by ", "."""
    if not len(sizes):
        return np.array([], dtype=object)
    starts = np.concatenate([[0], np.cumsum(sizes)[:-1]])
    # object-array reduceat concatenates in C, not one pandas call per customer
    text = np.add.reduceat(np.asarray(ids, dtype=object) + ", ", starts)
    return np.array([t[:-2] for t in text], dtype=object)


def _assemble(s, live, disp, pol, names, hist, day) -> DunningRun:
    n = len(pol)
    s = s.sort_values(KEY, kind="stable").reset_index(drop=True)
    lv = s["level"].to_numpy()
    at = np.clip(lv - 1, 0, n - 1)
    s["channel"] = np.where(s["event"] == "sent", pol["channel"].to_numpy()[at], "")
    s["action"] = np.where(lv > 0, pol["action"].to_numpy()[at], "")
    stop_from = np.flatnonzero(pol["action"].isin(STOP_ACTIONS).to_numpy())
    s["credit_stopped"] = (lv >= stop_from[0] + 1) if len(stop_from) else False
    disp_sum = disp.groupby(KEY)["outstanding_minor"].sum().rename("disputed_minor")
    s = s.merge(disp_sum.reset_index(), on=KEY, how="left")
    for col in ("amount_minor", "past_due_minor", "disputed_minor", "n_open"):
        s[col] = s[col].fillna(0).astype("int64")
    nxt = np.clip(lv, 0, n - 1)
    next_on = s["oldest_due"] + pd.to_timedelta(pol["days"].to_numpy()[nxt], unit="D")
    next_on = next_on.where(next_on > day, day + pd.Timedelta(days=1))
    s["next_level_on"] = next_on.where((lv < n) & (s["event"] != "stopped"))
    s["name"] = names.reindex(s["customer_id"]).fillna("").to_numpy()

    # the bills each message covers: due by the level's day (within it, before the due date)
    snt = s[s["event"] == "sent"]
    cov = live.merge(snt[[*KEY, "level"]], on=KEY)
    floor = np.minimum(pol["days"].to_numpy()[cov["level"].to_numpy() - 1], 0)
    cov = cov[cov["dpd"].to_numpy() >= floor]
    cov = cov.sort_values([*KEY, "due_date", "bill_id"], kind="stable").reset_index(drop=True)
    gc = cov.groupby(KEY, sort=False)
    per = gc.agg(amount_minor=("outstanding_minor", "sum"), n_bills=("bill_id", "size"),
                 due_date=("due_date", "min"), dpd=("dpd", "max"))
    per["bill_ids"] = _joined(cov["bill_id"].to_numpy(dtype=object), per["n_bills"].to_numpy())
    per["past_due_minor"] = cov["outstanding_minor"].where(cov["dpd"] > 0, 0).groupby(
        [cov["customer_id"], cov["currency"]]).sum()
    acts = snt[[*KEY, "name", "level", "previous_level", "channel", "action", "reason"]].merge(
        per.reset_index(), on=KEY, how="left").reset_index(drop=True)
    acts.insert(0, "run_date", day)
    acts = acts[["run_date", *KEY, "name", "level", "previous_level", "channel", "action",
                 "reason", "dpd", "due_date", "n_bills", "bill_ids", "amount_minor",
                 "past_due_minor"]].astype({"n_bills": "int64", "dpd": "int64",
                                            "amount_minor": "int64", "past_due_minor": "int64"})
    acts["message_zh"] = render_messages(acts, pol, "zh", day) if len(acts) else []
    acts["message_en"] = render_messages(acts, pol, "en", day) if len(acts) else []

    rows = s[s["event"].isin(["sent", "stopped"])][
        [*KEY, "level", "previous_level", "event", "reason", "channel"]].merge(
        acts[[*KEY, "amount_minor", "bill_ids"]], on=KEY, how="left")
    rows = rows.assign(run_date=day, amount_minor=rows["amount_minor"].fillna(0).astype("int64"),
                       bill_ids=rows["bill_ids"].fillna(""))[list(HISTORY_COLUMNS)]
    history = (pd.concat([hist, rows], ignore_index=True) if len(hist) else rows)
    history = history.astype({"level": "int64", "previous_level": "int64",
                              "amount_minor": "int64", "run_date": "datetime64[ns]"})
    status = s[[*KEY, "name", "previous_level", "level", "event", "reason", "channel", "action",
                "worst", "amount_minor", "past_due_minor", "disputed_minor", "n_open",
                "next_level_on", "credit_stopped"]].rename(
        columns={"worst": "dpd", "n_open": "n_bills"}).astype({"dpd": "Int64"})
    covered = cov[[*KEY, "bill_id", "due_date", "dpd", "outstanding_minor"]]
    return DunningRun(as_of=day, policy=pol, actions=acts, covered=covered,
                      status=status.reset_index(drop=True), history=history.reset_index(drop=True))
