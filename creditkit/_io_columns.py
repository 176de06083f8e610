"""Header synonyms (Chinese and English) -> creditkit column names, used by creditkit.io.

Raw money columns map to the name without ``_minor`` (``金额`` -> ``amount``):
they are still text, and cleaning converts them to ``amount_minor``.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping

import pandas as pd

from creditkit.exceptions import DataReadError, ParameterError
from creditkit.schema import TABLES

# target -> headers that mean it. A header listed under several targets (流水号)
# resolves to the first target the table has, in this order.
_SYNONYMS: dict[str, tuple[str, ...]] = {
    "customer_id": ("客户编号", "客户号", "客户id", "客户代码", "客户编码", "用户id", "用户编号",
                    "借款人编号", "customerid", "custid", "customerno", "customernumber",
                    "clientid", "customercode"),
    "name": ("客户名称", "客户名", "客户姓名", "姓名", "名称", "公司名称", "企业名称",
             "customername", "name", "clientname"),
    "kind": ("客户类型", "账单类型", "款项类型", "类型", "kind", "type"),
    "id_number": ("身份证号", "身份证号码", "证件号", "证件号码", "统一社会信用代码", "idnumber",
                  "idno", "idcard"),
    "phone": ("手机号", "手机号码", "手机", "电话", "联系电话", "mobile", "phone", "tel"),
    "region": ("地区", "区域", "省份", "所在地区", "region", "province"),
    "industry": ("行业", "所属行业", "industry", "sector"),
    "open_date": ("开户日期", "开户时间", "注册日期", "opendate", "registrationdate"),
    "credit_limit": ("授信额度", "信用额度", "额度", "creditlimit", "limit"),
    "currency": ("币种", "货币", "币别", "currency", "ccy"),
    "external_rating": ("外部评级", "信用评级", "评级", "externalrating", "rating"),
    "application_id": ("申请编号", "申请号", "申请id", "申请单号", "applicationid", "appid"),
    "application_date": ("申请日期", "申请时间", "applicationdate", "appdate"),
    "target": ("坏客户标记", "违约标记", "是否违约", "target", "bad", "default"),
    "txn_id": ("交易编号", "交易号", "交易流水号", "流水号", "txnid", "transactionid"),
    "txn_date": ("交易日期", "交易时间", "消费日期", "txndate", "transactiondate"),
    "amount": ("金额", "应收金额", "账单金额", "交易金额", "消费金额", "回款金额", "付款金额",
               "收款金额", "还款金额", "实收金额", "实还金额", "发票金额", "到账金额", "核销金额",
               "amount", "amt", "value"),
    "category": ("消费类别", "类别", "品类", "商品类别", "category"),
    "channel": ("渠道", "支付方式", "付款方式", "支付渠道", "还款方式", "收款方式", "还款渠道",
                "channel", "paymentmethod", "method"),
    "bill_id": ("账单编号", "账单号", "账单id", "billid", "billno"),
    "invoice_id": ("发票号", "发票编号", "发票号码", "订单号", "订单编号", "发票/订单号",
                   "invoiceid", "invoiceno", "invoicenumber", "orderid", "orderno"),
    "issue_date": ("出账日期", "开票日期", "账单日", "账单日期", "issuedate", "invoicedate",
                   "billdate"),
    "due_date": ("到期日", "到期日期", "应还日期", "还款日", "最后还款日", "应收日期", "duedate"),
    "payment_id": ("回款编号", "收款编号", "付款编号", "还款编号", "交易流水号", "银行流水号",
                   "流水号", "paymentid", "receiptid", "receiptno"),
    "paid_date": ("回款日期", "付款日期", "收款日期", "到账日期", "还款日期", "实还日期",
                  "支付日期", "交易日期", "paiddate", "paymentdate", "receiptdate", "valuedate"),
    "reference": ("备注", "附言", "摘要", "用途", "参考号", "reference", "memo", "remark",
                  "remarks", "note", "narrative", "description"),
    "payer_name": ("付款人", "付款方", "付款人名称", "付款户名", "对方户名", "汇款人", "payer",
                   "payername"),
}
_PARENS = re.compile(r"\([^)]*\)|\[[^\]]*\]")
_NOISE = re.compile(r"[\s_\-.:：]+")


def normalise_header(header: object) -> str:
    """Header text reduced for matching: NFKC, lower case, no units in brackets or spaces."""
    t = unicodedata.normalize("NFKC", str(header)).strip().lower()
    t = _PARENS.sub("", t) or t
    return _NOISE.sub("", t)


_LOOKUP: dict[str, list[str]] = {}
for _target, _words in _SYNONYMS.items():
    for _w in (*_words, _target):
        _LOOKUP.setdefault(normalise_header(_w), []).append(_target)


def _targets(table: str) -> set[str]:
    if table not in TABLES:
        raise ParameterError(f"unknown table {table!r}; expected one of {sorted(TABLES)}")
    names = TABLES[table].names
    return set(names) | {n[: -len("_minor")] for n in names if n.endswith("_minor")}


def map_columns(df: pd.DataFrame, *, table: str | None, column_map: Mapping[str, str] | None,
                where: str) -> tuple[pd.DataFrame, dict[str, str]]:
    """Rename ``df``'s headers to creditkit names; return the frame and what was renamed."""
    headers = [str(c) for c in df.columns]
    explicit = dict(column_map or {})
    unknown = [k for k in explicit if k not in headers]
    if unknown:
        raise DataReadError(f"column_map names {unknown} that are not headers of {where}; "
                            f"headers are {headers}")
    mapping = {h: explicit[h] for h in headers if h in explicit}
    if table is not None:
        allowed = _targets(table)
        claimed = set(mapping.values())
        found: dict[str, str] = {}
        for h in headers:
            if h in mapping:
                continue
            if h in allowed or h in TABLES[table].names:
                target = h
            else:
                target = next((t for t in _LOOKUP.get(normalise_header(h), []) if t in allowed),
                              None)
            if target is None or target in claimed:
                continue
            if target in found:
                raise DataReadError(
                    f"headers {found[target]!r} and {h!r} of {where} both mean {target!r}; "
                    f"pass column_map={{{found[target]!r}: {target!r}}} to choose one")
            found[target] = h
        mapping.update({h: t for t, h in found.items()})
        if not any(t in allowed for t in mapping.values()):
            raise DataReadError(
                f"no column of {where} is recognisable as part of {table}; headers are {headers}; "
                f"pass column_map={{'your header': 'customer_id', ...}} with names from "
                f"{sorted(allowed)}")
    mapping = {h: t for h, t in mapping.items() if h != t}
    out = df.rename(columns=mapping) if mapping else df
    if out.columns.duplicated().any():
        dup = sorted(set(out.columns[out.columns.duplicated()]))
        raise DataReadError(f"after mapping, {where} has duplicate columns {dup}; "
                            "fix column_map so each creditkit name is used once")
    return out, mapping
