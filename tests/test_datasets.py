"""Tests for creditkit.datasets: German credit data and the synthetic portfolio."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import roc_auc_score

from creditkit import schema
from creditkit.datasets import (
    GERMAN_CREDIT_COLUMNS,
    load_german_credit,
    load_or_make,
    make_portfolio,
    names,
)
from creditkit.exceptions import ParameterError
from creditkit.ids import (
    check_credit_code,
    check_id_number,
    credit_code_check_char,
    id_number_check_digit,
)

ROOT = Path(__file__).resolve().parents[1]
END = pd.Timestamp("2025-12-31")
TABLE_NAMES = ["customers", "applications", "transactions", "bills", "payments"]


@pytest.fixture(scope="module")
def b2b():
    return make_portfolio(20_000, seed=11, kind="b2b", truth=True)


@pytest.fixture(scope="module")
def bnpl():
    return make_portfolio(20_000, seed=12, kind="bnpl", truth=True)


@pytest.fixture(scope="module")
def mixed():
    return make_portfolio(3_000, seed=13, kind="mixed", truth=True)


@pytest.fixture(params=["b2b", "bnpl", "mixed"])
def book(request):
    return request.getfixturevalue(request.param)


def _settled(book):
    """Per bill: the day payments and credit notes cleared it (NaT if not by the end)."""
    pay, truth, bills = book["payments"], book["allocations"], book["bills"]
    p = pay.set_index("payment_id")
    t = truth.assign(kind=truth["payment_id"].map(p["kind"]),
                     day=truth["payment_id"].map(p["paid_date"]))
    cleared = t[t["kind"] != "write_off"].groupby("bill_id").agg(
        amount=("amount_minor", "sum"), last=("day", "max"))
    out = bills.set_index("bill_id").join(cleared)
    full = out["amount"].fillna(0) >= out["amount_minor"]
    return out.assign(settled=out["last"].where(full))


# --- German credit ----------------------------------------------------------------------

def test_german_credit_shape_and_target():
    df = load_german_credit()
    assert df.shape == (1000, 21)
    assert tuple(df.columns) == GERMAN_CREDIT_COLUMNS
    assert df["target"].value_counts().to_dict() == {0: 700, 1: 300}
    assert not df.isna().any().any()
    assert str(df["credit_amount"].dtype) == "int64"
    assert set(df["checking_status"]) == {
        "... < 0 DM", "0 <= ... < 200 DM", "no checking account",
        "... >= 200 DM / salary assignments for at least 1 year"}


def test_german_credit_documented_copy_is_the_packaged_file():
    packaged = ROOT / "creditkit" / "data" / "german_credit.csv"
    documented = ROOT / "datasets" / "german_credit.csv"
    assert packaged.read_bytes() == documented.read_bytes()


# --- determinism and schema ------------------------------------------------------------

def test_same_seed_gives_identical_frames():
    a = make_portfolio(400, seed=5, kind="mixed")
    b = make_portfolio(400, seed=5, kind="mixed")
    for name in TABLE_NAMES:
        pd.testing.assert_frame_equal(a[name], b[name])


def test_different_seed_differs():
    a = make_portfolio(400, seed=5, kind="mixed")
    b = make_portfolio(400, seed=6, kind="mixed")
    assert not a["customers"]["name"].equals(b["customers"]["name"])
    assert not a["bills"]["amount_minor"].equals(b["bills"]["amount_minor"])


def test_every_frame_validates_and_keys_are_unique(book):
    for name in [*TABLE_NAMES, "allocations"]:
        df = book[name]
        schema.validate(df, name)
        key = list(schema.TABLES[name].key)
        if name != "allocations":
            assert not df.duplicated(key).any(), name
    assert str(book["bills"]["amount_minor"].dtype) == "int64"
    assert str(book["bills"]["due_date"].dtype) == "datetime64[ns]"
    assert pd.api.types.is_string_dtype(book["payments"]["reference"])


def test_about_ten_bills_per_customer(b2b, bnpl):
    for book in (b2b, bnpl):
        per_customer = len(book["bills"]) / len(book["customers"])
        assert 7 <= per_customer <= 13


# --- customers ---------------------------------------------------------------------------

def test_id_numbers_and_credit_codes_pass_their_checksums(mixed):
    c = mixed["customers"]
    consumers, businesses = c[c["kind"] == "consumer"], c[c["kind"] == "business"]
    assert len(consumers) and len(businesses)
    assert check_id_number(consumers["id_number"]).all()
    assert check_credit_code(businesses["id_number"]).all()
    assert businesses["id_number"].str[:2].isin(["91", "92"]).all()


def test_every_customer_has_their_own_id_number_credit_code_and_phone(book):
    c = book["customers"]
    assert c["id_number"].is_unique
    businesses = c.loc[c["kind"] == "business", "id_number"]
    assert businesses.str[8:17].is_unique        # the organisation code is national
    assert c["phone"].is_unique                  # no households: nobody shares a number


def test_repeated_ids_get_a_new_sequence_code_and_check_digit():
    from creditkit.datasets.identities import ascii_digits, unique_id_bodies

    first17 = np.array([b"11010519900101123", b"11010519900101123", b"11010519900101124",
                        b"11010519900101123", b"31011519851231001"])
    body = first17.view(np.uint8).reshape(-1, 17)
    out = unique_id_bodies(np.random.default_rng(0), body)
    got = pd.Series(out.view("S17").ravel().astype(str))
    assert got.is_unique and got[[0, 2, 4]].tolist() == ["11010519900101123",
                                                          "11010519900101124",
                                                          "31011519851231001"]
    assert (got.str[:14] == "11010519900101").iloc[:4].all()  # place and birth date kept
    assert (got.str[16].astype(int) % 2 == [1, 1, 0, 1, 1]).all()  # so is the sex
    assert check_id_number(got + id_number_check_digit(got)).all()
    assert (body == first17.view(np.uint8).reshape(-1, 17)).all()  # input untouched
    again = unique_id_bodies(np.random.default_rng(0), body)
    assert (again == out).all()                   # deterministic for a seed
    # 600 men born the same day in one district: only 500 odd sequence codes exist
    crowd = np.repeat(np.concatenate([body[:1, :14], ascii_digits([1], 3)], axis=1), 600, 0)
    with pytest.raises(ParameterError, match=r"own ID number after 100 redraws.*fewer"):
        unique_id_bodies(np.random.default_rng(0), crowd)


def test_repeated_organisation_codes_and_phones_are_redrawn():
    import pyarrow as pa

    from creditkit.datasets.identities import unique_code_bodies, unique_phones

    codes = np.array([b"91110105MA0000001", b"92310115MA0000001", b"91110105MA0000002"])
    body = codes.view(np.uint8).reshape(-1, 17).copy()
    body[:, 8:17] = np.frombuffer(b"123456782" * 3, np.uint8).reshape(3, 9)  # one org code
    out = unique_code_bodies(np.random.default_rng(1), body)
    org = pd.Series(out[:, 8:16].copy().view("S8").ravel().astype(str))
    assert org.is_unique and org[0] == "12345678"
    assert (out[:, :8] == body[:, :8]).all()
    full = pd.Series([bytes(row).decode() for row in out])
    assert check_credit_code(full + credit_code_check_char(full)).all()

    phones = pa.array(["13800138000", "021-62345678", "13800138000", "021-62345678", None])
    got = unique_phones(np.random.default_rng(2), phones).to_pylist()
    assert got[:2] == ["13800138000", "021-62345678"] and got[4] is None
    assert len(set(got[:4])) == 4
    assert got[2].startswith("138") and len(got[2]) == 11
    assert got[3].startswith("021-") and 20_000_000 <= int(got[3][4:]) < 90_000_000


def test_a_million_ids_come_back_as_one_arrow_array():
    import pyarrow as pa

    from creditkit.datasets.identities import ascii_text

    # Arrow chunks fixed-width bytes past ~16 MB; T.assemble needs one array (bnpl at 1M)
    out = ascii_text(np.full((1_000_000, 18), ord("1"), np.uint8))
    assert isinstance(out, pa.Array) and len(out) == 1_000_000 and out[0].as_py() == "1" * 18


def test_id_number_matches_age_and_open_date(bnpl):
    c, a = bnpl["customers"], bnpl["applications"]
    birth = pd.to_datetime(c["id_number"].str[6:14], format="%Y%m%d")
    age = (c["open_date"] - birth).dt.days / 365.25
    assert age.min() >= 17.9 and age.max() <= 71
    assert (np.abs(age.to_numpy() - a["age_years"].to_numpy(dtype=float)) < 1.01).all()
    assert c["id_number"].str[:6].isin(names.DISTRICTS).all()


def test_names_phones_regions_look_real(bnpl, b2b):
    c = bnpl["customers"]
    surnames = c["name"].str[:2]
    assert surnames.isin(["欧阳", "司马", "上官", "司徒"]).sum() > 0  # compound surnames occur
    assert c["name"].str.len().between(2, 4).all()
    assert c["name"].str[0].value_counts().index[0] in {"王", "李", "张"}
    assert c["phone"].str.fullmatch(r"1[3-9]\d{9}").all()
    assert c["phone"].str[:3].isin(names.MOBILE_PREFIXES).all()
    firms = b2b["customers"]
    assert firms["name"].str.contains("有限公司|有限责任公司|商行|经营部|门市部|店$").all()
    assert firms["phone"].str.fullmatch(r"1[3-9]\d{9}|0\d{2,3}-\d{8}").all()
    assert set(c["region"]) <= set(names.PROVINCES)
    assert set(firms["industry"]) <= set(names.INDUSTRY_CODES)
    assert firms["external_rating"].notna().mean() > 0.5


def test_what_reports_show_from_the_generator_has_zh_and_en_labels(mixed, b2b):
    from creditkit import labels

    apps, txns = mixed["applications"], pd.concat([mixed["transactions"], b2b["transactions"]])
    keys = {*apps.columns, *GERMAN_CREDIT_COLUMNS, *apps["product"], *names.INDUSTRY_CODES,
            *txns["category"], *txns["channel"],
            *apps["education"].dropna(), *apps["housing"].dropna(), *names.PROVINCES}
    missing = sorted(k for k in keys if k not in labels.LABELS)
    assert not missing, f"no label for {missing}"
    assert {"merchandise", "raw_materials"} <= set(txns["category"])
    assert labels.label("merchandise", "zh") == "商品"
    assert labels.label("information_technology", "en") == "Information technology"
    assert labels.label("四川", "en") == "Sichuan" and labels.label("四川", "zh") == "四川"
    assert set(mixed["customers"]["region"].dropna()) <= set(names.PROVINCES)
    # the datasets section adds keys; it never relabels another section's
    others = {k for name, sec in labels.SECTIONS.items() if name != "datasets" for k in sec}
    assert not others & set(labels.SECTIONS["datasets"])


# --- bills -------------------------------------------------------------------------------

def test_instalments_sum_exactly_to_their_order(book):
    bills, txns = book["bills"], book["transactions"]
    bills = bills[bills["kind"] != "fee"]
    total = bills.groupby("invoice_id")["amount_minor"].sum()
    ordered = txns.set_index("invoice_id")["amount_minor"]
    assert len(total) == len(ordered)
    assert (total.reindex(ordered.index).to_numpy() == ordered.to_numpy()).all()


def test_remainder_goes_on_the_first_instalment(bnpl):
    inst = bnpl["bills"][bnpl["bills"]["kind"] == "instalment"].sort_values(
        ["invoice_id", "due_date"])
    position = inst.groupby("invoice_id").cumcount()
    first = inst[position == 0].set_index("invoice_id")["amount_minor"]
    rest = inst[position > 0].groupby("invoice_id")["amount_minor"].agg(["min", "max", "size"])
    assert (rest["min"] == rest["max"]).all()  # equal instalments after the first
    extra = first.reindex(rest.index) - rest["min"]
    assert ((extra >= 0) & (extra <= rest["size"])).all()  # remainder < number of instalments


def test_late_fees_follow_late_consumer_bills(bnpl, b2b):
    bills = bnpl["bills"]
    fees = bills[bills["kind"] == "fee"]
    assert 0.005 < len(fees) / len(bills) < 0.1
    assert fees["amount_minor"].between(500, 3_000).all()
    assert fees["invoice_id"].isin(bills.loc[bills["kind"] != "fee", "invoice_id"]).all()
    assert (fees["due_date"] - fees["issue_date"]).dt.days.eq(7).all()
    assert not (b2b["bills"]["kind"] == "fee").any()


def test_bnpl_plans_and_b2b_terms(bnpl, b2b):
    inst = bnpl["bills"][bnpl["bills"]["kind"] != "fee"]
    count = inst.groupby("invoice_id").size()
    assert set(count.unique()) == {1, 3, 4, 6, 12}
    four = inst[inst["invoice_id"].isin(count[count == 4].index)].sort_values(
        ["invoice_id", "due_date"])
    gaps = four.groupby("invoice_id")["due_date"].diff().dropna().dt.days
    assert set(gaps.unique()) == {14}
    assert (inst.loc[inst["kind"] == "instalment", "invoice_id"].str.startswith("ORD-")).all()
    inv = b2b["bills"]
    assert set((inv["due_date"] - inv["issue_date"]).dt.days.unique()) == {30, 45, 60}
    assert set(inv["kind"]) == {"invoice"}
    assert inv["invoice_id"].str.fullmatch(r"INV-\d{7,}").all()


# --- payments ----------------------------------------------------------------------------

def test_nothing_happens_after_end_and_the_book_is_live():
    end = "2025-06-30"
    book = make_portfolio(2_000, seed=3, kind="mixed", end=end, truth=True)
    as_of = pd.Timestamp(end)
    assert book["customers"]["open_date"].max() <= as_of
    assert book["transactions"]["txn_date"].max() <= as_of
    assert book["bills"]["issue_date"].max() <= as_of
    assert book["payments"]["paid_date"].max() <= as_of
    bills = book["bills"]
    assert (bills["due_date"] > as_of).any()  # not yet due
    cleared = book["allocations"].groupby("bill_id")["amount_minor"].sum()
    open_amount = bills.set_index("bill_id")["amount_minor"].sub(cleared, fill_value=0)
    due = bills.set_index("bill_id")["due_date"]
    overdue = open_amount[(open_amount > 0) & (due < as_of - pd.Timedelta(days=30))]
    assert 0 < len(overdue) < 0.1 * len(bills)  # some overdue, most paid


def test_payments_never_precede_their_bill_or_the_first_bill(book):
    pay, truth, bills = book["payments"], book["allocations"], book["bills"]
    day = truth["payment_id"].map(pay.set_index("payment_id")["paid_date"])
    issue = truth["bill_id"].map(bills.set_index("bill_id")["issue_date"])
    assert (day >= issue).all()
    first = bills.groupby("customer_id")["issue_date"].min()
    known = pay[pay["customer_id"].notna()]
    assert (known["paid_date"].to_numpy() >= known["customer_id"].map(first).to_numpy()).all()


def test_money_is_conserved(book):
    pay, truth, bills = book["payments"], book["allocations"], book["bills"]
    applied = truth.groupby("payment_id")["amount_minor"].sum()
    paid = pay.set_index("payment_id")["amount_minor"]
    over = paid.sub(applied, fill_value=0)
    assert (over >= 0).all()
    assert (over > 0).mean() < 0.01  # only double payments stay unapplied
    per_bill = truth.groupby("bill_id")["amount_minor"].sum()
    assert (per_bill <= bills.set_index("bill_id")["amount_minor"].reindex(per_bill.index)).all()
    assert int(applied.sum()) + int(over.sum()) == int(pay["amount_minor"].sum())


def test_named_bills_and_invoices_are_the_true_ones(book):
    pay, truth, bills = book["payments"], book["allocations"], book["bills"]
    t = truth.merge(pay[["payment_id", "bill_id", "invoice_id"]], on="payment_id",
                    suffixes=("", "_named"))
    named = t[t["bill_id_named"].notna()]
    assert len(named) and (named["bill_id_named"] == named["bill_id"]).all()
    inv = t[t["invoice_id"].notna()]
    true_inv = inv["bill_id"].map(bills.set_index("bill_id")["invoice_id"])
    assert len(inv) and (inv["invoice_id"] == true_inv).all()


def test_one_transfer_can_pay_several_invoices(b2b):
    truth, pay = b2b["allocations"], b2b["payments"].set_index("payment_id")
    per_payment = truth.groupby("payment_id")["amount_minor"].agg(["size", "sum"])
    several = per_payment[per_payment["size"] > 1]
    assert len(several) > 0
    assert (pay.loc[several.index, "amount_minor"] == several["sum"]).all()
    assert pay.loc[several.index, ["bill_id", "invoice_id"]].isna().all().all()
    assert pay.loc[several.index, "reference"].str.contains("等", na=False).any()


def test_payment_mix_references_and_unknown_payers(b2b, bnpl):
    for book in (b2b, bnpl):
        pay = book["payments"]
        assert set(pay["channel"].dropna()) <= set(schema.CHANNELS)
        assert set(pay["kind"]) <= set(schema.PAYMENT_KINDS)
        assert 0 < pay["customer_id"].isna().mean() < 0.05
        assert pay.loc[pay["kind"] == "payment", "reference"].isna().mean() > 0.05
    ref = b2b["payments"]["reference"].dropna()
    assert ref.str.fullmatch(r"付款 INV-\d+").any()
    assert ref.str.fullmatch(r"货款 INV\d+").any()
    assert ref.str.fullmatch(r"inv \d+").any()
    assert (b2b["payments"]["kind"] == "credit_note").any()
    assert (b2b["payments"]["kind"] == "write_off").any()
    assert set(bnpl["payments"]["channel"].dropna()) == set(schema.CHANNELS)


# --- calibration (20,000 customers) --------------------------------------------------------

def test_b2b_calibration(b2b):
    s = _settled(b2b)
    mature = s[s["due_date"] <= END - pd.Timedelta(days=120)]
    late = mature["settled"].isna() | (mature["settled"] > mature["due_date"])
    assert 0.28 <= late.mean() <= 0.42  # about a third paid late
    days_late = (mature["settled"] - mature["due_date"]).dt.days
    days_late = days_late[days_late > 0]
    assert 5 <= days_late.median() <= 9  # about a week
    assert days_late.quantile(0.95) >= 4 * days_late.median()  # long tail
    bills, pay = b2b["bills"], b2b["payments"]
    dsos = []
    for t in pd.date_range("2025-01-31", END, freq="ME"):
        ar = (bills.loc[bills["issue_date"] <= t, "amount_minor"].sum()
              - pay.loc[pay["paid_date"] <= t, "amount_minor"].sum())
        sales = bills.loc[bills["issue_date"].between(t - pd.Timedelta(days=89), t),
                          "amount_minor"].sum()
        dsos.append(ar / sales * 90)
    assert min(dsos) >= 40 and max(dsos) <= 55
    old = bills[bills["due_date"] <= END - pd.Timedelta(days=300)]
    wo = pay[(pay["kind"] == "write_off") & pay["bill_id"].isin(old["bill_id"])]
    assert 0.01 <= wo["amount_minor"].sum() / old["amount_minor"].sum() <= 0.06


def test_bnpl_calibration(bnpl):
    s = _settled(bnpl)
    mature = s[s["due_date"] <= END - pd.Timedelta(days=120)]
    paid_late = mature["settled"].notna() & (mature["settled"] > mature["due_date"])
    assert 0.02 <= paid_late.mean() <= 0.10  # a few percent of instalments late
    bills, pay = bnpl["bills"], bnpl["payments"]
    old = bills[bills["due_date"] <= END - pd.Timedelta(days=300)]
    wo = pay[(pay["kind"] == "write_off") & pay["bill_id"].isin(old["bill_id"])]
    assert 0.01 <= wo["amount_minor"].sum() / old["amount_minor"].sum() <= 0.05


# --- applications ------------------------------------------------------------------------

@pytest.mark.parametrize("kind", ["b2b", "bnpl"])
def test_a_scorecard_can_learn_the_target(kind, request):
    apps = request.getfixturevalue(kind)["applications"]
    known = apps[apps["target"].notna()]
    assert 0.02 <= known["target"].mean() <= 0.15
    cols = ["bureau_score", "inquiries_6m", "utilization", "delinquencies_2y",
            "existing_debt_minor"]
    X = known[cols].astype(float)
    X = X.fillna(X.median()).assign(**{f"{c}_missing": known[c].isna() for c in cols})
    y = known["target"].astype(int)
    Z = (X - X.mean()) / X.std().replace(0, 1)
    half = len(Z) // 2  # fit on one half, measure on the other
    model = LogisticRegression(max_iter=1000).fit(Z.iloc[:half], y.iloc[:half])
    auc = roc_auc_score(y.iloc[half:], model.predict_proba(Z.iloc[half:])[:, 1])
    assert auc >= 0.7


def test_target_is_missing_until_the_window_is_over(bnpl):
    apps = bnpl["applications"].merge(bnpl["customers"][["customer_id", "open_date"]])
    recent = apps["open_date"] > END - pd.Timedelta(days=242)
    assert apps.loc[recent, "target"].isna().all()
    assert apps.loc[~recent, "target"].notna().all()
    assert apps["monthly_income_minor"].isna().mean() > 0.05  # some missing, as in life
    assert set(apps["product"]) == {"bnpl"}
    assert str(apps["monthly_income_minor"].dtype) == "Int64"


# --- load_or_make and errors -------------------------------------------------------------

def test_load_or_make_generates_once_then_reads(tmp_path):
    from creditkit.store import read_meta

    path = tmp_path / "book.duckdb"
    first = load_or_make(path, n_customers=200, seed=9, kind="b2b", as_of="2025-03-31")
    assert path.exists()
    again = load_or_make(path, n_customers=999, seed=1)
    for name in TABLE_NAMES:
        pd.testing.assert_frame_equal(first[name], again[name])
    assert '"seed": 9' in read_meta(path)["generator"]


@pytest.mark.parametrize(("kwargs", "match"), [
    ({"n_customers": 0}, "n_customers must be a positive integer"),
    ({"n_customers": 2.5}, "n_customers must be a positive integer"),
    ({"seed": -1}, "seed must be a non-negative integer"),
    ({"kind": "retail"}, "kind must be one of"),
    ({"start": "not a date"}, "start must be a date"),
    ({"end": "2024-01-15"}, "end must be at least 30 days after start"),
    ({"end": "2025-12-31T10:30+08:00"}, "end must be timezone-naive"),
])
def test_make_portfolio_rejects_bad_parameters(kwargs, match):
    args = {"n_customers": 10, "seed": 1, **kwargs}
    with pytest.raises(ParameterError, match=match):
        make_portfolio(args.pop("n_customers"), **args)


def test_make_portfolio_drops_a_time_of_day_like_every_date_parameter():
    a = make_portfolio(20, seed=1, end="2025-12-31 10:30")
    b = make_portfolio(20, seed=1, end="2025-12-31")
    pd.testing.assert_frame_equal(a["bills"], b["bills"])
