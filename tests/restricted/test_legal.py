"""Legal escalation and the evidence pack: who, why, late fees by the policy, safe exports."""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from creditkit.exceptions import ParameterError, SchemaError
from creditkit.restricted import (
    evidence_pack,
    export_evidence,
    late_fees,
    legal_escalation,
    load_restriction_policy,
)

d = pd.to_datetime
AS_OF = "2025-06-30"


def book() -> dict[str, pd.DataFrame]:
    customers = pd.DataFrame({
        "customer_id": ["A", "B", "C"], "name": ["张伟", "李娜", "王强"],
        "kind": ["business"] * 3, "id_number": ["110101199003074578"] * 3,
        "phone": ["13812345678", "13912345678", "13712345678"], "region": ["北京"] * 3,
        "industry": ["retail"] * 3, "open_date": d(["2024-01-01"] * 3),
        "credit_limit_minor": [1_000_000] * 3, "currency": ["CNY"] * 3,
        "external_rating": [None] * 3})
    bills = pd.DataFrame({
        "bill_id": ["A1", "A2", "B1", "C1", "A3"], "invoice_id": ["A1", "A2", "B1", "C1", "A3"],
        "customer_id": ["A", "A", "B", "C", "A"],
        "issue_date": d(["2025-01-01", "2025-02-01", "2025-01-01", "2025-01-01", "2025-07-01"]),
        "due_date": d(["2025-01-31", "2025-03-03", "2025-01-31", "2025-01-31", "2025-07-31"]),
        "amount_minor": [200_000, 100_000, 50_000, 70_000, 999], "currency": ["CNY"] * 5,
        "kind": ["invoice"] * 5})
    payments = pd.DataFrame({
        "payment_id": ["P1", "P2", "P3", "P4"], "customer_id": ["A", "B", "A", "C"],
        "paid_date": d(["2025-02-15", "2025-02-01", "2025-07-05", "2025-03-01"]),
        "amount_minor": [50_000, 50_000, 10_000, 70_000], "currency": ["CNY"] * 4,
        "kind": ["payment"] * 4, "channel": ["bank_transfer"] * 4,
        "reference": ["=HYPERLINK(\"http://x\")", "", "", ""], "payer_name": ["张伟", "", "", ""],
        "bill_id": [None] * 4, "invoice_id": [None] * 4})
    return {"customers": customers, "bills": bills, "payments": payments}


HISTORY = pd.DataFrame({"run_date": d(["2025-05-01", "2025-06-01", "2025-06-01", "2025-07-01"]),
                        "customer_id": ["A", "A", "C", "B"], "currency": "CNY",
                        "level": [5, 6, 6, 6], "previous_level": [4, 5, 5, 5],
                        "event": ["sent"] * 4, "reason": "", "channel": "legal",
                        "amount_minor": 0, "bill_ids": ""})


def test_late_fee_is_daily_rate_times_days_times_open_amount_rounded_down() -> None:
    aging = pd.DataFrame({"outstanding_minor": [150_000, 100_000, 1, 500, 0],
                          "dpd": [150, 119, 3, 0, 40]})
    assert late_fees(aging, rate="0.0005").tolist() == [11_250, 5_950, 0, 0, 0]
    assert late_fees(aging, rate=Fraction(1, 1000)).tolist() == [22_500, 11_900, 0, 0, 0]
    with pytest.raises(ParameterError, match="decimal daily rate"):
        late_fees(aging, rate="5%")


def test_escalated_past_the_last_level_with_money_owed() -> None:
    t = book()
    got = legal_escalation(t["bills"], t["payments"], as_of=AS_OF, dunning_history=HISTORY)
    # A reached level 6 on 06-01 and owes; C reached it but has paid; B's run is after as_of
    assert got["customer_id"].tolist() == ["A"]
    row = got.iloc[0]
    assert row["reached_on"] == pd.Timestamp("2025-06-01")
    assert row["outstanding_minor"] == 250_000  # the July bill does not exist yet
    # A1: 150,000 open 150 days; A2: 100,000 open 119 days; 0.0005 a day
    assert row["late_fee_minor"] == 11_250 + 5_950
    assert row["claim_minor"] == 250_000 + 17_200
    assert row["worst_dpd"] == 150


def test_a_broken_plan_escalates_and_reasons_add_up() -> None:
    t = book()
    plans = pd.DataFrame({"customer_id": ["A", "B"], "status": ["broken", "on_track"]})
    got = legal_escalation(t["bills"], t["payments"], as_of=AS_OF, dunning_history=HISTORY,
                           plan_status=plans)
    assert got.set_index("customer_id")["escalation_reasons"].to_dict() == {
        "A": "past_last_dunning_level|broken_plan"}
    only_plan = legal_escalation(t["bills"], t["payments"], as_of=AS_OF,
                                 plan_status=plans.assign(status="broken"))
    assert set(only_plan["customer_id"]) == {"A"}  # B has paid in full
    assert legal_escalation(t["bills"], t["payments"], as_of=AS_OF).empty


def test_the_late_fee_rate_comes_from_the_policy() -> None:
    t = book()
    policy = load_restriction_policy()
    policy.loc[policy["restriction_level"] == "stop", "late_fee_daily_rate"] = Fraction(1, 1000)
    got = legal_escalation(t["bills"], t["payments"], as_of=AS_OF, dunning_history=HISTORY,
                           policy=policy)
    assert got.iloc[0]["late_fee_minor"] == 22_500 + 11_900


def test_bad_history_is_refused() -> None:
    t = book()
    with pytest.raises(SchemaError, match=r"DunningRun\.history"):
        legal_escalation(t["bills"], t["payments"], as_of=AS_OF,
                         dunning_history=HISTORY.drop(columns="event"))


def test_evidence_pack_holds_everything_up_to_as_of() -> None:
    t = book()
    promises = pd.DataFrame({"customer_id": ["A", "B"], "promise_date": d(["2025-04-01"] * 2),
                             "pay_by": d(["2025-04-15"] * 2), "amount_minor": [10_000, 1]})
    pack = evidence_pack(t, "A", as_of=AS_OF, dunning_history=HISTORY, promises=promises)
    assert pack["bills"]["bill_id"].tolist() == ["A1", "A2"]
    assert (pack["bills"]["amount_minor"] - pack["bills"]["applied_minor"]
            == pack["bills"]["outstanding_minor"]).all()
    assert pack["payments"]["payment_id"].tolist() == ["P1"]
    assert pack["reminders"]["run_date"].tolist() == list(d(["2025-05-01", "2025-06-01"]))
    assert pack["promises"]["amount_minor"].tolist() == [10_000]
    assert pack["plans"].empty
    bal = pack["balance"].iloc[0]
    assert bal["billed_minor"] - bal["applied_minor"] == bal["outstanding_minor"] == 250_000
    assert bal["claim_minor"] == 267_200
    assert pack["contract"]["late_fee_daily_rate"].iloc[0] == "0.0005"
    with pytest.raises(ParameterError, match="not in the customers table"):
        evidence_pack(t, "ZZ", as_of=AS_OF)


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_export_neutralises_formulas_and_masks_the_summary(tmp_path: Path, fmt: str) -> None:
    pack = evidence_pack(book(), "A", as_of=AS_OF, dunning_history=HISTORY)
    paths = export_evidence(pack, tmp_path, fmt=fmt, lang="en")
    assert paths["payments"].parent == tmp_path / "A"
    if fmt == "csv":
        text = paths["payments"].read_text(encoding="utf-8-sig")
        assert "'=HYPERLINK" in text
        assert "张伟" in paths["contract"].read_text(encoding="utf-8-sig")  # for the lawyer
    else:
        sheet = openpyxl.load_workbook(paths["payments"])["payments"]
        cells = [c.value for row in sheet.iter_rows() for c in row]
        assert "'=HYPERLINK(\"http://x\")" in cells
    page = paths["summary"].read_text(encoding="utf-8")
    assert "张伟" not in page and "13812345678" not in page and "138****5678" in page
    assert "Every reminder sent" in page and "<script" not in page
    assert "HYPERLINK(&quot;http://x&quot;)" in page and "<a " not in page  # escaped text
    zh = export_evidence(pack, tmp_path, lang="zh")["summary"].read_text(encoding="utf-8")
    assert "全部催收提醒记录" in zh and "Every reminder" not in zh
    with pytest.raises(ParameterError, match="'csv' or 'xlsx'"):
        export_evidence(pack, tmp_path, fmt="pdf")
