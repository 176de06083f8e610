"""Dunning runs: one level per run, idempotent dates, stops, promises, messages, amounts."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from creditkit.aging import bill_aging, customer_aging
from creditkit.collections import DunningRun, check_dunning_policy, dunning_run, load_dunning_policy
from creditkit.exceptions import CreditkitError, ParameterError, SchemaError
from creditkit.money import format_minor

DUE = pd.Timestamp("2025-01-31")
CUSTOMERS = pd.DataFrame({"customer_id": ["A", "B"], "name": ["张三", "李四"]})
N_LEVELS = len(load_dunning_policy())


def day(dpd: int) -> pd.Timestamp:
    """The date on which a bill due on DUE is ``dpd`` days past due."""
    return DUE + pd.Timedelta(days=dpd)


def bills(*rows: tuple) -> pd.DataFrame:
    """Bills from (bill_id, customer_id, due_date, amount_minor[, currency])."""
    recs = [dict(zip(["bill_id", "customer_id", "due_date", "amount_minor", "currency"],
                     (*r, "CNY")[:5], strict=True)) for r in rows]
    df = pd.DataFrame(recs)
    df["invoice_id"] = df["bill_id"]
    df["issue_date"] = pd.Timestamp("2025-01-01")
    df["due_date"] = pd.to_datetime(df["due_date"])
    return df.astype({"amount_minor": "int64"})


def payments(*rows: tuple) -> pd.DataFrame:
    """Payments from (payment_id, customer_id, paid_date, amount_minor[, kind])."""
    cols = ["payment_id", "customer_id", "paid_date", "amount_minor", "kind"]
    recs = [dict(zip(cols, (*r, "payment")[:5], strict=True)) for r in rows]
    df = pd.DataFrame(recs, columns=cols)
    df["currency"] = "CNY"
    df["paid_date"] = pd.to_datetime(df["paid_date"])
    return df.astype({"amount_minor": "int64"})


ONE_BILL = bills(("B1", "A", DUE, 100_000))
NO_PAY = payments()


def chain(dates, b=ONE_BILL, p=NO_PAY, **kw) -> list[DunningRun]:
    """Runs on each date, each passed the history of the one before."""
    runs, history = [], kw.pop("history", None)
    for d in dates:
        run = dunning_run(b, p, CUSTOMERS, as_of=d, history=history, **kw)
        runs.append(run)
        history = run.history
    return runs


def level_of(run: DunningRun, customer: str = "A") -> int:
    row = run.status[run.status["customer_id"] == customer]
    return int(row["level"].iloc[0]) if len(row) else 0


# --- one level per run, never past the last --------------------------------------------------
def test_the_shipped_ladder_is_walked_one_level_per_run():
    runs = chain([day(-3), day(0), day(7), day(15), day(30), day(60), day(90)])
    assert [level_of(r) for r in runs] == [1, 2, 3, 4, 5, 6, 6]
    assert [r.actions["reason"].tolist() for r in runs[:3]] == [
        ["due_soon"], ["due_today"], ["overdue"]]
    assert [r.actions["channel"].tolist() for r in runs[:6]] == [
        ["sms"], ["sms"], ["sms+email"], ["call"], ["letter"], ["legal"]]
    last = runs[-1]
    assert last.actions.empty and last.status["reason"].tolist() == ["last_level"]


def test_a_customer_far_past_due_climbs_one_level_per_run():
    # 100 days past due calls for level 6; each run raises one level only
    runs = chain([day(100 + i) for i in range(6)])
    assert [level_of(r) for r in runs] == [3, 4, 5, 6, 6, 6]
    sent = pd.concat([r.actions for r in runs])
    assert (sent["level"] - sent["previous_level"]).isin([1, 3]).all()
    # the reminders of a date already past (-3, due day) are skipped, never sent late
    assert not sent["message_en"].str.contains("fall due on|due today").any()


def test_one_step_per_run_with_a_policy_of_overdue_levels_only():
    policy = load_dunning_policy().drop(columns="line").iloc[2:].reset_index(drop=True)
    policy["level"] = range(1, len(policy) + 1)
    runs = chain([day(200 + i) for i in range(6)], policy=policy)
    assert [level_of(r) for r in runs] == [1, 2, 3, 4, 4, 4]
    assert runs[-1].status["reason"].tolist() == ["last_level"]


def test_waiting_until_the_next_level_is_due():
    runs = chain([day(7), day(8), day(14), day(15)])
    assert [level_of(r) for r in runs] == [3, 3, 3, 4]
    assert runs[1].status["reason"].tolist() == ["waiting"]
    assert runs[1].status["next_level_on"].tolist() == [day(15)]


def test_history_past_the_policy_is_held_at_the_last_level():
    h = chain([day(-3)])[0].history.assign(level=9)
    with pytest.warns(UserWarning, match="treated as at the last level"):
        run = dunning_run(ONE_BILL, NO_PAY, CUSTOMERS, as_of=day(100), history=h)
    assert run.actions.empty and level_of(run) == N_LEVELS


# --- idempotent dates --------------------------------------------------------------------------
def test_rerunning_a_date_with_its_own_output_changes_nothing():
    _, second = chain([day(-3), day(0)])
    again = dunning_run(ONE_BILL, NO_PAY, CUSTOMERS, as_of=day(0), history=second.history)
    for a, b in ((second.actions, again.actions), (second.status, again.status),
                 (second.history, again.history)):
        pd.testing.assert_frame_equal(a, b)
    assert len(again.history) == 2 and level_of(again) == 2


def test_idempotent_on_a_generated_portfolio(small_portfolio):
    t = small_portfolio
    history = None
    for d in pd.date_range("2025-05-01", "2025-06-30", freq="14D"):
        run = dunning_run(t["bills"], t["payments"], t["customers"], as_of=d, history=history)
        rerun = dunning_run(t["bills"], t["payments"], t["customers"], as_of=d,
                            history=run.history)
        pd.testing.assert_frame_equal(run.history, rerun.history)
        pd.testing.assert_frame_equal(run.actions, rerun.actions)
        step = run.actions["level"] - run.actions["previous_level"]
        assert (step >= 1).all() and (run.actions["level"] <= N_LEVELS).all()
        history = run.history
    assert len(history) > 0


def test_history_after_as_of_is_refused():
    later = chain([day(10)])[0].history
    with pytest.raises(ParameterError, match="history holds runs after as_of"):
        dunning_run(ONE_BILL, NO_PAY, CUSTOMERS, as_of=day(5), history=later)


# --- paid, credited or disputed bills stop the sequence ----------------------------------------
@pytest.mark.parametrize("kind", ["payment", "credit_note", "write_off"])
def test_settling_the_bills_stops_the_sequence(kind):
    pay = payments(("P1", "A", day(8), 100_000, kind))
    runs = chain([day(7), day(9), day(16)], p=pay)
    assert [level_of(r) for r in runs] == [3, 0, 0]
    stop = runs[1]
    assert stop.actions.empty
    assert stop.status[["event", "reason"]].values.tolist() == [["stopped", "settled"]]
    assert runs[1].history["event"].tolist() == ["sent", "stopped"]
    assert len(runs[2].history) == 2 and runs[2].status.empty  # nothing left to record


def test_a_new_bill_after_a_stop_starts_a_new_sequence():
    b = bills(("B1", "A", DUE, 100_000), ("B2", "A", day(40), 50_000))
    pay = payments(("P1", "A", day(8), 100_000))
    runs = chain([day(7), day(9), day(37), day(40)], b=b, p=pay)
    assert [level_of(r) for r in runs] == [3, 0, 1, 2]
    assert runs[2].actions["bill_ids"].tolist() == ["B2"]


def test_a_partial_payment_lowers_the_amount_and_keeps_the_level():
    pay = payments(("P1", "A", day(10), 30_000))
    runs = chain([day(7), day(15)], p=pay)
    assert [level_of(r) for r in runs] == [3, 4]
    assert runs[1].actions["amount_minor"].tolist() == [70_000]


def test_a_dispute_stops_the_sequence_until_it_is_resolved():
    disputes = pd.DataFrame({"bill_id": ["B1"], "dispute_date": [day(9)],
                             "resolved_date": [day(20)]})
    runs = chain([day(7), day(10), day(16), day(21)], disputes=disputes)
    assert [level_of(r) for r in runs] == [3, 0, 0, 3]
    assert runs[1].status[["event", "reason"]].values.tolist() == [["stopped", "disputed"]]
    assert runs[1].status["disputed_minor"].tolist() == [100_000]


def test_a_disputed_bill_leaves_the_message_but_the_others_stay():
    b = bills(("B1", "A", DUE, 100_000), ("B2", "A", day(-5), 20_000))
    disputes = pd.DataFrame({"bill_id": ["B1"], "dispute_date": [day(1)]})
    run = dunning_run(b, NO_PAY, CUSTOMERS, as_of=day(7), disputes=disputes)
    assert run.covered["bill_id"].tolist() == ["B2"]
    assert run.actions["amount_minor"].tolist() == [20_000]


# --- promises to pay ---------------------------------------------------------------------------
def promise(pay_by: int, amount: int, made: int = 8) -> pd.DataFrame:
    return pd.DataFrame({"customer_id": ["A"], "promise_date": [day(made)],
                         "pay_by": [day(pay_by)], "amount_minor": [amount]})


def test_a_pending_promise_pauses_the_sequence():
    runs = chain([day(7), day(16), day(20)], promises=promise(pay_by=20, amount=40_000))
    assert [level_of(r) for r in runs] == [3, 3, 3]  # 16 dpd calls for level 4: paused
    assert runs[1].actions.empty
    assert runs[1].status[["event", "reason"]].values.tolist() == [["paused", "promise_pending"]]


def test_a_kept_promise_holds_the_level_and_a_broken_one_resumes_one_level_higher():
    kept_pay = payments(("P1", "A", day(11), 40_000))
    kept = chain([day(7), day(10), day(13)], p=kept_pay, promises=promise(12, 40_000))
    broken_pay = payments(("P1", "A", day(11), 39_999))
    broken = chain([day(7), day(10), day(13), day(14)], p=broken_pay,
                   promises=promise(12, 40_000))
    # 13 days past due calls for level 3 only: the broken promise alone raises the level
    assert [level_of(r) for r in kept] == [3, 3, 3]
    assert kept[-1].status["reason"].tolist() == ["promise_kept"]
    assert [level_of(r) for r in broken] == [3, 3, 4, 4]
    assert broken[2].actions[["level", "reason"]].values.tolist() == [[4, "promise_broken"]]
    assert broken[3].status["reason"].tolist() == ["waiting"]  # one step, once


def test_a_broken_promise_never_goes_past_the_last_level():
    runs = chain([day(60 + i) for i in range(5)])
    assert level_of(runs[-1]) == N_LEVELS
    p = promise(pay_by=70, amount=1, made=66)
    after = dunning_run(ONE_BILL, NO_PAY, CUSTOMERS, as_of=day(71), history=runs[-1].history,
                        promises=p)
    assert after.actions.empty and level_of(after) == N_LEVELS


# --- messages and amounts ----------------------------------------------------------------------
def test_messages_are_filled_in_both_languages_with_money_formatted():
    b = bills(("B1", "A", DUE, 123_456), ("B2", "B", DUE, 5_000, "USD"))
    cust = CUSTOMERS.assign(salutation=["张经理", None])
    run = dunning_run(b, NO_PAY, cust, as_of=day(7))
    a = run.actions.set_index("customer_id")
    assert format_minor(123_456, "CNY", lang="zh") in a.loc["A", "message_zh"]
    assert format_minor(123_456, "CNY", lang="en") in a.loc["A", "message_en"]
    assert "US$50.00" in a.loc["B", "message_en"]
    assert a.loc["A", "message_zh"].startswith("【逾期提醒】尊敬的张经理")  # salutation wins
    assert "李四" in a.loc["B", "message_zh"]  # else the name
    assert "7" in a.loc["A", "message_en"] and "B1" in a.loc["A", "message_en"]
    assert not any("尊敬" in m or "{" in m for m in a["message_en"])


def test_the_report_table_masks_names_and_speaks_one_language():
    run = dunning_run(ONE_BILL, NO_PAY, CUSTOMERS, as_of=day(30), history=None)
    zh = run.table(lang="zh")
    en = run.table(lang="en")
    assert zh["name"].tolist() == ["张*"] and "张*" in zh["dunning_message"].iloc[0]
    assert "张三" not in "".join(zh.astype(str).to_numpy().ravel())
    assert en["channel"].tolist() == ["SMS + E-mail"]
    assert zh["channel"].tolist() == ["短信 + 电子邮件"]
    assert en["dunning_message"].iloc[0].startswith("Dear 张*")
    assert run.table(lang="zh", mask=False)["name"].tolist() == ["张三"]


def test_a_customer_without_a_name_is_addressed_as_customer():
    run = dunning_run(bills(("B1", "Z", DUE, 100)), NO_PAY, CUSTOMERS, as_of=day(7))
    assert "尊敬的客户" in run.actions["message_zh"].iloc[0]
    assert "Dear Customer" in run.actions["message_en"].iloc[0]


def test_covered_bills_add_up_to_the_customers_overdue_amount(small_portfolio):
    t = small_portfolio
    as_of = pd.Timestamp("2025-06-30")
    run = dunning_run(t["bills"], t["payments"], t["customers"], as_of=as_of)
    assert len(run.actions) > 10
    cov = run.covered.groupby(["customer_id", "currency"])["outstanding_minor"].sum()
    acts = run.actions.set_index(["customer_id", "currency"])
    assert cov.reindex(acts.index).tolist() == acts["amount_minor"].tolist()
    ca = customer_aging(t["bills"], t["payments"], as_of=as_of).set_index(
        ["customer_id", "currency"])
    assert acts["past_due_minor"].tolist() == ca.loc[acts.index, "past_due_minor"].tolist()
    # and what is covered besides past due is exactly what falls due in the level's window
    ba = bill_aging(t["bills"], t["payments"], as_of=as_of)
    ba = ba[(ba["outstanding_minor"] > 0) & (ba["dpd"] <= 0)]
    days = load_dunning_policy()["days"].to_numpy()
    floor = np.minimum(days[acts["level"].to_numpy() - 1], 0)
    soon = [int(ba[(ba["customer_id"] == c) & (ba["currency"] == cur) & (ba["dpd"] >= f)]
                ["outstanding_minor"].sum()) for (c, cur), f in zip(acts.index, floor, strict=True)]
    assert (acts["amount_minor"] - acts["past_due_minor"]).tolist() == soon


def test_each_currency_is_its_own_sequence():
    b = bills(("B1", "A", DUE, 100_000), ("B2", "A", day(-20), 7_000, "USD"))
    run = dunning_run(b, NO_PAY, CUSTOMERS, as_of=day(7))
    assert run.actions[["currency", "level", "amount_minor"]].values.tolist() == [
        ["CNY", 3, 100_000], ["USD", 3, 7_000]]  # each from its own level 0


def test_stop_credit_from_the_letter_level_on():
    runs = chain([day(30 + i) for i in range(4)])
    assert [bool(r.status["credit_stopped"].iloc[0]) for r in runs] == [False, False, True, True]


def test_inputs_are_not_mutated():
    b, p, c = ONE_BILL.copy(), payments(("P1", "A", day(3), 10)), CUSTOMERS.copy()
    before = [b.copy(), p.copy(), c.copy()]
    chain([day(7), day(15)], b=b, p=p)
    for x, y in zip([b, p, c], before, strict=True):
        pd.testing.assert_frame_equal(x, y)


def test_a_summary_counts_customers_and_money_per_level(small_portfolio):
    t = small_portfolio
    run = dunning_run(t["bills"], t["payments"], t["customers"], as_of="2025-06-30")
    s = run.summary()
    assert s["customers"].sum() == len(run.status)
    assert s["amount_minor"].sum() == run.status["amount_minor"].sum()


# --- bad input -----------------------------------------------------------------------------------
def test_customers_without_a_name_column_are_refused():
    with pytest.raises(SchemaError, match=r"missing column\(s\) \['name'\] in customers"):
        dunning_run(ONE_BILL, NO_PAY, CUSTOMERS[["customer_id"]], as_of=day(7))


def test_repeated_customers_are_refused():
    with pytest.raises(SchemaError, match="repeats customer_id 'A'"):
        dunning_run(ONE_BILL, NO_PAY, pd.concat([CUSTOMERS, CUSTOMERS]), as_of=day(7))


def test_a_policy_of_the_wrong_type_is_refused():
    with pytest.raises(ParameterError, match="policy must be a CSV path"):
        dunning_run(ONE_BILL, NO_PAY, CUSTOMERS, as_of=day(7), policy=42)


def test_a_policy_frame_is_checked_like_a_file():
    bad = load_dunning_policy().drop(columns="line")
    bad.loc[1, "days"] = -5
    with pytest.raises(CreditkitError, match="policy line 3: days -5 is not after"):
        dunning_run(ONE_BILL, NO_PAY, CUSTOMERS, as_of=day(7), policy=bad)
    assert len(check_dunning_policy(load_dunning_policy())) == N_LEVELS


def test_a_bad_as_of_is_refused():
    with pytest.raises(ParameterError, match="as_of must be a date"):
        dunning_run(ONE_BILL, NO_PAY, CUSTOMERS, as_of="someday")


def test_customers_of_the_wrong_type_are_refused():
    with pytest.raises(ParameterError, match="customers must be a DataFrame"):
        dunning_run(ONE_BILL, NO_PAY, "customers.csv", as_of=day(7))


def test_the_report_table_refuses_an_unknown_language():
    run = dunning_run(ONE_BILL, NO_PAY, CUSTOMERS, as_of=day(7))
    with pytest.raises(ParameterError, match="lang must be one of"):
        run.table(lang="fr")


# --- properties over random ledgers and run calendars --------------------------------------------
hypothesis = pytest.importorskip("hypothesis")
st = hypothesis.strategies


@hypothesis.settings(max_examples=10, deadline=None)
@hypothesis.given(
    dues=st.lists(st.tuples(st.sampled_from(["A", "B"]), st.integers(-20, 40),
                            st.integers(1, 10_000)), min_size=1, max_size=5),
    pays=st.lists(st.tuples(st.sampled_from(["A", "B"]), st.integers(-10, 90),
                            st.integers(1, 10_000)), max_size=4),
    gaps=st.lists(st.integers(1, 20), min_size=1, max_size=5),
)
def test_every_run_steps_up_once_stays_in_the_policy_and_reruns_the_same(dues, pays, gaps):
    b = bills(*[(f"B{i}", c, day(d), a) for i, (c, d, a) in enumerate(dues)])
    p = payments(*[(f"P{i}", c, day(d), a) for i, (c, d, a) in enumerate(pays)])
    days = load_dunning_policy()["days"].to_numpy()
    history = None
    for at in np.cumsum(gaps) - 10:
        run = dunning_run(b, p, CUSTOMERS, as_of=day(int(at)), history=history)
        for prev, lv in run.actions[["previous_level", "level"]].itertuples(index=False):
            # one step; a level skipped on the way is a reminder of a date already past
            assert prev < lv <= N_LEVELS and (days[prev:lv - 1] <= 0).all()
        cov = run.covered.groupby(["customer_id", "currency"])["outstanding_minor"].sum()
        got = run.actions.set_index(["customer_id", "currency"])["amount_minor"]
        assert cov.reindex(got.index).tolist() == got.tolist()
        again = dunning_run(b, p, CUSTOMERS, as_of=day(int(at)), history=run.history)
        pd.testing.assert_frame_equal(again.history, run.history)
        history = run.history


def test_the_status_table_says_what_happened_in_words():
    pay = payments(("P1", "A", day(8), 100_000))
    run = chain([day(7), day(9)], p=pay)[1]
    zh, en = run.status_table(lang="zh"), run.status_table(lang="en")
    assert zh[["name", "event", "reason"]].values.tolist() == [
        ["张*", "终止催收", "账单已结清（回款、红字或核销）"]]
    assert en[["event", "reason", "channel"]].values.tolist() == [
        ["Stopped", "Bills settled (paid, credited or written off)", ""]]
