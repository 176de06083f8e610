"""zh/en labels of collections: reconciliation (one section of ``creditkit.labels``)."""

from __future__ import annotations

# --- collections: reconciliation (04) -------------------------------------
COLLECTIONS: dict[str, tuple[str, str]] = {
    # columns
    "exception_minor": ("未核销(待处理)金额", "Not applied (exceptions)"),
    "n_exceptions": ("待处理笔数", "Exceptions"),
    "writeoff_minor": ("尾差核销金额", "Tolerance write-offs"),
    "applied_share": ("自动核销占比", "Share applied automatically"),
    "best_bill_id": ("最可能账单", "Best candidate bill"),
    "best_score": ("最佳候选得分", "Best candidate score"),
    "candidates": ("候选账单(得分)", "Candidate bills (score)"),
    "payer_candidates": ("候选付款客户(得分)", "Candidate payers (score)"),
    "payer_method": ("付款人识别方式", "How the payer was identified"),
    "payer_score": ("付款人识别得分", "Payer score"),
    "source_payment_id": ("原回款编号", "Original payment ID"),
    # allocation methods
    "explicit": ("按指定账单/发票", "Bill or invoice named on the payment"),
    "reference_match": ("按附言单号", "Bill number in the reference"),
    "reference_fuzzy": ("按附言单号(截断/笔误,金额确认)",
                        "Truncated or mistyped number, confirmed by amount"),
    "reference_combination": ("附言多笔合付", "Several bills named in the reference"),
    "amount_exact": ("金额唯一匹配", "Only open bill of that amount"),
    "amount_exact_oldest": ("同额账单按最早", "Equal amounts, oldest bill first"),
    "amount_combination": ("金额组合匹配", "Exact combination of open bills"),
    "amount_combination_oldest": ("金额组合(多解取最早)",
                                  "Combination of open bills, oldest of several"),
    "amount_tolerance": ("容差内少付", "Short payment within tolerance"),
    "tolerance_writeoff": ("尾差核销", "Tolerance write-off"),
    "manual": ("人工确认", "Confirmed by an analyst"),
    # payer methods
    "given": ("回款已带客户编号", "Customer on the payment"),
    "account": ("付款账户对应", "Known payer account"),
    "customer_id_reference": ("附言中的客户编号", "Customer ID in the reference"),
    "name_exact": ("付款人名称一致", "Payer name"),
    "name_fuzzy": ("付款人名称相近", "Similar payer name"),
    "bill_reference": ("附言单号所属客户", "Customer of the bill in the reference"),
    # exception reasons
    "after_as_of": ("回款日期晚于统计日", "Paid after the as-of date"),
    "unknown_payer": ("付款人无法识别", "Payer not identified"),
    "shared_name": ("付款人名称对应多个客户", "Name shared by several customers"),
    "ambiguous_name": ("付款人名称相近的客户不止一个", "Several customers with a similar name"),
    "ambiguous_reference": ("附言单号属于多个客户", "Reference names bills of several customers"),
    "manual_remainder": ("人工确认后的余额", "Rest after an analyst's confirmation"),
    "low_confidence": ("匹配置信度低于自动核销线", "Match below the auto-apply level"),
    "overpayment": ("多付(余额未核销)", "Overpayment: rest not applied"),
    "bill_already_paid": ("所指账单已结清", "Named bill already paid"),
    "currency_mismatch": ("币种与客户账单不符", "No open bill in this currency"),
    "no_open_bill": ("客户无未结账单", "Customer has no open bill"),
    "no_amount_match": ("金额无法匹配", "No bill or combination of this amount"),
}
