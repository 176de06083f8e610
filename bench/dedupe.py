"""Benchmark of customer deduplication: precision, recall, time and memory.

Customers come from ``creditkit.datasets.make_portfolio`` (``--source
synthetic``, or when it is not importable: the small generator below). Known
duplicates are injected (:func:`inject_duplicates`): the same person keyed by
a second system, with spacing, full-width digits, ``+86``/dashed phones, a
homophone typo in the name, no ID number. Hard negatives are injected too:
household members sharing a phone and address, and namesakes (same name, same
region, another person). Precision and recall of the automatic merges are
pairwise (every pair of records put in one cluster), against ground truth.

The reference, measured in the same run, is the naive exact-key dedupe
(records sharing a raw phone or raw ID number): its time and its recall.

Each size runs in a fresh process so that its peak RSS is its own.

    .venv/bin/python bench/dedupe.py --sizes 20000
    .venv/bin/python bench/dedupe.py --sizes 100000 1000000
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

from creditkit.cleaning.dedupe import find_duplicates
from creditkit.ids import credit_code_check_char, id_number_check_digit

# Homophones typed for one another in names (pinyin input slips). All but one
# of these pairs are folded by creditkit's CONFUSABLE_GROUPS, so ``typo`` recall
# mostly shows that table covers them; ``random_typo`` (an unrelated character)
# shows what happens to slips the table cannot know.
TYPOS = {
    "伟": "玮", "丽": "莉", "明": "铭", "华": "桦", "静": "婧", "军": "君",
    "杰": "洁", "涛": "韬", "磊": "蕾", "芳": "方", "敏": "珉", "强": "蔷", "辉": "晖",
    "燕": "艳", "玲": "铃", "林": "琳", "红": "宏", "颖": "莹", "斌": "彬", "鹏": "朋",
    "超": "潮", "建": "健", "波": "博", "勇": "永", "浩": "昊", "宇": "雨", "欣": "馨",
    "佳": "嘉", "婷": "亭", "雪": "学", "梅": "玫", "晨": "辰", "峰": "锋", "飞": "菲",
    "东": "冬", "文": "雯", "志": "智", "兰": "岚", "秀": "绣", "琴": "芹", "云": "芸",
    "国": "帼", "春": "纯", "玉": "钰", "娜": "那", "平": "萍", "刚": "钢", "娟": "鹃",
    "霞": "侠", "凯": "楷", "俊": "骏", "帆": "凡", "帅": "率", "旭": "煦", "宁": "凝",
    "龙": "隆", "阳": "扬", "洋": "杨", "博": "搏", "轩": "宣", "子": "梓", "睿": "锐",
    "泽": "择", "然": "燃", "航": "杭", "嘉": "家", "成": "诚", "艳": "彦",
    "萍": "苹", "洁": "婕", "慧": "惠", "怡": "仪", "梦": "孟", "晶": "菁", "悦": "越",
    "涵": "寒", "萱": "宣", "思": "斯", "诗": "师", "妍": "研", "可": "珂", "彤": "桐",
    "月": "玥", "丹": "单", "晓": "筱",
}
_SLIPS = np.array(list("大中天山石木水土川田禾米贝车马牛羊鸟虫"))
_FULL = str.maketrans("0123456789X-+", "０１２３４５６７８９Ｘ－＋")


def synthetic_customers(n: int, seed: int) -> pd.DataFrame:
    """A quick customers frame shaped like make_portfolio's (used for large sizes)."""
    rng = np.random.default_rng(seed)
    sur = np.array(list("王李张刘陈杨黄赵吴周徐孙马朱胡郭何林高罗郑梁谢宋唐许韩冯邓曹"))
    p = np.linspace(3, 1, len(sur))
    given = np.array(list("伟强磊军勇杰涛斌超明刚平辉鹏华飞鑫波宇浩凯健俊帆芳娜敏静丽艳娟"
                          "霞秀玲燕萍红婷雪琳颖倩洁慧佳欣怡梦晶悦涵雨萱思"))
    regions = np.array(["广东", "山东", "河南", "江苏", "四川", "河北", "湖南", "浙江", "北京",
                        "上海", "湖北", "福建", "辽宁", "陕西"])
    two = rng.random(n) < 0.7
    name = (pd.Series(sur[rng.choice(len(sur), n, p=p / p.sum())]) + given[rng.integers(
        0, len(given), n)] + np.where(two, given[rng.integers(0, len(given), n)], ""))
    business = rng.random(n) < 0.15
    born = pd.Timestamp("1960-01-01") + pd.to_timedelta(rng.integers(0, 15000, n), unit="D")
    body = (pd.Series(rng.integers(110101, 659999, n)).astype(str) + born.strftime("%Y%m%d")
            + pd.Series(rng.integers(0, 1000, n)).astype(str).str.zfill(3))
    ids = body + id_number_check_digit(body).to_numpy()
    cc = "91" + pd.Series(rng.integers(110000, 659999, n)).astype(str) + pd.Series(
        rng.integers(0, 10**9, n)).astype(str).str.zfill(9)
    cc = cc + credit_code_check_char(cc).to_numpy()
    brand = pd.Series(given[rng.integers(0, len(given), n)]) + given[rng.integers(0, len(
        given), n)]
    region = regions[rng.integers(0, len(regions), n)]
    bname = pd.Series(region) + brand + "贸易有限公司"
    mobile = "1" + pd.Series(rng.integers(3, 10, n)).astype(str) + pd.Series(
        rng.integers(0, 10**9, n)).astype(str).str.zfill(9)
    areas = np.array(["010", "020", "021", "022", "023", "025", "027", "028", "029", "0571",
                      "0755", "0512", "0531", "0532", "0591", "0731", "0371", "0311"])
    land = pd.Series(areas[rng.integers(0, len(areas), n)]) + "-" + pd.Series(
        rng.integers(20_000_000, 90_000_000, n)).astype(str)
    return pd.DataFrame({
        "customer_id": [f"C{i:08d}" for i in range(1, n + 1)],
        "name": np.where(business, bname, name),
        "kind": np.where(business, "business", "consumer"),
        "id_number": np.where(business, cc, ids),
        "phone": np.where(business & (rng.random(n) < 0.6), land, mobile),
        "region": region,
        "open_date": pd.Timestamp("2020-01-01") + pd.to_timedelta(rng.integers(0, 1500, n), "D"),
    })


def portfolio_customers(n: int, seed: int) -> tuple[pd.DataFrame, str]:
    try:
        from creditkit.datasets import make_portfolio
    except ImportError:
        return synthetic_customers(n, seed), "bench generator (make_portfolio not available)"
    # a short ledger window: only the customers matter here, and 1M customers stay cheap
    tables = make_portfolio(n, seed=seed, kind="mixed", start="2024-07-01", end="2024-12-31")
    return tables["customers"], "creditkit.datasets.make_portfolio"


def _typo(names: pd.Series, rng: np.random.Generator) -> tuple[pd.Series, np.ndarray]:
    """Replace the last (else second) character that has a confusable twin."""
    out, done = names.copy(), np.zeros(len(names), bool)
    for pos in (-1, 1):
        ch = names.str.slice(pos, None if pos == -1 else pos + 1)
        twin = ch.map(TYPOS)
        hit = twin.notna().to_numpy() & ~done & (names.str.len() > 1).to_numpy()
        hit &= ~names.str.endswith(("公司", "商行", "部", "店", "厂")).to_numpy()
        head = names.str.slice(0, pos) if pos == -1 else names.str.slice(0, 1)
        tail = "" if pos == -1 else names.str.slice(2)
        out = out.where(~hit, head + twin + tail)
        done |= hit
    return out, done


def inject_duplicates(
    customers: pd.DataFrame, rate: float, *, seed: int
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Append duplicates of ``rate * len(customers)`` customers, with their ground truth.

    Each duplicate gets a new id (as from a second system), a later open date,
    and each of these variants with its probability: ``spacing`` 0.5 (name,
    phone), ``fullwidth`` 0.3 (phone, ID), ``phone_format`` 0.5 (+86, 0086,
    dashes), ``typo`` 0.3 (one homophone), ``random_typo`` 0.05 (one unrelated
    character, when no homophone typo), ``missing_id`` 0.4, ``legal_form`` 0.5
    for businesses (有限公司 -> 有限责任公司).

    Returns ``(customers_with_dups, truth)``; ``truth`` has ``customer_id``
    (the duplicate), ``original_id`` and ``variants``.
    """
    rng = np.random.default_rng(seed)
    m = round(rate * len(customers))
    pick = rng.choice(len(customers), m, replace=False)
    d = customers.iloc[pick].reset_index(drop=True).copy()
    d["customer_id"] = [f"S2-{seed}-{i:07d}" for i in range(m)]
    d["open_date"] = pd.to_datetime(d["open_date"]) + pd.to_timedelta(rng.integers(1, 400, m),
                                                                       "D")
    flags = {k: rng.random(m) < p for k, p in (
        ("spacing", 0.5), ("fullwidth", 0.3), ("phone_format", 0.5), ("typo", 0.3),
        ("missing_id", 0.4), ("legal_form", 0.5))}
    name, phone, idn = d["name"].astype("str"), d["phone"].astype("str"), d["id_number"]
    typo, applied = _typo(name, rng)
    flags["typo"] &= applied
    name = name.where(~flags["typo"], typo)
    # a slip that is no homophone: the last character replaced by an unrelated one
    flags["random_typo"] = (rng.random(m) < 0.05) & ~flags["typo"] & ~d["kind"].eq(
        "business").to_numpy() & (name.str.len() > 1).to_numpy()
    slip = pd.Series(_SLIPS[rng.integers(0, len(_SLIPS), m)])
    slip = slip.where(slip != name.str.slice(-1), "某")
    name = name.where(~flags["random_typo"], name.str.slice(0, -1) + slip)
    biz = d["kind"].eq("business").to_numpy()
    flags["legal_form"] &= biz & name.str.endswith("有限公司").to_numpy()
    name = name.where(~flags["legal_form"], name.str.replace("有限公司$", "有限责任公司",
                                                             regex=True))
    mob = phone.str.fullmatch(r"1\d{10}").to_numpy()
    spaced = name.str.slice(0, 1) + " " + name.str.slice(1)
    name = name.where(~(flags["spacing"] & ~biz), spaced)
    fmt = rng.integers(0, 4, m)
    styled = pd.Series(np.select(
        [fmt == 0, fmt == 1, fmt == 2],
        ["+86 " + phone, "0086" + phone, phone.str.slice(0, 3) + "-" + phone.str.slice(3, 7)
         + "-" + phone.str.slice(7)], "+86-" + phone))
    flags["phone_format"] &= mob
    phone = phone.where(~flags["phone_format"], styled)
    phone = phone.where(~(flags["spacing"] & mob), phone.str.replace(
        r"(\d{3})(\d{4})(\d{4})$", r"\1 \2 \3", regex=True))
    phone = phone.where(~flags["fullwidth"], phone.str.translate(_FULL))
    idn = idn.where(~flags["fullwidth"], idn.astype("str").str.translate(_FULL))
    idn = idn.where(~flags["missing_id"], None)
    d["name"], d["phone"], d["id_number"] = name, phone, idn
    variants = pd.Series([""] * m)
    for k, f in flags.items():
        variants = variants.where(~f, variants + "+" + k)
    truth = pd.DataFrame({"customer_id": d["customer_id"],
                          "original_id": customers["customer_id"].to_numpy()[pick],
                          "variants": variants.str.lstrip("+").replace("", "id_only")})
    return pd.concat([customers, d], ignore_index=True), truth


def inject_hard_negatives(customers: pd.DataFrame, rate: float, *, seed: int) -> pd.DataFrame:
    """Append different people who look alike: household members and namesakes.

    They are drawn from customers whose id does not start with ``S2-`` (not
    from injected duplicates), ``rate * len(customers)`` of them.

    Household member (half): same surname, another given name, same phone and
    region, own ID number missing. Namesake (half): same name and region,
    another phone, no ID number.
    """
    rng = np.random.default_rng(seed + 1)
    cons = customers[customers["kind"].eq("consumer")
                     & ~customers["customer_id"].astype("str").str.startswith("S2-")]
    m = round(rate * len(customers))
    src = cons.iloc[rng.choice(len(cons), m, replace=False)].reset_index(drop=True).copy()
    house = rng.random(m) < 0.5
    given = np.array(list("芳娜敏静丽艳娟霞秀玲强磊军勇涛斌超刚平鹏"))
    pick = rng.integers(0, len(given), m)
    same = given[pick] == src["name"].str.slice(1).to_numpy()  # a household has two names
    other = src["name"].str.slice(0, 1) + given[(pick + same) % len(given)]
    src["name"] = src["name"].where(~house, other)
    src["phone"] = src["phone"].where(house, "19" + pd.Series(rng.integers(0, 10**9, m)).astype(
        str).str.zfill(9))
    src["id_number"] = None
    src["customer_id"] = [f"HN-{i:07d}" for i in range(m)]
    return pd.concat([customers, src], ignore_index=True)


def pairwise_scores(entity: np.ndarray, predicted: np.ndarray) -> tuple[float, float, int]:
    """Pairwise precision and recall of a predicted clustering, and false merged pairs."""
    def pairs(*keys: np.ndarray) -> int:
        sizes = pd.DataFrame(dict(enumerate(keys))).value_counts().to_numpy()
        return int((sizes * (sizes - 1) // 2).sum())
    tp, pred, true = pairs(entity, predicted), pairs(predicted), pairs(entity)
    return (tp / pred if pred else 1.0), (tp / true if true else 1.0), pred - tp


def _rss_mb() -> float:
    with open("/proc/self/status") as f:
        return next(int(line.split()[1]) for line in f if line.startswith("VmRSS")) / 1024


def phase_generate(n: int, seed: int, source: str, folder: Path) -> dict:
    """Customers with injected duplicates and hard negatives, written to parquet."""
    t0 = time.perf_counter()
    if source == "portfolio":
        base, origin = portfolio_customers(n, seed)
    else:
        base, origin = synthetic_customers(n, seed), "bench generator"
    with_dups, truth = inject_duplicates(base, 0.05, seed=seed)
    data = inject_hard_negatives(with_dups, 0.02, seed=seed)
    data.to_parquet(folder / "data.parquet")
    truth.to_parquet(folder / "truth.parquet")
    return {"source": origin, "seconds_generate": round(time.perf_counter() - t0, 2)}


def phase_dedupe(folder: Path) -> dict:
    """find_duplicates alone in this process, so its peak memory is measured by itself."""
    data = pd.read_parquet(folder / "data.parquet")
    rss_loaded = _rss_mb()
    t0 = time.perf_counter()
    naive = (data["phone"].duplicated(keep=False) & data["phone"].notna()) | (
        data["id_number"].duplicated(keep=False) & data["id_number"].notna())
    t_ref = time.perf_counter() - t0
    t0 = time.perf_counter()
    result = find_duplicates(data)
    t_dedupe = time.perf_counter() - t0
    result.merge_map.to_parquet(folder / "merge_map.parquet")
    pd.DataFrame({"naive": naive}).to_parquet(folder / "naive.parquet")
    st = result.stats
    return {
        "n_review": st["n_review"], "n_veto": st["n_veto"], "n_compared": st["n_compared"],
        "n_all_pairs": st["n_all_pairs"], "oversized_blocks": st["oversized_blocks"][:5],
        "seconds_dedupe": round(t_dedupe, 2), "seconds_reference": round(t_ref, 3),
        "rss_after_load_mb": round(rss_loaded, 1),
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
    }


def evaluate(folder: Path) -> dict:
    """Pairwise precision/recall of the auto merges and recall by variant."""
    data = pd.read_parquet(folder / "data.parquet", columns=["customer_id"])
    truth = pd.read_parquet(folder / "truth.parquet")
    merge_map = pd.read_parquet(folder / "merge_map.parquet")
    naive = pd.read_parquet(folder / "naive.parquet")["naive"].to_numpy()
    ids = pd.Series(data["customer_id"].to_numpy(object))
    orig = pd.Series(truth["original_id"].to_numpy(), index=truth["customer_id"])
    entity = ids.map(orig).fillna(ids).to_numpy(object)
    survivor = pd.Series(merge_map["surviving_id"].to_numpy(), index=merge_map["old_id"])
    predicted = ids.map(survivor).fillna(ids).to_numpy(object)
    precision, recall, false_pairs = pairwise_scores(entity, predicted)
    # a duplicate is found when it and its original end in one cluster
    same = pd.Series(predicted, index=ids)
    found_dup = same.reindex(truth["customer_id"]).to_numpy() == same.reindex(
        truth["original_id"]).to_numpy()
    by_variant = {}
    for v in ("spacing", "fullwidth", "phone_format", "typo", "random_typo", "missing_id",
              "legal_form", r"typo\+.*missing_id"):
        rows = truth["variants"].str.contains(rf"(?:^|\+){v}(?:$|\+)").to_numpy()
        by_variant[v.replace("\\+.*", "+")] = [
            int(rows.sum()), round(float(found_dup[rows].mean()), 4) if rows.any() else None]
    return {
        "n_customers": len(data), "n_duplicates": len(truth),
        "precision": round(precision, 4), "recall": round(recall, 4),
        "false_merged_pairs": false_pairs, "recall_by_variant": by_variant,
        "naive_exact_recall": round(float(naive[ids.isin(truth["customer_id"])].mean()), 4),
    }


def _child(*args: str) -> dict:
    out = subprocess.run([sys.executable, __file__, *args], capture_output=True, text=True,
                         check=False)
    if out.returncode:
        print(out.stderr, file=sys.stderr)
        raise SystemExit(out.returncode)
    return json.loads(out.stdout.strip().splitlines()[-1])


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", type=int, nargs="+", default=[100_000, 1_000_000])
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--source", choices=["auto", "portfolio", "synthetic"], default="auto",
                    help="auto: make_portfolio when importable, else the bench generator")
    ap.add_argument("--phase", choices=["generate", "dedupe"], help=argparse.SUPPRESS)
    ap.add_argument("--dir", type=Path, help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.phase == "generate":
        src = "portfolio" if args.source == "auto" else args.source
        print(json.dumps(phase_generate(args.sizes[0], args.seed, src, args.dir)))
        return
    if args.phase == "dedupe":
        print(json.dumps(phase_dedupe(args.dir)))
        return
    for n in args.sizes:
        with tempfile.TemporaryDirectory() as tmp:
            r = _child("--phase", "generate", "--sizes", str(n), "--seed", str(args.seed),
                       "--source", args.source, "--dir", tmp)
            r |= _child("--phase", "dedupe", "--dir", tmp)
            r |= evaluate(Path(tmp))
        share = r["n_compared"] / max(r["n_all_pairs"], 1)
        print(f"\n== {r['n_customers']:,} customers ({r['source']}), "
              f"{r['n_duplicates']:,} injected duplicates")
        print(f"auto merges: precision {r['precision']:.4f}  recall {r['recall']:.4f}  "
              f"(targets >= 0.99 / >= 0.95); false merged pairs {r['false_merged_pairs']}; "
              f"review {r['n_review']:,}; vetoed {r['n_veto']:,}")
        print(f"reference (naive exact raw phone/ID): recall {r['naive_exact_recall']:.4f}")
        print(f"pairs compared {r['n_compared']:,} of n(n-1)/2 = {r['n_all_pairs']:,} "
              f"({share:.2e}); oversized blocks {r['oversized_blocks']}")
        print(f"time: dedupe {r['seconds_dedupe']} s vs reference {r['seconds_reference']} s "
              f"(ratio {r['seconds_dedupe'] / max(r['seconds_reference'], 1e-3):.0f}x); "
              f"generation {r['seconds_generate']} s")
        print(f"memory (dedupe process): RSS after loading the data {r['rss_after_load_mb']} MB,"
              f" peak RSS {r['peak_rss_mb']} MB, so find_duplicates needed "
              f"{r['peak_rss_mb'] - r['rss_after_load_mb']:.0f} MB more")
        print("recall by variant [count, recall]:", json.dumps(r["recall_by_variant"],
                                                               ensure_ascii=False))


if __name__ == "__main__":
    main()
