"""Synthetic customers and their applications, driven by one latent risk per customer."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from creditkit.datasets import _text as T
from creditkit.datasets import names as N
from creditkit.datasets.identities import (
    ascii_digits,
    ascii_text,
    org_check_ascii,
    unique_code_bodies,
    unique_id_bodies,
    unique_phones,
)
from creditkit.ids import credit_code_check_ascii, id_check_ascii

_RATINGS = np.array(["AAA", "AA", "A", "BBB", "BB", "B", "CCC"])
_RATING_EDGES = np.array([-1.9, -1.2, -0.5, 0.2, 0.9, 1.6])
_EDUCATION = np.array(["below_high_school", "high_school", "college", "bachelor", "postgraduate"])
_HOUSING = np.array(["own", "mortgage", "rent", "family"])
_TAX_GRADES = np.array(["A", "B", "M", "C", "D"])


@dataclass
class Book:
    """Per-customer state the ledger needs (numpy arrays, one row per customer)."""

    z: np.ndarray  # latent risk, standard normal, higher = riskier
    business: np.ndarray  # bool
    open_day: np.ndarray  # int64 days since 1970-01-01
    limit_minor: np.ndarray  # int64
    name: pa.Array  # payer names on payments


def _choice(rng: np.random.Generator, p: np.ndarray, n: int) -> np.ndarray:
    return rng.choice(len(p), size=n, p=p).astype(np.int32)


def day_dates(days: np.ndarray) -> pd.Series:
    """Days since 1970-01-01 as a ``datetime64[ns]`` Series (the tables' date columns)."""
    return pd.Series(np.asarray(days, dtype=np.int64).astype("M8[D]").astype("M8[ns]"))


def _ymd(days: np.ndarray) -> np.ndarray:
    d = np.asarray(days, dtype=np.int64).astype("M8[D]")
    y = d.astype("M8[Y]").astype(np.int64) + 1970
    m = d.astype("M8[M]").astype(np.int64) % 12 + 1
    dd = (d - d.astype("M8[M]")).astype(np.int64) + 1
    return y * 10000 + m * 100 + dd


def person_names(rng: np.random.Generator, male: np.ndarray) -> pa.Array:
    """Chinese full names (surname by its real share, one or two given characters by sex)."""
    n = len(male)
    sur = T.take(N.SURNAMES, _choice(rng, N.SURNAME_P, n))
    pool_m, pool_f = N.GIVEN_MALE, N.GIVEN_FEMALE
    g1 = np.where(male, rng.integers(0, len(pool_m), n), rng.integers(0, len(pool_f), n))
    g2 = np.where(male, rng.integers(0, len(pool_m), n), rng.integers(0, len(pool_f), n))
    first = T.take(np.concatenate([pool_m, pool_f]), g1 + np.where(male, 0, len(pool_m)))
    second = T.take(np.concatenate([pool_m, pool_f, [""]]),
                    np.where(rng.random(n) < 0.3, len(pool_m) + len(pool_f),
                             g2 + np.where(male, 0, len(pool_m))))
    return T.join(sur, first, second)


def _mobiles(rng: np.random.Generator, n: int) -> pa.Array:
    prefix = T.take(N.MOBILE_PREFIXES, _choice(rng, N.MOBILE_P, n))
    return T.join(prefix, T.digits(rng.integers(0, 100_000_000, n), 8))


def _consumers(rng, z, open_day):
    n = len(z)
    male = rng.random(n) < 0.52
    age = np.minimum(18 + rng.gamma(2.0, 6.5, n) * np.exp(-0.15 * z), 70)
    birth = open_day - (age * 365.25).astype(np.int64)
    district = _choice(rng, N.DISTRICT_P, n)
    seq = rng.integers(0, 500, n) * 2 + male  # odd sequence number = man
    body = np.concatenate([
        np.frombuffer(N.DISTRICTS.astype("S6").tobytes(), np.uint8).reshape(-1, 6)[district],
        ascii_digits(_ymd(birth), 8), ascii_digits(seq, 3)], axis=1)
    income = np.exp(np.log(7000) - 0.25 * z + 0.45 * rng.standard_normal(n))
    limit = np.clip(np.round(income * 1.2 * np.exp(-0.25 * z) / 500) * 500, 500, 50_000)
    return {
        "name": person_names(rng, male), "id_body": body, "phone": _mobiles(rng, n),
        "district": district, "industry": _choice(rng, N.INDUSTRY_P_CONSUMER, n),
        "limit_minor": (limit * 100).astype(np.int64), "age": age, "income": income,
    }


def _businesses(rng, z, open_day):
    n = len(z)
    district = _choice(rng, N.DISTRICT_P, n)
    industry = _choice(rng, N.INDUSTRY_P_BUSINESS, n)
    sole = rng.random(n) < 0.15  # 个体工商户: registration type 92 instead of 91
    org = rng.integers(0, 100_000_000, n)
    body = np.concatenate([
        ascii_digits(np.where(sole, 92, 91), 2),
        np.frombuffer(N.DISTRICTS.astype("S6").tobytes(), np.uint8).reshape(-1, 6)[district],
        ascii_digits(org, 8), org_check_ascii(org)[:, None]], axis=1)
    words = [w for _, _, _, ws in N.INDUSTRIES for w in ws]
    offsets = np.cumsum([0] + [len(i[3]) for i in N.INDUSTRIES])
    word = offsets[industry] + (rng.random(n) * np.diff(offsets)[industry]).astype(np.int64)
    k = len(N.BRAND_CHARS)
    brand = T.join(T.take(N.BRAND_CHARS, rng.integers(0, k, n)),
                   T.take(N.BRAND_CHARS, rng.integers(0, k, n)))
    suffix = np.where(sole, len(N.FIRM_SUFFIXES) + rng.integers(0, len(N.SOLE_SUFFIXES), n),
                      _choice(rng, N.FIRM_SUFFIX_P, n))
    name = T.join(T.take(N.CITIES, district), brand,
                  T.take(np.array([*words, ""]), np.where(sole, len(words), word)),
                  T.take(np.concatenate([N.FIRM_SUFFIXES, N.SOLE_SUFFIXES]), suffix))
    area = N.DISTRICT_AREA[district]
    landline = (area != "") & (rng.random(n) < 0.6)
    phone = T.assemble(n, [
        (np.flatnonzero(landline), T.join(
            T.take(N.DISTRICT_AREA, district[landline]), "-",
            T.digits(rng.integers(20_000_000, 90_000_000, int(landline.sum())), 8))),
        (np.flatnonzero(~landline), _mobiles(rng, int((~landline).sum()))),
    ])
    size = np.exp(rng.standard_normal(n) * 0.9)  # relative purchase volume
    limit = np.clip(np.round(250_000 * size * np.exp(-0.3 * z) / 10_000) * 10_000,
                    10_000, 5_000_000)
    rating_idx = np.searchsorted(_RATING_EDGES, 0.8 * z + 0.6 * rng.standard_normal(n))
    unrated = pa.array(rng.random(n) < 0.35)  # most small firms carry no agency rating
    rating = pc.if_else(unrated, pa.scalar(None, pa.string()), T.take(_RATINGS, rating_idx))
    years = np.maximum(rng.gamma(2.0, 4.0, n) * np.exp(-0.2 * z), 0.3)
    return {
        "name": name, "code_body": body, "phone": phone, "district": district,
        "industry": industry, "limit_minor": (limit * 100).astype(np.int64), "rating": rating,
        "size": size, "years": years,
    }


def make_customers(
    rng: np.random.Generator, n: int, share_business: float, start_day: int, end_day: int
) -> tuple[pd.DataFrame, Book, dict[str, np.ndarray]]:
    """Customers frame, the ledger's per-customer state, and raw application features."""
    z = rng.standard_normal(n)
    business = rng.random(n) < share_business
    open_day = rng.integers(start_day, max(end_day - 6, start_day + 1), n)
    cons, bus = np.flatnonzero(~business), np.flatnonzero(business)
    c = _consumers(rng, z[cons], open_day[cons])
    b = _businesses(rng, z[bus], open_day[bus])
    # identifiers made unique last, so a repeat redraws nothing but the repeated values
    ids = unique_id_bodies(rng, c.pop("id_body"))
    c["id_number"] = ascii_text(np.concatenate([ids, id_check_ascii(ids)[:, None]], axis=1))
    codes = unique_code_bodies(rng, b.pop("code_body"))
    b["id_number"] = ascii_text(
        np.concatenate([codes, credit_code_check_ascii(codes)[:, None]], axis=1))

    def merge(key: str) -> pa.Array:
        return T.assemble(n, [(cons, c[key]), (bus, b[key])])

    def merge_np(key: str, dtype=np.float64) -> np.ndarray:
        out = np.zeros(n, dtype=dtype)
        out[cons] = c[key]
        out[bus] = b[key]
        return out

    def only(part: dict, rows: np.ndarray, key: str) -> np.ndarray:
        out = np.full(n, np.nan)
        out[rows] = part[key]
        return out

    district = merge_np("district", np.int64)
    industry = merge_np("industry", np.int64)
    limit = merge_np("limit_minor", np.int64)
    name = merge("name")
    customers = pd.DataFrame({
        "customer_id": T.to_series(T.ids("C", np.arange(1, n + 1), 8)),
        "name": T.to_series(name),
        "kind": T.to_series(T.take(np.array(["consumer", "business"]), business.astype(int))),
        "id_number": T.to_series(merge("id_number")),
        "phone": T.to_series(unique_phones(rng, merge("phone"))),
        "region": T.to_series(T.take(N.PROVINCES, N.DISTRICT_PROVINCE[district])),
        "industry": T.to_series(T.take(N.INDUSTRY_CODES, industry)),
        "open_date": day_dates(open_day),
        "credit_limit_minor": limit,
        "currency": T.to_series(T.take(np.array(["CNY"]), np.zeros(n, dtype=np.int64))),
        "external_rating": T.to_series(T.assemble(n, [(bus, b["rating"])])),
    })
    raw = {"age": only(c, cons, "age"), "income": only(c, cons, "income"),
           "size": only(b, bus, "size"), "years": only(b, bus, "years")}
    return customers, Book(z=z, business=business, open_day=open_day, limit_minor=limit,
                           name=name), raw


def _missing(values: np.ndarray, mask: np.ndarray) -> np.ndarray:
    out = values.astype(np.float64, copy=True)
    out[mask] = np.nan
    return out


def _int_minor(values: np.ndarray) -> pd.Series:
    """Money feature in minor units with missing values (nullable Int64)."""
    ok = ~np.isnan(values)
    return pd.Series(pd.arrays.IntegerArray(
        np.where(ok, np.round(np.nan_to_num(values)), 0).astype(np.int64), ~ok))


def application_features(
    rng: np.random.Generator, book: Book, raw: dict[str, np.ndarray]
) -> pd.DataFrame:
    """Application features correlated with the latent risk (some missing, as in bureau data).

    Each feature sees the risk through its own noise, so no single one gives
    it away and a scorecard gains from combining them.
    """
    n = len(book.z)
    z, bus = book.z, book.business

    def noisy(weight: float) -> np.ndarray:
        return weight * z + np.sqrt(1 - weight**2) * rng.standard_normal(n)

    thin = rng.random(n) < 0.05 + 0.04 * (z > 1)  # no bureau record: slightly riskier
    bureau = np.clip(np.round(640 - 70 * noisy(0.65)), 350, 950)
    inquiries = rng.poisson(np.exp(0.4 + 0.45 * noisy(0.7)))
    util = np.clip(np.round(1 / (1 + np.exp(0.6 - 1.1 * noisy(0.6))) * 1.05, 2), 0, 1.2)
    delinq = rng.poisson(np.exp(-1.9 + 0.9 * noisy(0.7)))
    months_addr = np.round(rng.exponential(40, n) * np.exp(-0.35 * noisy(0.5))).astype(int)
    income = np.round(raw["income"] / 100) * 100
    debt_scale = np.where(bus, raw["size"] * 600_000, income * 8)
    debt = np.round(debt_scale * rng.gamma(1.2, 1, n) * np.exp(0.3 * z) / 100) * 100
    edu = np.clip(np.round(2.3 - 0.45 * noisy(0.5) + 0.7 * rng.standard_normal(n)), 0, 4)
    housing = np.where(rng.random(n) < 0.5 - 0.12 * noisy(0.5), rng.integers(0, 2, n),
                       rng.integers(2, 4, n))
    revenue = np.round(raw["size"] * 3_000_000 * np.exp(0.3 * rng.standard_normal(n)) / 1000)
    employees = np.round(raw["size"] * 25 * np.exp(0.5 * rng.standard_normal(n))) + 1
    tax = np.clip(np.round(1.2 + 0.9 * noisy(0.55)), 0, 4)
    cons = ~bus
    feats = {
        "product": np.where(bus, "b2b", "bnpl"),  # the kinds labels.py already names
        "age_years": pd.array(np.where(cons, np.floor(np.nan_to_num(raw["age"])), 0)
                              .astype(np.int64), dtype="Int64"),
        "monthly_income_minor": _int_minor(_missing(income * 100, bus | (rng.random(n) < 0.1))),
        "employment_years": _missing(np.round(np.minimum(
            rng.gamma(1.5, 3.0, n) * np.exp(-0.25 * z), np.nan_to_num(raw["age"]) - 17), 1),
            bus | (rng.random(n) < 0.06)),
        "education": np.where(cons, _EDUCATION[edu.astype(int)], None),
        "housing": np.where(cons, _HOUSING[housing], None),
        "years_in_business": _missing(np.round(np.nan_to_num(raw["years"]), 1), cons),
        "annual_revenue_minor": _int_minor(_missing(revenue * 100_000, cons | (
            rng.random(n) < 0.15))),
        "employees": _missing(employees, cons),
        "tax_credit_grade": np.where(bus, _TAX_GRADES[tax.astype(int)], None),
        "bureau_score": _missing(bureau, thin),
        "inquiries_6m": inquiries.astype(np.int64),
        "utilization": _missing(util, thin),
        "existing_debt_minor": _int_minor(_missing(debt * 100, thin)),
        "delinquencies_2y": _missing(delinq.astype(float), thin),
        "months_at_address": _missing(months_addr.astype(float), bus),
    }
    out = pd.DataFrame(feats)
    out["age_years"] = out["age_years"].where(cons)
    for col in ("product", "education", "housing", "tax_credit_grade"):
        out[col] = out[col].astype("str")
    return out
