"""``creditkit update``: one date of the credit-control cycle, from new exports to a snapshot.

Stages, each timed and shown as its own progress bar:

1. ``load``: the store's tables (migrated to the current schema first), the
   scorecards, rule files and policies to use
   (:func:`~creditkit.update.policies.resolve_artefacts`), and the new
   exports of ``--input`` cleaned and merged (quarantine kept and reported);
2. ``reconcile``: the payments new since the previous update, and the
   unapplied rests still open, matched to the bills still open
   (:func:`~creditkit.update.ledger.reconcile_month`: what earlier dates
   decided stays decided, the store's ``ledger``), so aging counts each
   payment for the customer and bill it paid; the first update of a store,
   or ``reconcile_mode="full"``, reconciles every payment;
3. ``score``: the customer features at ``as_of`` with the stored B and C
   cards (:func:`creditkit.segmentation.customer_features`: scores, dpd,
   outstanding, past due);
4. ``segment``: tiers, tags and value segments by the rule files;
5. ``restrict``: restriction levels and open alerts
   (:mod:`~creditkit.update.concepts`; their columns stay NULL while the
   ``restricted`` and ``alerts`` concepts are not part of creditkit: a NULL
   says "not evaluated", never "none");
6. ``dunning``: the dunning run at ``as_of`` over the stored run history;
7. ``write``: the snapshot, its aggregates, the run record, the dunning
   runs, the quarantine and the merged tables, in one transaction;
8. ``compare``: what changed since the previous snapshot, and whose
   re-evaluation is due.

Nothing reads the clock and every step is deterministic, so the same store,
inputs and date give byte-identical snapshot rows.
"""

from __future__ import annotations

import sys
import tempfile
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from creditkit.checks import check_as_of
from creditkit.exceptions import DataReadError, ParameterError
from creditkit.update.concepts import restrict_stage

__all__ = ["STAGES", "UpdateResult", "build_snapshot", "update"]

#: The stages of an update, in order.
STAGES = ("load", "reconcile", "score", "segment", "restrict", "dunning", "write", "compare")
#: Why a concept's columns are empty (kept in the run record).
NOT_EVALUATED = {
    "restriction_rules": "restriction_level, restriction_reason: not evaluated (the restricted "
                         "concept's levels are not part of this creditkit yet)",
    "alert_rules": "open_alerts, alert_ids: not evaluated (the alerts concept is not part of "
                   "this creditkit yet)"}


@dataclass
class UpdateResult:
    """What :func:`update` did.

    Attributes
    ----------
    as_of : Timestamp
    previous : Timestamp or None
        The latest snapshot before ``as_of`` (the comparison's first date).
    rows : int
        Snapshot rows written.
    comparison : DateComparison or None
        :func:`creditkit.update.compare_snapshots` of the previous snapshot and this one.
    reviews_due : DataFrame
        :func:`creditkit.update.reviews_due`.
    inputs : list of dict
        Per input file: rows in, clean, quarantined, merged, new, replaced.
    quarantine : DataFrame
        The rows held back (also in the store's ``quarantine`` table).
    artefacts : dict
        Kind -> ``{"name", "version", "fingerprint", "source"}``.
    timings : dict
        Stage -> ``{"seconds", "cpu_seconds", "peak_rss_mib"}`` (the process's
        peak memory at the end of the stage: the stage that raises it is the
        one that needs it).
    """

    as_of: pd.Timestamp
    previous: pd.Timestamp | None
    rows: int
    comparison: Any
    reviews_due: pd.DataFrame
    inputs: list[dict]
    quarantine: pd.DataFrame
    artefacts: dict
    timings: dict = field(default_factory=dict)

    def report(self) -> str:
        """The text ``creditkit update`` prints: inputs, changes, reviews due.

        Examples
        --------
        >>> r = UpdateResult(pd.Timestamp("2025-06-30"), None, 3, None, pd.DataFrame(
        ...     columns=["customer_id", "tier", "reason"]), [], pd.DataFrame(), {})
        >>> print(r.report())
        snapshot 2025-06-30: 3 customers written
        first snapshot: nothing to compare with
        re-evaluation due: none
        """
        lines = [f"snapshot {self.as_of.date()}: {self.rows:,} customers written"]
        for f in self.inputs:
            lines.append(f"  input {f['file']} ({f['table']}): {f['rows_in']:,} rows in = "
                         f"{f['clean']:,} clean ({f['new']:,} new, {f['replaced']:,} replaced) "
                         f"+ {f['quarantined']:,} quarantined + {f['merged']:,} merged")
        if len(self.quarantine):
            counts = self.quarantine["reason"].value_counts().sort_index()
            lines.append("  quarantined by reason (kept in the store's quarantine table): "
                         + ", ".join(f"{k} {v:,}" for k, v in counts.items()))
        c = self.comparison
        if c is None:
            lines.append("first snapshot: nothing to compare with")
        else:
            lines.append(f"changes since {self.previous.date()}:")
            for row in c.summary.itertuples(index=False):
                if row.figure == "score_psi":
                    lines.append(f"  score PSI: {row.b:.4f}")
                elif row.figure == "mean_score":
                    lines.append(f"  mean score: {row.a:.1f} -> {row.b:.1f}")
                else:
                    lines.append(f"  {row.figure}: {row.a:,.0f} -> {row.b:,.0f} "
                                 f"({row.change:+,.0f})")
            ch = c.tier_changes
            lines.append(f"  tier changes: {len(ch):,} ("
                         f"{int((ch['direction'] == 'upgrade').sum()):,} up, "
                         f"{int((ch['direction'] == 'downgrade').sum()):,} down)")
            lines.append(f"  limit changes: {len(c.limit_changes):,}; new restrictions: "
                         f"{len(c.new_restrictions):,}; cleared: {len(c.cleared_restrictions):,}")
        due = self.reviews_due
        if len(due):
            by = due.groupby("tier", sort=True).size()
            lines.append(f"re-evaluation due: {len(due):,} customers ("
                         + ", ".join(f"{k} {v:,}" for k, v in by.items()) + "); first: "
                         + ", ".join(due["customer_id"].head(10)))
        else:
            lines.append("re-evaluation due: none")
        return "\n".join(lines)


def _peak_mib() -> float:
    """The process's peak resident memory so far, MiB (NaN where the OS does not say)."""
    try:
        import resource
    except ImportError:  # pragma: no cover - Windows
        return float("nan")
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / (2**20 if sys.platform == "darwin" else 1024)


class _Stages:
    """One progress bar per stage, and its wall and CPU seconds."""

    def __init__(self, progress: bool) -> None:
        self.progress = progress
        self.timings: dict[str, dict[str, float]] = {}

    def run(self, name: str, step: Callable[[], Any]) -> Any:
        bar = None
        if self.progress:
            from tqdm.auto import tqdm

            bar = tqdm(total=1, desc=f"{name:<9}", unit="stage", file=sys.stderr, leave=True)
        t0, c0 = time.perf_counter(), time.process_time()
        try:
            return step()
        finally:
            self.timings[name] = {"seconds": time.perf_counter() - t0,
                                  "cpu_seconds": time.process_time() - c0,
                                  "peak_rss_mib": _peak_mib()}
            if bar is not None:
                bar.update()
                bar.close()


def _terms(bills: pd.DataFrame, ids: pd.Series, day: pd.Timestamp) -> np.ndarray:
    """Days from issue to due of each customer's latest bill issued by ``day`` (NaN without)."""
    b = bills.loc[bills["issue_date"] <= day, ["customer_id", "issue_date", "due_date", "bill_id"]]
    b = b.sort_values(["customer_id", "issue_date", "bill_id"], kind="stable")
    last = b.drop_duplicates("customer_id", keep="last").set_index("customer_id")
    days = (last["due_date"] - last["issue_date"]).dt.days
    return pd.array(days.reindex(ids.to_numpy()).to_numpy(), dtype="Int64")


def build_snapshot(features: pd.DataFrame, *, tiers: pd.DataFrame, tags: pd.DataFrame,
                   segments: pd.DataFrame, dunning_status: pd.DataFrame,
                   cards: Mapping[str, Any], bills: pd.DataFrame,
                   restrictions: pd.DataFrame | None = None,
                   alerts: pd.DataFrame | None = None) -> pd.DataFrame:
    """The rows of one snapshot from the results of the update's stages.

    Parameters
    ----------
    features : DataFrame
        :func:`creditkit.segmentation.customer_features` at ``as_of``.
    tiers, tags, segments : DataFrame
        :func:`~creditkit.segmentation.assign_tiers`,
        :func:`~creditkit.segmentation.assign_tags`,
        :func:`~creditkit.segmentation.value_segments`.
    dunning_status : DataFrame
        ``DunningRun.status`` (``customer_id``, ``level``).
    cards : mapping
        ``{"B": card, "C": card}`` (their ``version``).
    bills : DataFrame
        For the payment term of each customer's latest bill.
    restrictions : DataFrame, optional
        ``customer_id``, ``level``, ``reason`` of the restricted customers;
        when given, the others get level ``none`` (when not, NULL: not evaluated).
    alerts : DataFrame, optional
        One row per open alert: ``customer_id``, ``alert_id``.

    Returns
    -------
    DataFrame
        Columns of the ``snapshots`` table (without ``as_of``), by customer.
    """
    from creditkit.aging.buckets import resolve_buckets

    ids = features["customer_id"].astype(str)
    day = pd.Timestamp(features["as_of"].iloc[0]) if len(features) else pd.NaT
    kind = features["scorecard"].astype(object)
    version = kind.map({k: c.version for k, c in cards.items()})
    t = tiers.set_index("customer_id").reindex(ids)
    seg = segments.set_index("customer_id")["segment"].reindex(ids)
    tag_text = (tags.groupby("customer_id", sort=False)["tag"].agg("|".join).reindex(ids)
                if len(tags) else pd.Series(None, index=ids, dtype=object))
    level = dunning_status.groupby("customer_id")["level"].max().reindex(ids).fillna(0) \
        if len(dunning_status) else pd.Series(0, index=ids)
    buckets = resolve_buckets("days")
    dpd = features["dpd"].to_numpy(np.int64)
    out = pd.DataFrame({
        "customer_id": ids.to_numpy(), "currency": features["currency"].to_numpy(),
        "scorecard": kind.to_numpy(), "scorecard_version": version.to_numpy(),
        "score": features["points"].to_numpy(float), "pd": features["pd"].to_numpy(float),
        "tier": t["tier"].to_numpy(), "tier_rule": t["rule_id"].to_numpy(),
        "tier_values": t["values_seen"].to_numpy(), "value_segment": seg.to_numpy(),
        "tags": tag_text.to_numpy(),
        "restriction_level": None, "restriction_reason": None,
        "limit_minor": features["credit_limit_minor"].to_numpy(),
        "term_days": _terms(bills, ids, day),
        "outstanding_minor": features["outstanding_minor"].to_numpy(np.int64),
        "past_due_minor": features["past_due_minor"].to_numpy(np.int64),
        "dpd": dpd, "bucket": np.asarray(buckets.labels, dtype=object)[buckets.assign(dpd)],
        "open_alerts": pd.array([pd.NA] * len(ids), dtype="Int64"), "alert_ids": None,
        "dunning_level": level.to_numpy(np.int64)})
    if restrictions is not None:  # evaluated: a customer without a level is "none", not NULL
        r = restrictions.set_index("customer_id").reindex(ids)
        out["restriction_level"] = r["level"].fillna("none").to_numpy()
        out["restriction_reason"] = r["reason"].to_numpy()
    if alerts is not None:
        g = alerts.groupby("customer_id")["alert_id"]
        out["open_alerts"] = pd.array(g.size().reindex(ids).fillna(0).to_numpy(), dtype="Int64")
        out["alert_ids"] = g.agg("|".join).reindex(ids).to_numpy()
    return out


def _previous(store: Path, day: pd.Timestamp, rebuild: bool) -> pd.Timestamp | None:
    from creditkit.store import snapshot_dates

    dates = snapshot_dates(store)
    if dates and day < dates[-1] and not rebuild:
        raise ParameterError(
            f"--as-of {day.date()} is earlier than the latest snapshot {dates[-1].date()}; "
            "snapshots are written in date order: pass a later date, or --rebuild to rewrite "
            f"{day.date()} (later snapshots stay as they are until rebuilt in turn)")
    before = [d for d in dates if d < day]
    return before[-1] if before else None


def update(store: str | Path, *, as_of: object, input_dir: str | Path | None = None,
           rebuild: bool = False, artefacts: Mapping[str, str | Path] | None = None,
           progress: bool = False, reconcile_mode: str | None = None) -> UpdateResult:
    """Run one date of the credit-control cycle and store its snapshot.

    Parameters
    ----------
    store : str or Path
        An existing store (``creditkit generate`` or
        :func:`creditkit.store.write_tables`); migrated if older.
    as_of : date-like
        The snapshot date; not earlier than the latest snapshot unless ``rebuild``.
    input_dir : str or Path, optional
        New exports to clean and merge first (:func:`creditkit.update.merge_inputs`).
    rebuild : bool, default False
        Allow rewriting a date before the latest snapshot.
    artefacts : mapping of kind to path, optional
        Scorecards, rule files and policies to use instead of the stored ones
        (kinds in :data:`creditkit.update.ARTEFACT_FILES`); they are stored.
    progress : bool, default False
        A progress bar per stage on stderr.
    reconcile_mode : {"month", "full"}, optional
        ``month`` (the default once the store has a ledger): only payments new
        since the previous update and the rests still open, against the bills
        still open; ``full``: every payment to ``as_of`` against every bill,
        a new basis for the months after (see :mod:`creditkit.update.ledger`).

    Returns
    -------
    UpdateResult

    Raises
    ------
    ParameterError
        ``as_of`` earlier than the latest snapshot without ``rebuild``; a bad date.
    DataReadError
        No store, or an input that cannot be read.
    StoreVersionError
        A store written by a newer creditkit.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> from creditkit.datasets import make_portfolio
    >>> from creditkit.store import write_tables, portfolio_at
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "book.duckdb"
    >>> write_tables(path, make_portfolio(60, seed=2, end="2025-06-30"))
    >>> r = update(path, as_of="2025-05-31")
    >>> r = update(path, as_of="2025-06-30")
    >>> r.rows == len(portfolio_at(path, "2025-06-30")), r.previous.date().isoformat()
    (True, '2025-05-31')
    """
    from creditkit.store import load_portfolio, migrate

    day = check_as_of(as_of)
    path = Path(store)
    if not path.is_file():
        raise DataReadError(f"no creditkit store at {str(path)!r}; make one with `creditkit "
                            "generate --store PATH` or creditkit.store.write_tables(path, "
                            "tables), or pass the path of an existing store")
    stages = _Stages(progress)
    with tempfile.TemporaryDirectory(prefix="creditkit-update-") as work:
        loaded = stages.run("load", lambda: _load(path, day, rebuild, input_dir, artefacts,
                                                  work, migrate, load_portfolio))
        previous, tables, inputs, arts = loaded
        month = stages.run("reconcile", lambda: _reconcile(path, tables, day, arts,
                                                           reconcile_mode))
        ledger = {**tables, "payments": month.payments}
        carried = _carried(path, day, previous)
        cards, features = stages.run("score", lambda: _score(ledger, day, arts, carried))
        tiers, tags, segments = stages.run("segment", lambda: _segment(ledger, features, day,
                                                                        arts))
        kept = stages.run("restrict", lambda: restrict_stage(
            ledger, features, as_of=day, arts=arts, cards=cards,
            carried=carried))
        restrictions, alerts = kept.restrictions, kept.alerts
        run = stages.run("dunning", lambda: _dunning(path, ledger, day, arts))
        snap = build_snapshot(features, tiers=tiers, tags=tags, segments=segments,
                              dunning_status=run.status, cards=cards, bills=tables["bills"],
                              restrictions=restrictions, alerts=alerts)
        state = {"ledger": month.rows, "ledger_runs": pd.DataFrame([month.run]), **kept.state}
        rows = stages.run("write", lambda: _write(path, snap, day, run, inputs, tables, arts,
                                                  state))
        comparison, due = stages.run("compare", lambda: _compare(path, day, previous, arts,
                                                                 tables))
    used = {k: {"name": a["name"], "version": a["version"], "fingerprint": a["fingerprint"],
                "source": a["source"]} for k, a in arts.items()}
    return UpdateResult(day, previous, rows, comparison, due,
                        inputs.files if inputs else [],
                        inputs.quarantine if inputs else pd.DataFrame(), used, stages.timings)


def _load(path, day, rebuild, input_dir, artefacts, work, migrate, load_portfolio):
    from creditkit.update.inputs import merge_inputs
    from creditkit.update.policies import resolve_artefacts

    migrate(path)
    previous = _previous(path, day, rebuild)
    arts = resolve_artefacts(path, artefacts, work)
    tables = load_portfolio(path, wait=30.0)
    inputs = None
    if input_dir is not None:
        inputs = merge_inputs(tables, input_dir, as_of=day)
        tables = inputs.tables
    return previous, tables, inputs, arts


def _carried(path, day, previous):
    from creditkit.store import read_before, read_latest, read_table
    from creditkit.update.concepts import CarriedState

    if previous is None:
        return CarriedState(plans=read_before(path, "recovery_plans", before=day))
    scores = read_table(path, "snapshots", columns=["customer_id", "scorecard", "score"],
                        where=f"as_of = TIMESTAMP '{previous.date()}'", wait=30.0)
    return CarriedState(previous, read_latest(path, "restriction_state", before=day),
                        read_latest(path, "alert_state", before=day),
                        scores.rename(columns={"score": "points"}),
                        read_before(path, "recovery_plans", before=day))


def _reconcile(path, tables, day, arts, mode):
    from creditkit.store import list_tables, read_ledger, read_table
    from creditkit.update.ledger import reconcile_month

    carried = read_ledger(path, before=day)
    decisions = (read_table(path, "reconcile_decisions", wait=30.0)
                 if "reconcile_decisions" in list_tables(path, wait=30.0) else None)
    return reconcile_month(tables, as_of=day, carried=carried, mode=mode, decisions=decisions,
                           rules=arts["reconcile_rules"]["path"])


def _score(ledger, day, arts, carried):
    import warnings

    from creditkit.behaviour import BehaviourCard
    from creditkit.segmentation import customer_features

    cards = {k: BehaviourCard.load(arts[f"card_{k}"]["path"]) for k in ("B", "C")}
    with warnings.catch_warnings():  # other-currency debts are flagged in the features
        warnings.simplefilter("ignore", UserWarning)
        if "alert_rules" in arts:  # the customer features once, with the alerts' columns
            from creditkit.alerts import alert_features

            scores = carried.scores.reindex(columns=["customer_id", "scorecard", "points"])
            features = alert_features(ledger, as_of=day, cards=cards,
                                      previous=scores if len(scores) else None)
        else:
            features = customer_features(ledger, as_of=day, cards=cards)
    return cards, features


def _segment(ledger, features, day, arts):
    from creditkit.segmentation import (
        assign_tags,
        assign_tiers,
        load_tag_rules,
        load_tier_rules,
        load_value_rules,
        rfm_scores,
        rfm_table,
        value_segments,
    )

    tiers = assign_tiers(features, load_tier_rules(arts["tier_rules"]["path"]))
    tags = assign_tags(features, load_tag_rules(arts["tag_rules"]["path"]))
    rfm = rfm_scores(rfm_table(ledger["transactions"], as_of=day,
                               customers=ledger["customers"]))
    segments = value_segments(rfm, load_value_rules(arts["value_rules"]["path"]))
    return tiers, tags, segments


def _dunning(path, ledger, day, arts):
    from creditkit.collections import dunning_run, load_dunning_policy
    from creditkit.store import read_table

    hist = read_table(path, "dunning_history", where=f"run_date < TIMESTAMP '{day.date()}'",
                      wait=30.0)
    for col in ("customer_id", "currency", "event", "reason", "channel", "bill_ids"):
        hist[col] = hist[col].astype(object)
    return dunning_run(ledger["bills"], ledger["payments"], ledger["customers"], as_of=day,
                       policy=load_dunning_policy(arts["dunning_policy"]["path"]),
                       history=hist)


def _write(path, snap, day, run, inputs, tables, arts, state) -> int:
    from creditkit.store import write_update

    hist = run.history.loc[run.history["run_date"] == day]
    art_rows = pd.DataFrame([{k: a[k] for k in ("kind", "name", "version", "fingerprint",
                                                 "content")} for a in arts.values()])
    changed = {name: tables[name] for name in inputs.changed} if inputs else None
    info = {"artefacts": {k: a["fingerprint"] for k, a in arts.items()},
            "inputs": inputs.files if inputs else [],
            "quarantined": len(inputs.quarantine) if inputs else 0,
            "note": "; ".join(v for k, v in NOT_EVALUATED.items() if k not in arts) or None}
    return write_update(path, snap, as_of=day, run=info, dunning_history=hist,
                        quarantine=inputs.quarantine if inputs else None, tables=changed,
                        artefacts=art_rows, state=state)


def _compare(path, day, previous, arts, tables):
    from creditkit.store import portfolio_at, read_table
    from creditkit.update.compare import compare_snapshots
    from creditkit.update.reviews import load_review_policy, reviews_due

    now = portfolio_at(path, day)
    comparison = None if previous is None else compare_snapshots(portfolio_at(path, previous),
                                                                 now)
    policy = load_review_policy(arts["review_policy"]["path"])
    due = reviews_due(now, as_of=day, policy=policy, reviews=read_table(path, "reviews", wait=30.0),
                      customers=tables["customers"])
    return comparison, due
