"""creditkit update: idempotent dates, date order, inputs cleaned, what produced a date."""

from __future__ import annotations

import shutil
from pathlib import Path

import duckdb
import pandas as pd
import pytest

from creditkit.datasets import make_portfolio
from creditkit.exceptions import ParameterError, SchemaError
from creditkit.store import (
    credit_file,
    fingerprint,
    list_artefacts,
    load_portfolio,
    portfolio_aggregates,
    portfolio_at,
    read_artefact,
    read_meta,
    read_table,
    run_info,
    snapshot_dates,
    write_tables,
)
from creditkit.update import STAGES, compare_dates, update
from creditkit.update.concepts import available

MAY, JUNE = "2025-05-31", "2025-06-30"


@pytest.fixture(scope="module")
def two_months(tmp_path_factory) -> Path:
    """A 250-customer store updated at the end of May and of June."""
    path = tmp_path_factory.mktemp("upd") / "book.duckdb"
    write_tables(path, make_portfolio(250, seed=12, kind="mixed", start="2024-01-01", end=JUNE))
    update(path, as_of=MAY)
    update(path, as_of=JUNE)
    return path


@pytest.fixture
def book(two_months, tmp_path) -> Path:
    path = tmp_path / "book.duckdb"
    shutil.copy(two_months, path)
    return path


def _raw_rows(path: Path, day: str) -> list[tuple]:
    con = duckdb.connect(str(path), read_only=True)
    try:
        return con.execute("SELECT * FROM snapshots WHERE as_of = ? ORDER BY customer_id",
                           [pd.Timestamp(day).to_pydatetime()]).fetchall()
    finally:
        con.close()


def test_a_rerun_of_a_date_gives_byte_identical_rows_and_leaves_other_dates(book):
    may, june = _raw_rows(book, MAY), _raw_rows(book, JUNE)
    hist = read_table(book, "dunning_history")
    result = update(book, as_of=JUNE)
    assert _raw_rows(book, JUNE) == june  # floats included: the same bits
    assert repr(_raw_rows(book, JUNE)) == repr(june)
    assert _raw_rows(book, MAY) == may
    pd.testing.assert_frame_equal(read_table(book, "dunning_history"), hist)  # not doubled
    assert result.rows == len(june) and result.previous == pd.Timestamp(MAY)
    assert list(result.timings) == list(STAGES)


def test_the_snapshot_holds_the_credit_file_of_every_customer(two_months):
    snap = portfolio_at(two_months, JUNE)
    customers = load_portfolio(two_months)["customers"]
    assert set(snap["customer_id"]) == set(customers.loc[customers["open_date"] <= JUNE,
                                                          "customer_id"])
    assert snap["tier"].notna().all() and snap["score"].notna().all()
    assert set(snap["scorecard_version"]) <= {"B-shipped-1", "C-shipped-1"}
    assert (snap.loc[snap["dpd"] > 0, "scorecard"] == "C").all()
    assert (snap["past_due_minor"] <= snap["outstanding_minor"]).all()
    assert snap.loc[snap["dpd"] <= 0, "bucket"].eq("current").all()
    here = available()
    note = run_info(two_months, as_of=JUNE)["note"] or ""
    if "restriction_rules" in here:
        assert snap["restriction_level"].notna().all()
        restricted = snap["restriction_level"] != "none"
        assert snap.loc[restricted, "restriction_reason"].notna().all()
        assert (snap.loc[snap["dpd"] >= 90, "restriction_level"] == "stop").all()
    else:  # not evaluated: NULL, never "none", and the run record says why
        assert snap["restriction_level"].isna().all() and "restriction_level" in note
    if "alert_rules" in here:
        assert snap["open_alerts"].notna().all() and (snap["open_alerts"] >= 0).all()
        has = snap["open_alerts"] > 0
        assert (snap.loc[has, "alert_ids"].str.count(r"\|") + 1
                == snap.loc[has, "open_alerts"]).all()
    else:
        assert snap["open_alerts"].isna().all() and "open_alerts" in note
    agg = portfolio_aggregates(two_months)
    june = agg[agg["as_of"] == JUNE]
    for cur, rows in snap.groupby("currency"):
        whole = june[(june["currency"] == cur) & june["grp"].isna()].set_index("measure")["value"]
        assert whole["outstanding_minor"] == rows["outstanding_minor"].sum()
        assert whole["customers"] == len(rows)
        by_tier = june[(june["currency"] == cur) & (june["measure"] == "outstanding_by_tier")]
        assert by_tier["value"].sum() == rows["outstanding_minor"].sum()


def test_an_earlier_date_is_refused_unless_rebuilt(book):
    june = _raw_rows(book, JUNE)
    with pytest.raises(ParameterError, match=r"2025-04-30 is earlier than the latest snapshot "
                                             r"2025-06-30.*--rebuild"):
        update(book, as_of="2025-04-30")
    assert [d.strftime("%m") for d in snapshot_dates(book)] == ["05", "06"]
    update(book, as_of="2025-04-30", rebuild=True)
    assert [d.strftime("%m") for d in snapshot_dates(book)] == ["04", "05", "06"]
    assert _raw_rows(book, JUNE) == june


def test_every_date_says_what_produced_it(two_months, tmp_path):
    info = run_info(two_months, as_of=JUNE)
    stored = list_artefacts(two_months)
    assert set(info["artefacts"]) == set(stored["kind"])
    for kind, fp in info["artefacts"].items():
        art = read_artefact(two_months, kind, fp)
        assert art is not None and art["fingerprint"] == fp
    card = read_artefact(two_months, "card_B", as_of=JUNE)
    assert card["version"] == "B-shipped-1"
    assert info["data_fingerprint"] and info["creditkit_version"]
    # a tier rule file of the analyst's is used, stored, and named by the new date
    path = tmp_path / "book.duckdb"
    shutil.copy(two_months, path)
    from creditkit.rules import shipped_rules_path

    mine = tmp_path / "my_tiers.csv"
    text = shipped_rules_path("creditkit.segmentation", "tier_rules.csv").read_text("utf-8")
    mine.write_text(text + "\n", encoding="utf-8")
    r = update(path, as_of="2025-07-31", artefacts={"tier_rules": mine})
    assert r.artefacts["tier_rules"]["source"] == "given"
    july = run_info(path, as_of="2025-07-31")["artefacts"]["tier_rules"]
    assert july != info["artefacts"]["tier_rules"]
    assert read_artefact(path, "tier_rules", as_of=JUNE)["fingerprint"] == \
        info["artefacts"]["tier_rules"]
    # the next run without the option uses the stored (latest) one
    r = update(path, as_of="2025-08-31")
    assert r.artefacts["tier_rules"] == {**r.artefacts["tier_rules"], "source": "stored",
                                         "fingerprint": july}


def test_inputs_go_through_the_cleaning_and_nothing_is_lost(book, tmp_path):
    exports = tmp_path / "exports"
    exports.mkdir()
    pays = load_portfolio(book)["payments"]
    cust = pays.dropna(subset=["customer_id"])["customer_id"].iloc[0]
    (exports / "payments_2025-07.csv").write_text(
        "payment_id,customer_id,paid_date,amount,currency,kind,channel\n"
        f"PJUL1,{cust},2025-07-15,123.45,CNY,payment,bank_transfer\n"
        f"PJUL2,{cust},,10.00,CNY,payment,bank_transfer\n"
        f"PJUL1,{cust},2025-07-15,123.45,CNY,payment,bank_transfer\n", encoding="utf-8")
    before = read_meta(book)["fingerprint"]
    assert run_info(book, as_of=JUNE)["data_fingerprint"] == before
    r = update(book, as_of="2025-07-31", input_dir=exports)
    # the store's data fingerprint (what a report's manifest quotes) follows the merge
    now = read_meta(book)["fingerprint"]
    assert now != before and now == fingerprint(load_portfolio(book))
    assert run_info(book, as_of="2025-07-31")["data_fingerprint"] == now
    f = r.inputs[0]
    assert (f["rows_in"], f["clean"], f["quarantined"], f["merged"]) == (3, 1, 1, 1)
    assert f["new"] == 1 and f["replaced"] == 0
    after = load_portfolio(book)["payments"]
    assert len(after) == len(pays) + 1
    assert int(after.loc[after["payment_id"] == "PJUL1", "amount_minor"].iloc[0]) == 12345
    q = read_table(book, "quarantine")
    assert q["reason"].tolist() == r.quarantine["reason"].tolist() and len(q) == 1
    assert q["source_line"].tolist() == [3]
    assert run_info(book, as_of="2025-07-31")["inputs"][0]["file"] == "payments_2025-07.csv"
    assert "quarantined by reason" in r.report()
    # the same inputs again: nothing doubled, same rows
    rows = _raw_rows(book, "2025-07-31")
    update(book, as_of="2025-07-31", input_dir=exports)
    assert len(load_portfolio(book)["payments"]) == len(pays) + 1
    assert _raw_rows(book, "2025-07-31") == rows
    assert len(read_table(book, "quarantine")) == 1


def test_credit_file_and_comparison_tell_the_same_story(two_months):
    c = compare_dates(two_months, MAY, JUNE)
    may, june = portfolio_at(two_months, MAY), portfolio_at(two_months, JUNE)
    assert int(c.migration.to_numpy().sum()) == len(set(may["customer_id"])
                                                   | set(june["customer_id"]))
    moved = c.tier_changes.iloc[0]
    f = credit_file(two_months, moved["customer_id"])
    tier = f.changes[(f.changes["field"] == "tier") & (f.changes["as_of"] == JUNE)].iloc[0]
    assert (tier["before"], tier["after"]) == (moved["tier_from"], moved["tier_to"])
    assert f"tier_rule={moved['rule_to']}" in tier["reason"]
    assert f.history["as_of"].dt.strftime("%m").tolist() == ["05", "06"]
    assert 0 <= c.psi < 0.25
    s = c.summary.set_index("figure")
    assert s.loc["outstanding_minor", "b"] == june["outstanding_minor"].sum()


def test_the_command_line(book, capsys):
    from creditkit.cli import main

    assert main(["update", "--store", str(book), "--as-of", "2025-07-31", "--no-progress"]) == 0
    out = capsys.readouterr().out
    assert "snapshot 2025-07-31" in out and "changes since 2025-06-30" in out
    assert "re-evaluation due" in out
    assert main(["update", "--store", str(book), "--as-of", MAY, "--no-progress"]) == 2
    assert "--rebuild" in capsys.readouterr().err
    assert main(["update", "--store", str(book), "--as-of", "2025-08-31",
                 "--input", str(book.parent / "nothing")]) == 2
    assert "is not a folder" in capsys.readouterr().err


def test_a_recorded_review_takes_the_customer_off_the_due_list(book):
    from creditkit.store import record_reviews

    r = update(book, as_of="2025-07-31")
    due = r.reviews_due
    assert len(due) and set(due["reason"]) <= {"never_reviewed", "review_due"}
    who = due["customer_id"].iloc[0]
    record_reviews(book, pd.DataFrame({"customer_id": [who], "review_date": ["2025-07-20"],
                                       "reviewer": ["王"], "outcome": ["limit kept"]}))
    again = update(book, as_of="2025-07-31")
    assert who not in set(again.reviews_due["customer_id"])
    assert len(again.reviews_due) == len(due) - 1
    f = credit_file(book, who)
    assert f.reviews["outcome"].tolist() == ["limit kept"]
    with pytest.raises(SchemaError, match="lack a customer_id or a readable review_date"):
        record_reviews(book, pd.DataFrame({"customer_id": [who], "review_date": ["soon"]}))


def test_the_command_line_asks_for_a_full_reconciliation(book):
    from creditkit.cli import main

    assert main(["update", "--store", str(book), "--as-of", JUNE, "--no-progress",
                 "--reconcile", "full"]) == 0
    runs = read_table(book, "ledger_runs").set_index("as_of")["mode"]
    assert runs[pd.Timestamp(MAY)] == "full" and runs[pd.Timestamp(JUNE)] == "full"
