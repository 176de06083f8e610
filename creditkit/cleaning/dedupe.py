"""Customer deduplication: blocked candidate pairs, explained scores, merge maps.

The same customer arrives twice: keyed by two systems, typed with full-width
digits, a ``+86`` phone, a homophone in the name or no ID number.

1. **Normalise** (vectorised): NFKC (full-width to half-width), no spaces,
   upper case; 15-digit ID numbers converted to 18 and only IDs / credit codes
   with a right check character kept; phones without ``+86``/``0086``, dashes
   or extensions; business names without their legal form (有限公司...).
2. **Block**: pairs come only from records sharing a valid ID (first record
   linked to each other: k-1 links), a phone, or region + name key (homophones
   folded by :data:`CONFUSABLE_GROUPS`). A block over ``max_block`` records is
   not expanded (see ``stats``): at most ``n * max_block / 2`` pairs, never n².
3. **Score and explain** each pair (``reason``; ``name_score`` is 1 for equal
   names, 0.95 for homophones, else the normalised Levenshtein similarity):

   =============== =================================== ====================
   reason          evidence                            score
   =============== =================================== ====================
   id_exact        same valid ID / credit code          1.0
   id_name_differs same ID, name_score < 0.5            0.75 (review)
   id_conflict     two different valid IDs              vetoed
   kind_conflict   a consumer and a business            vetoed
   name_mobile     same mobile                          name_score x 1.0
   name_landline   same landline                        x 0.85 (business 1.0)
   name_address    address similarity >= 0.9            name_score x 0.9
   name_region     same region only                     name_score x 0.55
   name_only       nothing else shared                  name_score x 0.5
   =============== =================================== ====================

   Two different regions multiply by 0.9. A shared landline or address is a
   household, so it needs the same name to count; a name alone never merges.
4. **Decide**: ``score >= auto`` merges, ``[review, auto)`` goes to review.
   Auto pairs form clusters (connected components: union-find); a cluster that
   would join two different valid IDs keeps only its ``id_exact`` links.
5. **Survivor**: the oldest ``open_date``, then the most complete record, then
   the smallest customer id. :func:`~creditkit.cleaning.merge.apply_merge_map`
   repoints bills and payments; :func:`~creditkit.cleaning.merge.merge_customers`
   keeps one row per cluster (both live in :mod:`creditkit.cleaning.merge` and
   are re-exported here).

Examples
--------
>>> import pandas as pd
>>> customers = pd.DataFrame({
...     "customer_id": ["A1", "B7", "A2"], "name": ["张伟", "张 玮", "李娜"],
...     "phone": ["13800135678", "+86 138-0013-5678", "13900001111"]})
>>> result = find_duplicates(customers)
>>> result.merge_map[["old_id", "surviving_id", "reason"]].values.tolist()
[['B7', 'A1', 'name_mobile']]
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from rapidfuzz.distance import Levenshtein
from rapidfuzz.process import cpdist
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import connected_components

from creditkit.cleaning.identifiers import parse_identifiers
from creditkit.cleaning.merge import apply_merge_map, merge_customers
from creditkit.cleaning.normalize import parse_phones
from creditkit.cleaning.text import on_uniques
from creditkit.exceptions import ParameterError, SchemaError
from creditkit.privacy import BUSINESS_FORMS

__all__ = [
    "CONFUSABLE_GROUPS",
    "DedupeResult",
    "apply_merge_map",
    "find_duplicates",
    "merge_customers",
]

#: Common name characters typed for one another, by toneless pinyin (what a
#: pinyin input method offers next to the intended one). Each group folds to
#: its first character for the name key and the 0.95 name score.
CONFUSABLE_GROUPS: dict[str, str] = {
    "wei": "伟玮炜纬苇韦薇维威卫魏", "li": "丽莉俐利力立黎理李励", "ming": "明铭鸣名茗",
    "hua": "华化桦花", "jing": "静靖婧晶敬京菁精", "fang": "芳方舫", "min": "敏民珉闽旻",
    "jun": "军君钧俊骏峻郡", "jie": "杰洁捷婕", "tao": "涛韬滔桃陶", "lei": "磊蕾垒雷",
    "juan": "娟涓鹃", "xia": "霞侠夏", "ping": "平萍苹屏", "gang": "刚钢纲岗",
    "hui": "辉晖徽慧惠蕙", "qiang": "强蔷", "yan": "燕艳雁彦妍研岩颜炎阎闫",
    "ling": "玲铃羚灵凌龄", "lin": "林琳霖淋麟", "hong": "红宏鸿虹洪", "ying": "英颖莹盈瑛",
    "bin": "斌彬滨", "peng": "鹏朋彭", "chao": "超潮朝", "jian": "建健剑坚", "bo": "波博搏伯柏",
    "yong": "勇永涌", "kai": "凯恺楷", "hao": "浩昊皓豪", "yu": "宇雨羽禹玉钰于余",
    "xin": "欣心新馨鑫", "jia": "佳嘉家", "ting": "婷亭庭", "xue": "雪学", "mei": "梅玫媚美",
    "qian": "倩茜", "chen": "晨辰臣陈", "feng": "峰锋枫丰", "fei": "飞菲霏", "dong": "东冬",
    "wen": "文雯闻", "zhi": "志智芝", "lan": "兰岚蓝", "xiu": "秀绣", "qin": "琴勤芹秦",
    "yun": "云芸耘", "guo": "国帼郭", "chun": "春纯", "gui": "桂贵", "na": "娜那纳",
    "liang": "亮靓梁", "yue": "悦越月岳跃玥", "xuan": "萱宣轩暄", "si": "思斯丝",
    "han": "涵寒含晗韩", "yi": "怡仪宜依毅", "ke": "可珂柯", "tong": "彤桐童", "dan": "丹单",
    "xiao": "晓筱小肖萧", "xu": "旭煦许徐", "fan": "帆凡", "ning": "宁凝", "long": "龙隆珑",
    "yang": "阳扬洋杨", "zi": "子梓紫", "rui": "睿锐瑞", "ze": "泽择", "ran": "然燃冉",
    "hang": "航杭", "cheng": "成诚程城承", "meng": "梦孟", "shi": "诗师施", "zhang": "张章",
    "wang": "王汪", "liu": "刘柳", "huang": "黄皇", "zhou": "周舟", "wu": "吴武伍",
    "fu": "傅付富福",
}
_FOLD = str.maketrans({c: g[0] for g in CONFUSABLE_GROUPS.values() for c in g[1:]})
# 股份有限公司, 有限责任公司, 股份有限责任公司 ... all name the same legal shell
_LEGAL_FORM_RE = "(?:股份|" + "|".join(sorted(BUSINESS_FORMS, key=len, reverse=True)) + ")+$"
_DECISIONS = ("auto", "review", "veto")


@dataclass(frozen=True)
class DedupeResult:
    """What :func:`find_duplicates` found.

    Attributes
    ----------
    pairs : DataFrame
        Pairs scoring ``>= review`` and vetoed pairs: ``left_id, right_id,
        blocks`` (bits: 1 ID, 2 phone, 4 name), ``name_score, id_match,
        phone_match, region_match`` (1 same, -1 different, 0 unknown),
        ``address_score, score, reason, decision`` (auto, review, veto).
    merge_map : DataFrame
        ``old_id, surviving_id, cluster, score, reason`` (best auto link).
    review : DataFrame
        Pairs to review, both records' name, ID, phone and region side by side.
    clusters : DataFrame
        ``customer_id, cluster, surviving_id, is_survivor, cluster_size``.
    stats : dict
        ``n_customers, n_compared, n_all_pairs`` (n(n-1)/2), ``n_auto,
        n_review, n_veto, n_merged, oversized_blocks`` (sizes not expanded).
    """

    pairs: pd.DataFrame
    merge_map: pd.DataFrame
    review: pd.DataFrame
    clusters: pd.DataFrame
    stats: dict = field(default_factory=dict)


def _fold(u: pd.Series) -> pd.Series:
    out = u.str.normalize("NFKC").str.replace(r"\s+", "", regex=True).str.upper()
    return out.where(out.str.len() > 0)


def _text(s: pd.Series, extra: str | None = None) -> pd.Series:
    """NFKC, no spaces, upper case; blanks and #N/A missing. Works on distinct values."""
    def fn(u: pd.Series) -> pd.DataFrame:
        v = _fold(u)
        return pd.DataFrame({"t": v if extra is None else v.str.replace(extra, "", regex=True)})
    return on_uniques(s, fn)["t"]


def _norm_ids(s: pd.Series, kind: pd.Series, check: bool) -> pd.Series:
    """Valid ID numbers / credit codes in canonical form (cleaning's rules); else missing."""
    if check:
        return parse_identifiers(s, kind.str.strip().str.lower())["id_number"]
    t = _text(s, r"[\-_.]")
    return t.where(t.str.len() >= 15)


def _norm_phones(s: pd.Series) -> tuple[pd.Series, np.ndarray]:
    """Phones as cleaning normalises them (11-digit mobiles, 0AA-NNNNNNNN landlines)."""
    t = _text(s, r"(?:转|分机|EXT\.?|X|#)\d{1,6}$")  # extensions
    out = parse_phones(t)
    return out["phone"], out["phone_kind"].eq("mobile").fillna(False).to_numpy(bool)


def _norm_names(s: pd.Series, business: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Normalised names and name keys (homophones folded); businesses lose the legal form."""
    def fn(u: pd.Series) -> pd.DataFrame:
        t = _fold(u).str.replace(r"[·•.,'\-]", "", regex=True)
        bare = t.str.replace(_LEGAL_FORM_RE, "", regex=True)
        bare = bare.where(bare.str.len() > 0, t)
        return pd.DataFrame({"t": t, "bare": bare, "key": t.str.translate(_FOLD),
                             "bare_key": bare.str.translate(_FOLD)})
    out = on_uniques(s, fn)
    biz = business.to_numpy()
    return out["t"].where(~biz, out["bare"]), out["key"].where(~biz, out["bare_key"])


def _codes(key: pd.Series) -> np.ndarray:
    return pd.factorize(key, use_na_sentinel=True)[0]


def _runs(codes: np.ndarray, max_block: int) -> tuple[np.ndarray, np.ndarray, np.ndarray, list]:
    """Sorted positions and the start/size of each block of 2..max_block records."""
    present = np.flatnonzero(codes >= 0)
    order = present[np.argsort(codes[present], kind="stable")]
    c = codes[order]
    starts = np.flatnonzero(np.r_[True, c[1:] != c[:-1]]) if len(c) else np.array([], int)
    sizes = np.diff(np.r_[starts, len(c)])
    oversized = sizes[sizes > max_block].tolist()
    keep = (sizes >= 2) & (sizes <= max_block)
    return order, starts[keep], sizes[keep], oversized


def _all_pairs(codes: np.ndarray, max_block: int) -> tuple[np.ndarray, np.ndarray, list]:
    """Every pair inside each block, without a Python loop over blocks."""
    order, starts, sizes, oversized = _runs(codes, max_block)
    pos = np.repeat(starts, sizes) + _ranks(sizes)
    end = np.repeat(starts + sizes, sizes)
    partners = end - pos - 1
    left = np.repeat(pos, partners)
    first = np.cumsum(partners) - partners
    right = left + 1 + (np.arange(partners.sum()) - np.repeat(first, partners))
    return order[left], order[right], oversized


def _ranks(sizes: np.ndarray) -> np.ndarray:
    """0, 1, ..., k-1 for each block size k, concatenated."""
    return np.arange(sizes.sum()) - np.repeat(np.cumsum(sizes) - sizes, sizes)


def _star_pairs(codes: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The first record of each block linked to each other one: k-1 links for k records."""
    order, starts, sizes, _ = _runs(codes, np.iinfo(np.int64).max)
    ranks = _ranks(sizes)
    firsts = np.repeat(starts, sizes)
    pos = firsts + ranks
    return order[firsts[ranks > 0]], order[pos[ranks > 0]]


def _candidates(c: dict, max_block: int) -> tuple[np.ndarray, np.ndarray, np.ndarray, list]:
    n = len(c["name"])
    parts, oversized = [], []
    a, b = _star_pairs(c["id"])
    parts.append((a, b, 1))
    # region + name key; an unknown region (-1) is a block of its own
    name_block = np.where(c["name_key"] >= 0, (c["region"].astype(np.int64) + 1) * (n + 1)
                          + c["name_key"], -1)
    for bit, codes in ((2, c["phone"]), (4, name_block)):
        a, b, over = _all_pairs(codes, max_block)
        parts.append((a, b, bit))
        oversized += over
    lo = np.concatenate([np.minimum(a, b) for a, b, _ in parts]).astype(np.int64)
    hi = np.concatenate([np.maximum(a, b) for a, b, _ in parts]).astype(np.int64)
    bits = np.concatenate([np.full(len(a), bit, np.int8) for a, _, bit in parts])
    uniq, inv = np.unique(lo * n + hi, return_inverse=True)
    blocks = np.zeros(len(uniq), np.int8)
    np.bitwise_or.at(blocks, inv, bits)
    return uniq // max(n, 1), uniq % max(n, 1), blocks, oversized


def _similarity(x: pd.Series, a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Normalised Levenshtein similarity of x[a] and x[b]; NaN where either is missing."""
    va, vb = x.to_numpy(object)[a], x.to_numpy(object)[b]
    ok = pd.notna(va) & pd.notna(vb)
    out = np.full(len(a), np.nan)
    if ok.any():
        out[ok] = cpdist(va[ok].tolist(), vb[ok].tolist(),
                         scorer=Levenshtein.normalized_similarity, workers=1)
    return out


def _match(codes: np.ndarray, a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """1 equal, -1 different, 0 when either is missing (codes from pd.factorize)."""
    ca, cb = codes[a], codes[b]
    return np.where((ca >= 0) & (cb >= 0), np.where(ca == cb, 1, -1), 0).astype(np.int8)


def _score(k: dict, c: dict, a: np.ndarray, b: np.ndarray, has_address: bool) -> pd.DataFrame:
    similar = np.nan_to_num(_similarity(k["name"], a, b))
    name_score = np.where(_match(c["name"], a, b) == 1, 1.0,
                          np.where(_match(c["name_key"], a, b) == 1, 0.95, similar))
    id_match, phone_match = _match(c["id"], a, b), _match(c["phone"], a, b)
    region_match, kind_match = _match(c["region"], a, b), _match(c["kind"], a, b)
    address = _similarity(k["address"], a, b) if has_address else np.full(len(a), np.nan)
    mobile = k["mobile"][a] & k["mobile"][b]
    same_phone, near = phone_match == 1, np.nan_to_num(address) >= 0.9
    weight = np.select([same_phone & (mobile | k["business"][a]), same_phone, near,
                        region_match == 1], [1.0, 0.85, 0.9, 0.55], 0.5)
    reason = np.select(
        [(id_match == 1) & (name_score >= 0.5), id_match == 1, id_match == -1,
         kind_match == -1, same_phone & mobile, same_phone, near, region_match == 1],
        ["id_exact", "id_name_differs", "id_conflict", "kind_conflict", "name_mobile",
         "name_landline", "name_address", "name_region"], "name_only")
    evidence = name_score * weight * np.where(region_match == -1, 0.9, 1.0)
    # one ID under two unrelated names is more often a keying error than one person
    score = np.where(id_match == 1, np.where(name_score >= 0.5, 1.0, 0.75),
                     np.where((id_match == -1) | (kind_match == -1), 0.0, evidence))
    return pd.DataFrame({
        "name_score": name_score.round(4), "id_match": id_match, "phone_match": phone_match,
        "region_match": region_match, "address_score": address.round(4),
        "score": score.round(4), "reason": reason, "_evidence": evidence})


def _column(df: pd.DataFrame, col: str | None) -> pd.Series:
    if col is not None and col in df.columns:
        return df[col]
    return pd.Series(None, index=df.index, dtype=object)


def _check(customers: object, auto: float, review: float, max_block: int,
           required: dict[str, str], address_col: str | None) -> None:
    if not isinstance(customers, pd.DataFrame):
        raise ParameterError(
            f"find_duplicates expects the customers DataFrame, got {type(customers).__name__}")
    if not 0.0 < review <= auto <= 1.0:
        raise ParameterError(
            f"thresholds must satisfy 0 < review <= auto <= 1; got review={review}, "
            f"auto={auto}; e.g. review=0.6, auto=0.9")
    if not isinstance(max_block, int | np.integer) or max_block < 2:
        raise ParameterError(f"max_block must be an integer >= 2, got {max_block!r}")
    need = {**required, **({"address_col": address_col} if address_col else {})}
    missing = {p: c for p, c in need.items() if c not in customers.columns}
    if missing:
        raise SchemaError(
            f"missing column(s) {sorted(missing.values())} in customers; got "
            f"{list(map(str, customers.columns))}; pass "
            f"{next(iter(missing))}= to map yours")
    ids = customers[required["customer_id_col"]]
    if ids.isna().any() or ids.duplicated().any():
        dup = ids[ids.duplicated(keep=False) | ids.isna()].head(3).tolist()
        raise SchemaError(
            f"customer ids must be present and unique to deduplicate; got {dup!r} "
            "repeated or missing; prefix ids with their source system (e.g. 'crm:42')")


def find_duplicates(
    customers: pd.DataFrame,
    *,
    auto: float = 0.9,
    review: float = 0.6,
    max_block: int = 50,
    check_ids: bool = True,
    customer_id_col: str = "customer_id",
    name_col: str = "name",
    id_number_col: str = "id_number",
    phone_col: str = "phone",
    region_col: str = "region",
    kind_col: str = "kind",
    open_date_col: str = "open_date",
    address_col: str | None = None,
) -> DedupeResult:
    """Find duplicate customers, score and explain each pair, and build a merge map.

    Parameters
    ----------
    customers : DataFrame
        Customers with unique ids; only the id and name columns are required,
        the others are used when present. It is not modified.
    auto, review : float, default 0.9 and 0.6
        Pairs scoring ``>= auto`` merge; those in ``[review, auto)`` go to review.
    max_block : int, default 50
        Largest block expanded into pairs (a shared switchboard number or a
        placeholder phone would otherwise pair everyone with everyone).
    check_ids : bool, default True
        Use only ID numbers and credit codes whose check character is right;
        ``False`` trusts any value of 15+ characters.
    customer_id_col, name_col, id_number_col, phone_col, region_col, kind_col, open_date_col : str
        Column names (canonical by default).
    address_col : str, optional
        A free-text address column, compared when given.

    Returns
    -------
    DedupeResult
        ``pairs``, ``merge_map``, ``review``, ``clusters`` and ``stats``.

    Raises
    ------
    ParameterError
        When ``customers`` is not a DataFrame or a threshold is out of range.
    SchemaError
        When the id, name or address column is missing, or ids repeat.

    Examples
    --------
    >>> import pandas as pd
    >>> c = pd.DataFrame({"customer_id": ["C1", "C2", "C3"],
    ...                   "name": ["王伟", "王伟", "王伟"], "region": ["北京", "北京", "上海"],
    ...                   "id_number": ["11010519491231002X", "11010519491231002x", None]})
    >>> r = find_duplicates(c)
    >>> r.merge_map[["old_id", "surviving_id", "reason"]].values.tolist()
    [['C2', 'C1', 'id_exact']]
    """
    required = {"customer_id_col": customer_id_col, "name_col": name_col}
    _check(customers, auto, review, max_block, required, address_col)
    n = len(customers)
    kind = _text(_column(customers, kind_col))
    business = kind.eq("BUSINESS").fillna(False).astype(bool)
    phone, mobile = _norm_phones(_column(customers, phone_col))
    name, name_key = _norm_names(customers[name_col], business)
    k = {"name": name, "name_key": name_key, "phone": phone,
         "mobile": mobile, "region": _text(_column(customers, region_col)), "kind": kind,
         "id": _norm_ids(_column(customers, id_number_col), _column(customers, kind_col)
                         .astype("str"), check_ids),
         "address": _text(_column(customers, address_col))}
    k["business"] = business.to_numpy()
    c = {key: _codes(k[key]) for key in ("name", "name_key", "id", "phone", "region", "kind")}
    a, b, blocks, oversized = _candidates(c, max_block)
    scored = _score(k, c, a, b, address_col is not None)
    # a veto is worth showing only where it stopped a merge or a review
    veto = (scored["reason"].isin(["id_conflict", "kind_conflict"])
            & (scored.pop("_evidence") >= review)).to_numpy()
    decision = np.select([veto, scored["score"] >= auto, scored["score"] >= review],
                         ["veto", "auto", "review"], "reject")
    ids = customers[customer_id_col].to_numpy(object)
    pairs = pd.DataFrame({"left": a, "right": b, "left_id": ids[a], "right_id": ids[b],
                          "blocks": blocks}).join(scored.set_index(np.arange(len(a))))
    pairs["decision"] = decision
    pairs = pairs[decision != "reject"].reset_index(drop=True)
    pairs = _resolve_conflicts(pairs, k["id"], n)
    merge_map, clusters = _clusters(customers, pairs, n, customer_id_col, open_date_col)
    review_table = _review_table(customers, pairs[pairs["decision"] == "review"],
                                 [name_col, id_number_col, phone_col, region_col])
    counts = pairs["decision"].value_counts()
    stats = {"n_customers": n, "n_compared": len(a), "n_all_pairs": n * (n - 1) // 2,
             **{f"n_{d}": int(counts.get(d, 0)) for d in _DECISIONS},
             "n_merged": len(merge_map), "oversized_blocks": sorted(oversized, reverse=True)}
    return DedupeResult(pairs.drop(columns=["left", "right"]), merge_map, review_table,
                        clusters, stats)


def _components(pairs: pd.DataFrame, n: int) -> np.ndarray:
    auto = pairs[pairs["decision"] == "auto"]
    graph = coo_matrix((np.ones(len(auto), np.int8), (auto["left"], auto["right"])),
                       shape=(n, n))
    return connected_components(graph, directed=False)[1]


def _resolve_conflicts(pairs: pd.DataFrame, ids: pd.Series, n: int) -> pd.DataFrame:
    """Send non-ID links of clusters holding two different valid IDs to review."""
    label = _components(pairs, n)
    per = pd.DataFrame({"c": label, "id": ids.to_numpy(object)}).dropna()
    bad = per.groupby("c")["id"].nunique()
    bad = bad[bad > 1].index
    if len(bad) == 0:
        return pairs
    demote = ((pairs["decision"] == "auto") & (pairs["reason"] != "id_exact")
              & pd.Series(label[pairs["left"]], index=pairs.index).isin(bad))
    pairs = pairs.copy()
    pairs.loc[demote, "decision"] = "review"
    return pairs


def _clusters(customers: pd.DataFrame, pairs: pd.DataFrame, n: int, id_col: str,
              open_col: str) -> tuple[pd.DataFrame, pd.DataFrame]:
    label = _components(pairs, n)
    size = np.bincount(label)[label]
    members = np.flatnonzero(size > 1)
    opened = _column(customers, open_col)
    frame = pd.DataFrame({
        "pos": members, "customer_id": customers[id_col].to_numpy(object)[members],
        "label": label[members], "cluster_size": size[members],
        "open_date": pd.to_datetime(opened.iloc[members], errors="coerce").to_numpy(),
        "filled": customers.iloc[members].notna().sum(axis=1).to_numpy()})
    frame = frame.sort_values(["label", "open_date", "filled", "customer_id"],
                              ascending=[True, True, False, True], na_position="last")
    frame["surviving_id"] = frame.groupby("label")["customer_id"].transform("first")
    frame["is_survivor"] = frame["customer_id"] == frame["surviving_id"]
    frame["cluster"] = pd.factorize(frame["surviving_id"])[0]
    frame = frame.sort_values("pos")
    auto = pairs[pairs["decision"] == "auto"]
    links = pd.concat([auto[["left", "score", "reason"]].rename(columns={"left": "pos"}),
                       auto[["right", "score", "reason"]].rename(columns={"right": "pos"})])
    best = links.sort_values("score", ascending=False, kind="stable").drop_duplicates("pos")
    old = frame[~frame["is_survivor"]].merge(best, on="pos", how="left")
    merge_map = old.rename(columns={"customer_id": "old_id"})[
        ["old_id", "surviving_id", "cluster", "score", "reason"]].reset_index(drop=True)
    clusters = frame[["customer_id", "cluster", "surviving_id", "is_survivor",
                      "cluster_size"]].reset_index(drop=True)
    return merge_map, clusters


def _review_table(customers: pd.DataFrame, pairs: pd.DataFrame, cols: list[str]) -> pd.DataFrame:
    out = pairs.drop(columns=["left", "right", "decision"]).reset_index(drop=True)
    for side in ("left", "right"):
        for col in cols:
            out[f"{side}_{col}"] = _column(customers, col).to_numpy(object)[pairs[side]]
    return out
