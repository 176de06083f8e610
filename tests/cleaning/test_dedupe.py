"""Tests of creditkit.cleaning.dedupe: hand cases, merge maps, accuracy and scaling."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from creditkit.cleaning.dedupe import (
    DedupeResult,
    apply_merge_map,
    find_duplicates,
    merge_customers,
)
from creditkit.exceptions import ParameterError, SchemaError
from creditkit.ids import id_number_check_digit

_BENCH = Path(__file__).resolve().parents[2] / "bench" / "dedupe.py"


def _bench():
    spec = importlib.util.spec_from_file_location("bench_dedupe", _BENCH)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def _id(body17: str) -> str:
    return body17 + id_number_check_digit(body17)


ID_A = _id("11010519900307123")
ID_B = _id("31010419851111004")
ID_C = _id("44030419900101001")


def customers(rows: list[tuple]) -> pd.DataFrame:
    cols = ["customer_id", "name", "kind", "id_number", "phone", "region", "open_date"]
    df = pd.DataFrame(rows, columns=cols)
    df["open_date"] = pd.to_datetime(df["open_date"])
    return df


def merged(result: DedupeResult) -> dict[str, str]:
    return dict(zip(result.merge_map["old_id"], result.merge_map["surviving_id"], strict=True))


def test_same_person_three_ways_is_one_cluster() -> None:
    df = customers([
        ("CRM-1", "张伟", "consumer", ID_A, "13800135678", "北京", "2021-03-01"),
        ("ERP-9", "张 伟", "consumer", ID_A.replace("1", "１", 2), "+86 138-0013-5678", "北京",
         "2022-05-01"),
        ("APP-4", "章伟", "consumer", None, "0086 138 0013 5678", "北京", "2023-01-01"),
        ("CRM-2", "李娜", "consumer", ID_B, "13900001111", "上海", "2020-01-01"),
    ])
    r = find_duplicates(df)
    assert merged(r) == {"ERP-9": "CRM-1", "APP-4": "CRM-1"}  # oldest open_date survives
    assert r.clusters.set_index("customer_id")["cluster_size"].to_dict() == {
        "CRM-1": 3, "ERP-9": 3, "APP-4": 3}
    reasons = r.merge_map.set_index("old_id")["reason"].to_dict()
    assert reasons == {"ERP-9": "id_exact", "APP-4": "name_mobile"}
    assert r.merge_map.set_index("old_id").loc["APP-4", "score"] == pytest.approx(0.95)


def test_explanations_name_each_field() -> None:
    df = customers([
        ("A", "王芳", "consumer", None, "13800135678", "北京", None),
        ("B", "王方", "consumer", None, "138 0013 5678", "北京", None),
    ])
    pair = find_duplicates(df).pairs.iloc[0]
    assert (pair["left_id"], pair["right_id"]) == ("A", "B")
    assert pair["name_score"] == 0.95 and pair["phone_match"] == 1
    assert pair["region_match"] == 1 and pair["id_match"] == 0
    assert pair["reason"] == "name_mobile" and pair["decision"] == "auto"
    assert pair["blocks"] & 2 and pair["blocks"] & 4  # found by phone and by name block


def test_two_wang_wei_in_different_cities_are_not_merged() -> None:
    df = customers([
        ("C1", "王伟", "consumer", None, "13800000001", "北京", None),
        ("C2", "王伟", "consumer", None, "13800000002", "广东", None),
        ("C3", "王伟", "consumer", None, "13800000003", "北京", None),  # namesake, same city
        ("C4", "王伟", "consumer", None, None, "北京", None),
    ])
    r = find_duplicates(df)
    assert r.merge_map.empty and r.review.empty


def test_conflicting_valid_ids_veto_a_merge() -> None:
    df = customers([
        ("C1", "王伟", "consumer", ID_A, "13800135678", "北京", None),
        ("C2", "王伟", "consumer", ID_C, "13800135678", "北京", None),
    ])
    r = find_duplicates(df)
    assert r.merge_map.empty
    assert r.pairs[["reason", "decision", "score"]].iloc[0].tolist() == [
        "id_conflict", "veto", 0.0]
    assert r.stats["n_veto"] == 1


def test_cluster_joining_two_ids_through_a_third_record_goes_to_review() -> None:
    df = customers([
        ("C1", "王伟", "consumer", ID_A, "13800135678", "北京", None),
        ("C2", "王伟", "consumer", None, "13800135678", "北京", None),
        ("C3", "王伟", "consumer", ID_C, "13800135678", "北京", None),
    ])
    r = find_duplicates(df)
    assert r.merge_map.empty
    assert sorted(r.review[["left_id", "right_id"]].values.tolist()) == [["C1", "C2"],
                                                                      ["C2", "C3"]]


def test_household_sharing_a_landline_is_not_merged() -> None:
    df = customers([
        ("H1", "刘建国", "consumer", None, "010-62345678", "北京", None),
        ("H2", "刘建军", "consumer", None, "01062345678", "北京", None),  # brother
        ("H3", "张秀英", "consumer", None, "010 6234 5678", "北京", None),  # wife
    ])
    r = find_duplicates(df)
    assert r.merge_map.empty and r.review.empty
    assert r.stats["n_compared"] == 3  # all three were compared, through the phone block
    # brothers sharing a mobile (one character apart, 字辈) go to review
    mobile = df.assign(phone="13800135678")
    assert find_duplicates(mobile).review[["left_id", "right_id"]].values.tolist() == [
        ["H1", "H2"]]


@pytest.mark.parametrize("variant", ["深圳腾飞科技有限公司", "深圳腾飞科技股份有限公司",
                                     "深圳腾飞科技股份有限责任公司", "深圳腾飞科技有限责任公司"])
def test_business_legal_form_variants_match(variant: str) -> None:
    df = customers([("A", "深圳腾飞科技有限公司", "business", None, "13800135678", "广东", None),
                    ("B", variant, "business", None, "138-0013-5678", "广东", None)])
    assert find_duplicates(df).pairs["name_score"].tolist() == [1.0]


@pytest.mark.parametrize(("kind", "decision"), [("consumer", "review"), ("business", "auto")])
def test_same_name_on_a_landline_merges_only_businesses(kind: str, decision: str) -> None:
    name = "上海华宇贸易有限公司" if kind == "business" else "刘建国"
    other = "上海华宇贸易有限责任公司" if kind == "business" else "刘建国"
    df = customers([("A", name, kind, None, "021-62345678", "上海", None),
                    ("B", other, kind, None, "(021)6234-5678", "上海", None)])
    assert find_duplicates(df).pairs["decision"].tolist() == [decision]


def test_unrelated_typo_with_same_mobile_goes_to_review_not_auto() -> None:
    df = customers([("A", "陈大文", "consumer", ID_A, "13800135678", "广东", None),
                    ("B", "陈大山", "consumer", None, "13800135678", "广东", None)])
    r = find_duplicates(df)
    assert r.merge_map.empty and r.review["score"].round(4).tolist() == [0.6667]
    assert r.review[["left_name", "right_name"]].values.tolist() == [["陈大文", "陈大山"]]
    assert merged(find_duplicates(df, auto=0.6, review=0.5)) == {"B": "A"}


def test_same_id_under_unrelated_names_goes_to_review() -> None:
    df = customers([("A", "许涛晨", "consumer", ID_A, "13600000001", "安徽", None),
                    ("B", "余成", "consumer", ID_A, "13500000002", "安徽", None)])
    r = find_duplicates(df)
    assert r.merge_map.empty and r.review["reason"].tolist() == ["id_name_differs"]


def test_legacy_15_digit_id_matches_its_18_digit_form() -> None:
    legacy = ID_A[:6] + ID_A[8:17]
    df = customers([("A", "张伟", "consumer", ID_A, None, None, None),
                    ("B", "张伟", "consumer", legacy, None, None, None)])
    assert merged(find_duplicates(df)) == {"B": "A"}


def test_kind_conflict_and_invalid_ids_are_not_trusted() -> None:
    bad = ID_A[:-1] + ("0" if ID_A[-1] != "0" else "1")  # wrong check digit
    df = customers([
        ("A", "王伟", "consumer", bad, "13800135678", "北京", None),
        ("B", "王伟", "business", None, "13800135678", "北京", None),
        ("C", "李娜", "consumer", bad, None, "上海", None),
    ])
    r = find_duplicates(df)
    assert r.merge_map.empty
    assert r.pairs["reason"].tolist() == ["kind_conflict"]  # the invalid ID links nobody
    assert merged(find_duplicates(df, check_ids=False)) == {}  # A-C: names differ -> review
    assert find_duplicates(df, check_ids=False).review["reason"].tolist() == ["id_name_differs"]


@pytest.mark.parametrize(("rows", "survivor"), [
    ([("A", "2022-01-01", "13800135678"), ("B", "2021-01-01", "13800135678")], "B"),
    ([("B", "2021-01-01", None), ("A", "2021-01-01", "13800135678")], "A"),  # more complete
    ([("B", None, "13800135678"), ("A", None, "13800135678")], "A"),  # smallest id
    ([("A", None, "13800135678"), ("B", "2023-01-01", "13800135678")], "B"),  # a date beats NaT
])
def test_survivor_rule(rows: list[tuple], survivor: str) -> None:
    df = customers([(cid, "王伟", "consumer", ID_A, phone, "北京", opened)
                    for cid, opened, phone in rows])
    r = find_duplicates(df)
    assert r.merge_map["surviving_id"].tolist() == [survivor]
    assert r.clusters.set_index("customer_id")["is_survivor"][survivor]


def test_address_column_adds_evidence() -> None:
    df = customers([("A", "赵敏", "consumer", None, None, "浙江", None),
                    ("B", "赵敏", "consumer", None, None, "浙江", None)])
    df["address"] = ["杭州市西湖区文三路 88 号 3 单元", "杭州市西湖区文三路88号3单元"]
    assert find_duplicates(df).merge_map.empty  # same name and region only
    r = find_duplicates(df, address_col="address")
    assert r.merge_map["reason"].tolist() == ["name_address"]


def test_find_duplicates_does_not_mutate_input() -> None:
    df = customers([("A", "张伟", "consumer", ID_A, "13800135678", "北京", "2021-01-01"),
                    ("B", "张 伟", "consumer", None, "+8613800135678", "北京", "2022-01-01")])
    before = df.copy()
    find_duplicates(df)
    pd.testing.assert_frame_equal(df, before)


def test_result_does_not_depend_on_the_index_or_row_order() -> None:
    df = customers([
        ("A", "张伟", "consumer", ID_A, "13800135678", "北京", "2021-01-01"),
        ("X", "李娜", "consumer", None, "13900001111", "上海", "2021-01-01"),
        ("B", "张 伟", "consumer", None, "+8613800135678", "北京", "2022-01-01"),
        ("C", "章伟", "consumer", ID_A, None, "北京", "2023-01-01"),
    ])
    shuffled = df.iloc[[3, 1, 0, 2]].set_axis([40, 7, 99, 3])
    assert merged(find_duplicates(shuffled)) == merged(find_duplicates(df)) == {
        "B": "A", "C": "A"}


def test_only_id_and_name_columns_are_required_and_empty_frames_work() -> None:
    df = pd.DataFrame({"customer_id": ["A", "B"], "name": ["王伟", "王伟"]})
    r = find_duplicates(df)
    assert r.merge_map.empty and r.stats["n_compared"] == 1
    empty = find_duplicates(df.iloc[:0])
    assert empty.pairs.empty and empty.merge_map.empty and empty.stats["n_all_pairs"] == 0


def test_find_duplicates_errors() -> None:
    df = customers([("A", "张伟", "consumer", None, None, None, None)])
    with pytest.raises(ParameterError, match="expects the customers DataFrame, got list"):
        find_duplicates([1, 2])
    with pytest.raises(ParameterError, match=r"0 < review <= auto <= 1; got review=0\.95"):
        find_duplicates(df, auto=0.9, review=0.95)
    with pytest.raises(ParameterError, match=r"0 < review <= auto <= 1"):
        find_duplicates(df, auto=1.5)
    with pytest.raises(ParameterError, match="max_block must be an integer >= 2, got 1"):
        find_duplicates(df, max_block=1)
    with pytest.raises(SchemaError, match=r"missing column\(s\) \['名称'\] in customers"):
        find_duplicates(df, name_col="名称")
    with pytest.raises(SchemaError, match=r"missing column\(s\) \['address'\].*address_col="):
        find_duplicates(df, address_col="address")
    twice = pd.concat([df, df])
    with pytest.raises(SchemaError, match=r"must be present and unique.*got \['A', 'A'\]"):
        find_duplicates(twice)


# --- merge maps applied to bills and customers --------------------------------------------

def _bills() -> pd.DataFrame:
    return pd.DataFrame({
        "bill_id": ["B1", "B2", "B3", "B4", "B5"],
        "customer_id": ["C2", "C1", "C3", "C9", None],
        "amount_minor": np.array([10_000, 2_550, 99, 1, 7], dtype=np.int64),
    })


def test_apply_merge_map_keeps_every_bill_and_all_money() -> None:
    df = customers([
        ("C1", "张伟", "consumer", ID_A, "13800135678", "北京", "2021-01-01"),
        ("C2", "张 伟", "consumer", None, "+86 13800135678", "北京", "2022-01-01"),
        ("C3", "章伟", "consumer", ID_A, None, "北京", "2023-01-01"),
        ("C9", "李娜", "consumer", None, None, "上海", "2023-01-01"),
    ])
    r = find_duplicates(df)
    bills = _bills()
    before = bills.copy()
    out = apply_merge_map(bills, r.merge_map)
    pd.testing.assert_frame_equal(bills, before)  # input not mutated
    assert out["bill_id"].tolist() == bills["bill_id"].tolist()
    assert out["customer_id"].tolist()[:4] == ["C1", "C1", "C1", "C9"]
    assert pd.isna(out["customer_id"].iloc[4])  # unknown payer stays unknown
    assert out["amount_minor"].sum() == bills["amount_minor"].sum()
    assert out["amount_minor"].dtype == np.int64
    survivors = set(merge_customers(df, r.merge_map)["customer_id"])
    assert set(out["customer_id"].dropna()) <= survivors  # no bill loses its customer


def test_apply_merge_map_accepts_dicts_series_results_and_follows_chains() -> None:
    bills = _bills()
    assert apply_merge_map(bills, {"C3": "C2", "C2": "C1"})["customer_id"].tolist()[:3] == [
        "C1", "C1", "C1"]
    assert apply_merge_map(bills, pd.Series({"C9": "C1"}))["customer_id"].iloc[3] == "C1"
    assert apply_merge_map(bills, {})["customer_id"].tolist()[:4] == ["C2", "C1", "C3", "C9"]
    pay = bills.rename(columns={"customer_id": "payer"})
    r = find_duplicates(customers([
        ("C1", "王伟", "consumer", ID_A, None, None, None),
        ("C2", "王伟", "consumer", ID_A, None, None, None)]))
    assert apply_merge_map(pay, r, customer_id_col="payer")["payer"].iloc[0] == "C1"


def test_apply_merge_map_errors() -> None:
    bills = _bills()
    with pytest.raises(ParameterError, match="expects a DataFrame, got dict"):
        apply_merge_map({"customer_id": ["C1"]}, {})
    with pytest.raises(SchemaError, match="missing column 'cust'"):
        apply_merge_map(bills, {}, customer_id_col="cust")
    with pytest.raises(SchemaError, match="needs columns old_id and surviving_id"):
        apply_merge_map(bills, pd.DataFrame({"old": ["C2"], "new": ["C1"]}))
    with pytest.raises(ParameterError, match=r"must be a DataFrame .* got list"):
        apply_merge_map(bills, [("C2", "C1")])
    with pytest.raises(ParameterError, match=r"sends id\(s\) \['C2'\] to two survivors"):
        apply_merge_map(bills, pd.DataFrame({"old_id": ["C2", "C2"],
                                             "surviving_id": ["C1", "C3"]}))
    with pytest.raises(ParameterError, match="has a cycle"):
        apply_merge_map(bills, {"C1": "C2", "C2": "C1"})


def test_merge_customers_keeps_survivors_and_fills_their_gaps() -> None:
    df = customers([
        ("C1", "张伟", "consumer", None, "13800135678", "北京", "2021-01-01"),
        ("C9", "李娜", "consumer", None, None, "上海", "2023-01-01"),
        ("C2", "张 伟", "consumer", ID_A, "+86 13800135678", "北京", "2022-01-01"),
    ])
    before = df.copy()
    r = find_duplicates(df)
    out = merge_customers(df, r.merge_map)
    pd.testing.assert_frame_equal(df, before)
    assert out["customer_id"].tolist() == ["C1", "C9"]
    assert len(out) == len(df) - len(r.merge_map)
    assert out.loc[0, "id_number"] == ID_A and out.loc[0, "name"] == "张伟"
    assert out.dtypes.equals(df.dtypes)
    pd.testing.assert_frame_equal(merge_customers(df, {}), df)


# --- accuracy and scaling on injected duplicates ------------------------------------------

def test_precision_and_recall_on_injected_duplicates_meet_targets() -> None:
    bench = _bench()
    base = bench.synthetic_customers(4_000, seed=3)
    with_dups, truth = bench.inject_duplicates(base, 0.1, seed=3)
    data = bench.inject_hard_negatives(with_dups, 0.05, seed=3)
    before = data.copy()
    r = find_duplicates(data)
    pd.testing.assert_frame_equal(data, before)
    ids = pd.Series(data["customer_id"].to_numpy(object))
    entity = ids.map(pd.Series(truth["original_id"].to_numpy(), index=truth["customer_id"]))
    predicted = ids.map(pd.Series(r.merge_map["surviving_id"].to_numpy(),
                                  index=r.merge_map["old_id"]))
    precision, recall, false_pairs = bench.pairwise_scores(
        entity.fillna(ids).to_numpy(object), predicted.fillna(ids).to_numpy(object))
    assert precision >= 0.99 and recall >= 0.95, (precision, recall)
    assert false_pairs <= 0.01 * len(truth)
    assert len(truth) == 400 and truth["variants"].str.contains("typo").any()


def test_pairs_compared_stay_far_below_n_squared() -> None:
    bench = _bench()
    data = bench.synthetic_customers(20_000, seed=5)
    r = find_duplicates(data)
    n = len(data)
    assert r.stats["n_all_pairs"] == n * (n - 1) // 2
    assert r.stats["n_compared"] <= n * 50 // 2  # bounded by max_block
    assert r.stats["n_compared"] < 1e-3 * r.stats["n_all_pairs"]


def test_oversized_block_is_not_expanded() -> None:
    n = 600
    df = pd.DataFrame({"customer_id": [f"C{i}" for i in range(n)],
                       "name": [f"客户{i}" for i in range(n)],
                       "phone": ["400-800-8888"] * n})  # a switchboard shared by everyone
    r = find_duplicates(df, max_block=50)
    assert r.stats["n_compared"] == 0 and r.stats["oversized_blocks"] == [n]
    assert find_duplicates(df.iloc[:40], max_block=50).stats["n_compared"] == 40 * 39 // 2


@settings(max_examples=60, deadline=None)
@given(
    owners=st.lists(st.integers(0, 9), min_size=0, max_size=40),
    amounts=st.lists(st.integers(0, 10**12), min_size=40, max_size=40),
    links=st.dictionaries(st.integers(0, 9), st.integers(0, 9), max_size=6),
)
def test_apply_merge_map_conserves_rows_and_money(owners, amounts, links) -> None:
    # keep only acyclic maps: an id points to a larger id, so chains end
    mapping = {f"C{a}": f"C{b}" for a, b in links.items() if b > a}
    bills = pd.DataFrame({"bill_id": [f"B{i}" for i in range(len(owners))],
                          "customer_id": [f"C{o}" for o in owners],
                          "amount_minor": np.array(amounts[:len(owners)], dtype=np.int64)})
    out = apply_merge_map(bills, mapping)
    assert len(out) == len(bills) and out["bill_id"].tolist() == bills["bill_id"].tolist()
    assert out["amount_minor"].tolist() == bills["amount_minor"].tolist()
    assert not set(out["customer_id"]) & set(mapping)  # no bill left on a merged id


    def resolve(cid: str) -> str:  # the plain reference: follow the chain one step at a time
        while cid in mapping:
            cid = mapping[cid]
        return cid

    expected = bills.groupby(bills["customer_id"].map(resolve))["amount_minor"].sum()
    pd.testing.assert_series_equal(out.groupby("customer_id")["amount_minor"].sum(), expected,
                                   check_names=False)
