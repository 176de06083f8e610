"""collection_worklist: hand-made cases (channels, ranking, capacity, totals) and input errors."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from creditkit.aging import customer_aging
from creditkit.behaviour import shipped_cards
from creditkit.collections import (
    RecoveryModel,
    Worklist,
    check_collectors,
    check_worklist_channels,
    collection_worklist,
    load_worklist_channels,
)
from creditkit.exceptions import CreditkitError, DataReadError, ParameterError, SchemaError

AS_OF = pd.Timestamp("2025-06-30")
D = pd.Timestamp


def _book(extra_bills: list[tuple] | None = None) -> dict[str, pd.DataFrame]:
    """Customers past due by 5 (sms), 20 and 25 and 40 (call), 70 (visit), 100 (legal) days.

    Customer F paid in full (not on the list); customer G paid part of its bill.
    """
    due = {"A": 5, "B": 20, "C": 25, "D": 40, "E": 70, "X": 100, "F": 30, "G": 45}
    amount = {"A": 50_000, "B": 10_000, "C": 30_000, "D": 20_000, "E": 40_000, "X": 90_000,
              "F": 7_000, "G": 60_000}
    rows = [(f"B{k}", k, AS_OF - pd.Timedelta(days=60 + d), AS_OF - pd.Timedelta(days=d),
             amount[k], "CNY") for k, d in due.items()]
    rows += extra_bills or []
    bills = pd.DataFrame(rows, columns=["bill_id", "customer_id", "issue_date", "due_date",
                                        "amount_minor", "currency"])
    bills["invoice_id"] = bills["bill_id"]
    ids = sorted(set(bills["customer_id"]))
    customers = pd.DataFrame({"customer_id": ids, "name": ids, "kind": "consumer",
                              "open_date": D("2024-01-01"), "credit_limit_minor": 1_000_000,
                              "currency": "CNY"})
    payments = pd.DataFrame({"payment_id": ["P1", "P2"], "customer_id": ["F", "G"],
                             "paid_date": [D("2025-06-01"), D("2025-06-10")],
                             "amount_minor": [7_000, 15_000], "currency": ["CNY", "CNY"],
                             "kind": ["payment", "payment"], "channel": ["alipay", "card"]})
    return {"customers": customers, "bills": bills, "payments": payments}


def _flat(p: float) -> RecoveryModel:
    """A model giving every scored customer the same P(cure): ranking is then by past due."""
    return RecoveryModel(card=shipped_cards()["C"], points=np.array([-1e9, 1e9]),
                         p_cure=np.array([p, p]), base_rate=0.25, source="test")


TEAM = pd.DataFrame({"collector_id": ["S1", "K1", "K2", "L1"],
                     "name": ["短信", "张三", "王五", "法务"],
                     "channel": ["sms", "call", "call", "legal"], "capacity": [10, 2, 1, 5]})


@pytest.fixture(scope="module")
def wl() -> Worklist:
    return collection_worklist(_book(), as_of=AS_OF, collectors=TEAM, model=_flat(0.5),
                               lang="en")


def test_every_past_due_customer_is_listed_once_and_totals_match_the_aging(wl):
    book = _book()
    aging = customer_aging(book["bills"], book["payments"], as_of=AS_OF)
    past = aging[aging["past_due_minor"] > 0]
    assert sorted(wl.items["customer_id"]) == sorted(past["customer_id"])
    assert "F" not in set(wl.items["customer_id"])  # paid in full
    assert int(wl.items["past_due_minor"].sum()) == int(past["past_due_minor"].sum())
    assert int(wl.items.set_index("customer_id").loc["G", "past_due_minor"]) == 45_000
    assert wl.invariants()["ok"].all()
    assert wl.aging_past_due == {"CNY": int(past["past_due_minor"].sum())}


def test_channel_follows_the_dpd_stage_table(wl):
    ch = wl.items.set_index("customer_id")["channel"].to_dict()
    assert ch == {"A": "sms", "B": "call", "C": "call", "D": "call", "G": "call",
                  "E": "visit", "X": "legal"}
    st = wl.items.set_index("customer_id")["stage"]
    assert st["A"] == "early" and st["B"] == "mid" and st["E"] == "late" and st["X"] == "legal"


def test_expected_recovery_is_past_due_times_p_cure_and_ranks_the_channel(wl):
    it = wl.items
    assert (it["expected_recovery_minor"] == (it["past_due_minor"] // 2)).all()
    call = it[it["channel"] == "call"].sort_values("channel_rank")
    # by expected recovery: G 45000 → 22500, C 15000, D 10000, B 5000
    assert call["customer_id"].tolist() == ["G", "C", "D", "B"]
    assert call["channel_rank"].tolist() == [1, 2, 3, 4]


def test_collectors_take_turns_up_to_capacity_and_the_rest_stays_listed(wl):
    call = wl.items[wl.items["channel"] == "call"].set_index("customer_id")
    # K1 (capacity 2) and K2 (capacity 1) in turns: G→K1, C→K2, D→K1; B over capacity
    assert call.loc[["G", "C", "D"], "collector_id"].tolist() == ["K1", "K2", "K1"]
    assert pd.isna(call.loc["B", "collector_id"]) and pd.isna(call.loc["B", "queue_rank"])
    assert call.loc[["G", "D"], "queue_rank"].tolist() == [1, 2]
    assert call.loc["B", "reason_code"] == "over_capacity"
    assert "over today's capacity" in call.loc["B", "reason"]
    visit = wl.items[wl.items["channel"] == "visit"].iloc[0]
    assert visit["reason_code"] == "no_collector" and pd.isna(visit["collector_id"])
    summary = wl.collectors.set_index("collector_id")
    assert summary.loc["K1", "assigned"] == 2 and summary.loc["K2", "assigned"] == 1
    assert summary.loc["K1", "past_due_minor"] == 45_000 + 20_000


def test_for_collector_and_assignments(wl):
    q = wl.for_collector("K1")
    assert q["customer_id"].tolist() == ["G", "D"]
    a = wl.assignments()
    assert set(a["collector_id"]) == {"S1", "K1", "K2", "L1"}
    assert (a["assigned_date"] == AS_OF).all() and len(a) == 5
    with pytest.raises(ParameterError, match="no collector 'ZZ'"):
        wl.for_collector("ZZ")


def test_capacity_keyword_overrides_the_column():
    wl = collection_worklist(_book(), as_of=AS_OF, collectors=TEAM, model=_flat(0.5),
                             capacity={"K1": 0})
    call = wl.items[wl.items["channel"] == "call"]
    assert set(call["collector_id"].dropna()) == {"K2"}
    wl2 = collection_worklist(_book(), as_of=AS_OF, collectors=TEAM.drop(columns="capacity"),
                              model=_flat(0.5), capacity=10)
    assert wl2.items["collector_id"].notna().sum() == 6  # all but the visit customer


def test_a_customer_the_card_cannot_score_takes_the_base_rate():
    book = _book()
    book["customers"] = book["customers"][book["customers"]["customer_id"] != "X"]
    wl = collection_worklist(book, as_of=AS_OF, collectors=TEAM, model=_flat(0.5))
    row = wl.items.set_index("customer_id").loc["X"]
    assert row["score_source"] == "base_rate" and row["p_cure"] == 0.25
    assert row["expected_recovery_minor"] == 90_000 // 4
    assert wl.invariants()["ok"].all()


def test_the_model_probability_drives_the_order_not_a_constant():
    """The shipped model on the hand-made book: probabilities differ and rank the list."""
    wl = collection_worklist(_book(), as_of=AS_OF, collectors=TEAM)
    assert wl.items["p_cure"].between(0, 1).all()
    assert wl.items["p_cure"].nunique() > 1
    assert wl.model_version == "C-shipped-1+isotonic"
    # longer arrears → lower chance of curing within 30 days, at equal history
    p = wl.items.set_index("customer_id")["p_cure"]
    assert p["A"] >= p["X"]


def test_reason_text_in_each_language():
    zh = collection_worklist(_book(), as_of=AS_OF, collectors=TEAM, model=_flat(0.5), lang="zh")
    en = collection_worklist(_book(), as_of=AS_OF, collectors=TEAM, model=_flat(0.5), lang="en")
    rz = zh.items.set_index("customer_id")["reason"]["G"]
    re_ = en.items.set_index("customer_id")["reason"]["G"]
    assert rz.startswith("逾期45天") and "¥450.00" in rz and "50%" in rz and "已分配" in rz
    assert re_.startswith("45 days past due") and "450.00" in re_ and "assigned" in re_
    assert not any("\u4e00" <= ch <= "\u9fff" for ch in "".join(en.items["reason"]))


def test_several_currencies_need_one_chosen():
    usd = [("BU", "U", AS_OF - pd.Timedelta(days=80), AS_OF - pd.Timedelta(days=20), 5_000,
            "USD")]
    book = _book(usd)
    with pytest.raises(ParameterError, match=r"several currencies.*currency=.CNY."):
        collection_worklist(book, as_of=AS_OF, collectors=TEAM, model=_flat(0.5))
    wl = collection_worklist(book, as_of=AS_OF, collectors=TEAM, model=_flat(0.5),
                             currency="usd")
    assert wl.items["customer_id"].tolist() == ["U"]
    assert wl.invariants()["ok"].all()


def test_input_errors_name_the_fix():
    book = _book()
    with pytest.raises(ParameterError, match="tables must be a dict"):
        collection_worklist([], as_of=AS_OF, collectors=TEAM)
    with pytest.raises(ParameterError, match="model must be a RecoveryModel"):
        collection_worklist(book, as_of=AS_OF, collectors=TEAM, model="C")
    with pytest.raises(ParameterError, match="lang"):
        collection_worklist(book, as_of=AS_OF, collectors=TEAM, lang="fr")
    with pytest.raises(ParameterError, match="timezone"):
        collection_worklist(book, as_of=pd.Timestamp("2025-06-30", tz="UTC"), collectors=TEAM)
    with pytest.raises(ParameterError, match="currency must be"):
        collection_worklist(book, as_of=AS_OF, collectors=TEAM, currency=" ")


@pytest.mark.parametrize(("change", "match"), [
    (lambda c: c.drop(columns="channel"), "missing column"),
    (lambda c: c.assign(collector_id=["S1", "S1", "K2", "L1"]), "row 1: collector_id 'S1' repeats"),
    (lambda c: c.assign(channel=["sms", "phone", "call", "legal"]), "row 1: channel 'phone'"),
    (lambda c: c.assign(capacity=[1, -1, 1, 1]), "row 1: capacity -1"),
    (lambda c: c.assign(capacity=[1, 1, 1.5, 1]), "row 2: capacity 1.5"),
    (lambda c: c.assign(collector_id=["S1", None, "K2", "L1"]), "row 1: collector_id is blank"),
])
def test_collectors_table_errors_name_the_row(change, match):
    with pytest.raises(CreditkitError, match=match):
        check_collectors(change(TEAM.copy()))


def test_capacity_dict_naming_an_unknown_collector():
    with pytest.raises(ParameterError, match=r"\['Q9'\] not in collectors"):
        check_collectors(TEAM, capacity={"Q9": 3})


def test_shipped_channels_file_covers_every_dpd():
    t = load_worklist_channels()
    assert t["min_dpd"].iloc[0] == 1 and pd.isna(t["max_dpd"].iloc[-1])
    assert (t["min_dpd"].iloc[1:].to_numpy() == t["max_dpd"].iloc[:-1].to_numpy() + 1).all()


HEADER = "# a note\nstage,min_dpd,max_dpd,channel\n"


@pytest.mark.parametrize(("body", "match"), [
    ("early,1,30,sms\nlate,40,,call\n", "line 4: min_dpd 40 must be 31"),
    ("early,1,30,sms\nlate,25,,call\n", "line 4: min_dpd 25 must be 31"),
    ("early,2,30,sms\nlate,31,,call\n", "line 3: min_dpd 2 must be 1"),
    ("early,1,30,phone\nlate,31,,call\n", "line 3: channel 'phone'"),
    ("early,1,30,sms\nlate,31,60,call\n", "line 4: the last stage must leave max_dpd blank"),
    ("early,1,abc,sms\nlate,31,,call\n", "line 3: max_dpd 'abc'"),
    ("early,1,30,sms\nearly,31,,call\n", "line 4: stage 'early' is named twice"),
    ("early,1,30,sms,extra\nlate,31,,call\n", "line 3: 5 cells where the header has 4"),
    ("early,1,0,sms\nlate,1,,call\n", "line 3: max_dpd '0' is not a whole number"),
])
def test_channels_file_errors_name_the_line(tmp_path, body, match):
    f = tmp_path / "stages.csv"
    f.write_text(HEADER + body, encoding="utf-8")
    with pytest.raises(ParameterError, match=match):
        load_worklist_channels(f)
    with pytest.raises(ParameterError, match=match):
        collection_worklist(_book(), as_of=AS_OF, collectors=TEAM, model=_flat(0.5), channels=f)


def test_channels_frame_and_file_errors(tmp_path):
    with pytest.raises(SchemaError, match="missing column"):
        check_worklist_channels(pd.DataFrame({"stage": ["a"]}))
    with pytest.raises(ParameterError, match="no stage"):
        check_worklist_channels(pd.DataFrame(columns=["stage", "min_dpd", "max_dpd", "channel"]))
    with pytest.raises(DataReadError, match="does not exist"):
        load_worklist_channels("/no/such/file.csv")
    f = tmp_path / "stages.csv"
    f.write_text("# stages\nstage,min_dpd,max_dpd\nall,1,\n", encoding="utf-8")
    with pytest.raises(ParameterError, match=r"stages\.csv line 2: no column 'channel'"):
        load_worklist_channels(f)


def test_a_custom_stage_table_routes_customers():
    stages = pd.DataFrame({"stage": ["all"], "min_dpd": [1], "max_dpd": [None],
                           "channel": ["call"]})
    wl = collection_worklist(_book(), as_of=AS_OF, collectors=TEAM, model=_flat(0.5),
                             channels=stages)
    assert set(wl.items["channel"]) == {"call"}
    assert wl.items["collector_id"].notna().sum() == 3  # K1 2 + K2 1


def test_nothing_past_due_gives_an_empty_list_that_still_reconciles():
    wl = collection_worklist(_book(), as_of="2025-01-01", collectors=TEAM, model=_flat(0.5))
    assert wl.items.empty and "reason" in wl.items.columns
    assert wl.invariants()["ok"].all() and (wl.collectors["assigned"] == 0).all()


def test_no_collectors_at_all_keeps_everyone_listed():
    wl = collection_worklist(_book(), as_of=AS_OF, collectors=TEAM.iloc[:0], model=_flat(0.5))
    assert (wl.items["reason_code"] == "no_collector").all() and len(wl.items) == 7
    assert wl.assignments().empty and wl.invariants()["ok"].all()


def test_a_running_promise_keeps_the_customer_listed_but_not_chased():
    prom = pd.DataFrame({"customer_id": ["G", "C", "A"],
                         "promise_date": ["2025-06-25", "2025-06-01", "2025-06-29"],
                         "pay_by": ["2025-07-05", "2025-06-20", "2025-07-02"],
                         "amount_minor": [45_000, 30_000, 50_000],
                         "currency": ["CNY", "CNY", "USD"]})
    wl = collection_worklist(_book(), as_of=AS_OF, collectors=TEAM, model=_flat(0.5),
                             promises=prom, lang="en")
    it = wl.items.set_index("customer_id")
    assert it.loc["G", "reason_code"] == "promise_pending" and pd.isna(it.loc["G", "collector_id"])
    assert "promise to pay is running" in it.loc["G", "reason"]
    # G's slot goes to the next ones: C→K1, D→K2, B→K1; C's promise expired, A's is in USD
    assert it.loc[["C", "D", "B"], "collector_id"].tolist() == ["K1", "K2", "K1"]
    assert it.loc["A", "reason_code"] == "assigned"
    assert wl.invariants()["ok"].all()
    with pytest.raises(SchemaError, match=r"missing column\(s\) \[.pay_by.\] in promises"):
        collection_worklist(_book(), as_of=AS_OF, collectors=TEAM, model=_flat(0.5),
                            promises=prom.drop(columns="pay_by"))
    with pytest.raises(ParameterError, match="promises row 1: pay_by 'soon'"):
        collection_worklist(_book(), as_of=AS_OF, collectors=TEAM, model=_flat(0.5),
                            promises=prom.assign(pay_by=["2025-07-05", "soon", "2025-07-02"]))
