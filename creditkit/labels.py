"""The zh/en label table: every column, bucket, tier and metric shown to people.

Chinese labels live here and nowhere else. Each concept owns one section
below; ``LABELS`` is their union. Unknown keys fall back to the key itself,
so a report never fails for a missing label (the test suite checks that the
columns reports show are covered).

Examples
--------
>>> label("outstanding_minor", "zh")
'未结余额'
>>> label("outstanding_minor", "en")
'Outstanding'
>>> relabel(__import__("pandas").DataFrame({"dpd": [1]}), "zh").columns.tolist()
['逾期天数']
"""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd

from creditkit.exceptions import ParameterError

__all__ = ["LABELS", "LANGS", "label", "labels", "relabel"]

LANGS = ("zh", "en")

# --- common: data model columns and values ----------------------------------
_COMMON: dict[str, tuple[str, str]] = {
    # key: (zh, en)
    "customer_id": ("客户编号", "Customer ID"),
    "name": ("客户名称", "Name"),
    "kind": ("类型", "Kind"),
    "id_number": ("证件号码", "ID number"),
    "phone": ("手机号", "Phone"),
    "region": ("地区", "Region"),
    "industry": ("行业", "Industry"),
    "open_date": ("开户日期", "Open date"),
    "credit_limit_minor": ("授信额度", "Credit limit"),
    "currency": ("币种", "Currency"),
    "external_rating": ("外部评级", "External rating"),
    "application_id": ("申请编号", "Application ID"),
    "application_date": ("申请日期", "Application date"),
    "target": ("坏客户标记", "Bad flag"),
    "txn_id": ("交易编号", "Transaction ID"),
    "txn_date": ("交易日期", "Transaction date"),
    "category": ("消费类别", "Category"),
    "channel": ("渠道", "Channel"),
    "bill_id": ("账单编号", "Bill ID"),
    "invoice_id": ("发票/订单号", "Invoice ID"),
    "issue_date": ("出账日期", "Issue date"),
    "due_date": ("到期日", "Due date"),
    "amount_minor": ("金额", "Amount"),
    "payment_id": ("回款编号", "Payment ID"),
    "paid_date": ("回款日期", "Paid date"),
    "reference": ("附言", "Reference"),
    "payer_name": ("付款人", "Payer"),
    "method": ("核销方式", "Method"),
    "confidence": ("置信度", "Confidence"),
    "as_of": ("统计日期", "As of"),
    "month": ("月份", "Month"),
    "count": ("笔数", "Count"),
    "customers": ("客户数", "Customers"),
    "share": ("占比", "Share"),
    "score": ("评分", "Score"),
    "pd": ("违约概率", "Probability of default"),
    "tier": ("客户分层", "Tier"),
    "limit_minor": ("授信额度", "Limit"),
    # values
    "consumer": ("个人", "Consumer"),
    "business": ("企业", "Business"),
    "invoice": ("发票", "Invoice"),
    "instalment": ("分期", "Instalment"),
    "fee": ("费用", "Fee"),
    "payment": ("回款", "Payment"),
    "credit_note": ("红字冲销", "Credit note"),
    "write_off": ("核销坏账", "Write-off"),
    "bank_transfer": ("银行转账", "Bank transfer"),
    "card": ("银行卡", "Card"),
    "alipay": ("支付宝", "Alipay"),
    "wechat": ("微信支付", "WeChat Pay"),
    "auto_debit": ("自动扣款", "Auto-debit"),
    "cash": ("现金", "Cash"),
    "bnpl": ("消费分期", "BNPL"),
    "b2b": ("企业赊销", "B2B trade credit"),
    "mixed": ("混合", "Mixed"),
}

# --- reports and manifest ---------------------------------------------------
_REPORTS: dict[str, tuple[str, str]] = {
    "manifest": ("报告信息", "Report manifest"),
    "parameters": ("参数", "Parameters"),
    "data_fingerprint": ("数据指纹", "Data fingerprint"),
    "creditkit_version": ("creditkit 版本", "creditkit version"),
    "run_at": ("运行时间", "Run at"),
    "notebook": ("笔记本", "Notebook"),
    "duration": ("耗时", "Duration"),
    "report_index": ("creditkit 报告目录", "creditkit reports"),
    "failed": ("运行失败", "failed"),
    "table": ("数据表", "Table"),
    "filter": ("筛选", "Filter"),
    "filter_hint": ("输入任意文字筛选行", "type to filter rows"),
    "page": ("页码", "Page"),
}

# --- portfolio overview (00) ------------------------------------------------
_PORTFOLIO: dict[str, tuple[str, str]] = {
    "n_customers": ("客户数", "Customers"),
    "n_bills": ("账单数", "Bills"),
    "n_payments": ("回款笔数", "Payments"),
    "billed_minor": ("出账金额", "Billed"),
    "paid_minor": ("回款金额", "Paid"),
    "balance_minor": ("余额", "Balance"),
    "product": ("产品", "Product"),
    "unknown": ("未知", "Unknown"),
    "unattributed": ("未认领回款", "Unattributed payments"),
    "portfolio_size": ("组合规模", "Portfolio size"),
    "portfolio_overview": ("资产组合概览", "Portfolio overview"),
    "balances_by_product_region": ("按产品和地区的余额", "Balances by product and region"),
    "issued_vs_paid": ("每月出账与回款", "Bills issued and paid by month"),
    "channel_mix": ("回款渠道构成", "Payment channel mix"),
}

# --- cleaning and data quality (01) -----------------------------------------
_CLEANING: dict[str, tuple[str, str]] = {
    # cleaning (cleaning/clean.py, quarantine.py, quality.py): reason codes and quality columns
    "malformed_line": ("行格式错误", "Malformed line"),
    "empty_row": ("空行", "Empty row"),
    "missing_required": ("必填项缺失", "Required value missing"),
    "unparseable_date": ("日期无法识别", "Unreadable date"),
    "impossible_date": ("日期不存在", "Impossible date"),
    "ambiguous_date": ("日月顺序不明", "Ambiguous day/month"),
    "date_out_of_window": ("日期超出合理范围", "Date out of window"),
    "date_after_as_of": ("日期晚于统计日", "Date after as-of"),
    "invalid_amount": ("金额无法识别", "Unreadable amount"),
    "negative_amount": ("金额为负", "Negative amount"),
    "unknown_currency": ("币种无法识别", "Unknown currency"),
    "currency_conflict": ("币种不一致", "Currency conflict"),
    "invalid_id_number": ("身份证号无效", "Invalid ID number"),
    "invalid_credit_code": ("统一社会信用代码无效", "Invalid credit code"),
    "invalid_phone": ("电话号码无效", "Invalid phone"),
    "unknown_channel": ("支付渠道无法识别", "Unknown channel"),
    "unknown_kind": ("类型无法识别", "Unknown kind"),
    "due_before_issue": ("到期日早于出账日", "Due before issue"),
    "unknown_customer": ("客户不存在", "Unknown customer"),
    "unknown_bill": ("账单不存在", "Unknown bill"),
    "unknown_invoice": ("发票/订单不存在", "Unknown invoice"),
    "duplicate_key_conflict": ("编号重复且内容不同", "Duplicate key, different content"),
    "exact_duplicate": ("完全重复（已合并）", "Exact duplicate (merged)"),
    "source_row": ("源文件行号", "Source row"),
    "message": ("说明", "Message"),
    "column": ("字段", "Column"),
    "key": ("编号", "Key"),
    "raw": ("原始内容", "Original row"),
    "amount_text": ("原始金额", "Amount as written"),
    "surviving_key": ("保留编号", "Surviving key"),
    "surviving_source_row": ("保留行号", "Surviving source row"),
    "rows": ("行数", "Rows"),
    "n_rows": ("行数", "Rows"),
    "n_present": ("非空数", "Non-blank"),
    "n_valid": ("有效数", "Valid"),
    "n_distinct": ("不同值数", "Distinct"),
    "completeness": ("完整率", "Completeness"),
    "validity": ("有效率", "Validity"),
    "uniqueness": ("唯一率", "Uniqueness"),
    "rows_in": ("输入行数", "Rows in"),
    "rows_clean": ("清洗通过", "Clean rows"),
    "rows_quarantined": ("隔离行数", "Quarantined rows"),
    "rows_merged": ("合并重复行", "Merged duplicates"),
    "file": ("文件", "File"),
    "money_in_minor": ("输入金额（最小单位）", "Money in (minor units)"),
    "money_in": ("输入金额", "Money in"),
    "completeness_rate": ("完整率", "Completeness"),
    "validity_rate": ("有效率", "Validity"),
    "uniqueness_rate": ("唯一率", "Uniqueness"),
    "n_compared": ("比对的客户对", "Pairs compared"),
    "n_all_pairs": ("全部可能的客户对", "All possible pairs"),
    "n_auto": ("自动合并的客户对", "Pairs auto-merged"),
    "n_review": ("待复核的客户对", "Pairs to review"),
    "n_veto": ("禁止合并的客户对", "Pairs vetoed"),
    "n_merged": ("被合并的客户", "Customers merged"),
    "oversized_blocks": ("过大未展开的分组", "Oversized blocks skipped"),
    "invariants_ok": ("行数与金额核对一致", "Rows and money reconcile"),
    "intake_summary": ("1. 数据接收概况", "1. Intake summary"),
    "quarantine_by_reason": ("2. 隔离原因", "2. Quarantine by reason"),
    "column_quality": ("3. 字段质量（完整率、有效率、唯一率）",
                       "3. Column quality (completeness, validity, uniqueness)"),
    "quarantined_rows": ("4. 隔离与合并明细", "4. Quarantined and merged rows"),
    "duplicate_customers": ("5. 疑似重复客户", "5. Possible duplicate customers"),
    # customer deduplication (cleaning/dedupe.py): reason codes, decisions, columns
    "id_exact": ("证件号一致", "Same ID number"),
    "id_name_differs": ("证件号一致但姓名不符", "Same ID number, different name"),
    "id_conflict": ("证件号冲突", "Conflicting ID numbers"),
    "kind_conflict": ("客户类型冲突", "Consumer vs business"),
    "name_mobile": ("姓名+手机号一致", "Name and mobile match"),
    "name_landline": ("姓名+固话一致", "Name and landline match"),
    "name_address": ("姓名+地址一致", "Name and address match"),
    "name_region": ("仅姓名+地区一致", "Name and region only"),
    "name_only": ("仅姓名相似", "Name only"),
    "auto": ("自动合并", "Auto-merge"),
    "review": ("待人工复核", "To review"),
    "veto": ("禁止合并", "Vetoed"),
    "left_id": ("客户编号 A", "Customer ID A"),
    "right_id": ("客户编号 B", "Customer ID B"),
    "left_name": ("客户名称 A", "Name A"),
    "right_name": ("客户名称 B", "Name B"),
    "left_id_number": ("证件号码 A", "ID number A"),
    "right_id_number": ("证件号码 B", "ID number B"),
    "left_phone": ("手机号 A", "Phone A"),
    "right_phone": ("手机号 B", "Phone B"),
    "left_region": ("地区 A", "Region A"),
    "right_region": ("地区 B", "Region B"),
    "blocks": ("候选来源", "Candidate blocks"),
    "name_score": ("姓名相似度", "Name similarity"),
    "id_match": ("证件号比对", "ID match"),
    "phone_match": ("电话比对", "Phone match"),
    "region_match": ("地区比对", "Region match"),
    "address_score": ("地址相似度", "Address similarity"),
    "old_id": ("被合并客户编号", "Merged customer ID"),
    "surviving_id": ("保留客户编号", "Surviving customer ID"),
    "cluster": ("重复组", "Duplicate group"),
    "cluster_size": ("组内客户数", "Group size"),
    "is_survivor": ("是否保留", "Survivor"),
}

# --- scoring (02) -----------------------------------------------------------
_SCORING: dict[str, tuple[str, str]] = {
    # binning tables
    "variable": ("变量", "Variable"),
    "bin": ("分箱", "Bin"),
    "goods": ("好客户数", "Goods"),
    "bads": ("坏客户数", "Bads"),
    "bad_rate": ("坏账率", "Bad rate"),
    "woe": ("证据权重 (WoE)", "WoE"),
    "iv": ("信息值 (IV)", "IV"),
    # scorecard
    "estimate": ("系数", "Estimate"),
    "std_error": ("标准误", "Std. error"),
    "p_value": ("P 值", "p-value"),
    "coefficient": ("系数", "Coefficient"),
    "points": ("分值", "Points"),
    "outcome": ("表现", "Outcome"),
    "good": ("好客户", "Good"),
    "bad": ("坏客户", "Bad"),
    "reason": ("原因", "Reason"),
    "points_lost": ("失分", "Points lost"),
    # validation
    "auc": ("AUC", "AUC"),
    "ks": ("KS", "KS"),
    "gini": ("基尼系数", "Gini"),
    "band": ("分数段", "Score band"),
    "min_score": ("最低分", "Min score"),
    "max_score": ("最高分", "Max score"),
    "cum_count_share": ("累计占比", "Cumulative share"),
    "cum_bad_share": ("累计坏客户占比", "Cumulative bad share"),
    "cum_good_share": ("累计好客户占比", "Cumulative good share"),
    "lift": ("提升度", "Lift"),
    "cum_lift": ("累计提升度", "Cumulative lift"),
    "fpr": ("误拒率 (好客户)", "False positive rate"),
    "tpr": ("坏客户识别率", "True positive rate"),
    "observed_bad_rate": ("实际坏账率", "Observed bad rate"),
    "predicted_bad_rate": ("预测坏账率", "Predicted bad rate"),
    "difference": ("差异", "Difference"),
    "psi": ("稳定性指标 (PSI)", "PSI"),
    "csi": ("特征稳定性 (CSI)", "CSI"),
    "base_share": ("基准占比", "Base share"),
    "current_share": ("当前占比", "Current share"),
    "base_count": ("基准笔数", "Base count"),
    "current_count": ("当前笔数", "Current count"),
    "stable": ("稳定", "Stable"),
    "watch": ("关注", "Watch"),
    "act": ("需处理", "Act"),
    "model": ("模型", "Model"),
    "scorecard": ("评分卡", "Scorecard"),
    "challenger": ("挑战者模型", "Challenger"),
    "auc_gap": ("AUC 差距", "AUC gap"),
    # cut-offs, limits and terms
    "cutoff": ("审批分数线", "Cut-off"),
    "approved": ("通过数", "Approved"),
    "approval_rate": ("通过率", "Approval rate"),
    "approved_bads": ("通过坏客户数", "Approved bads"),
    "rejected_bads": ("拒绝坏客户数", "Rejected bads"),
    "expected_loss_minor": ("预期损失", "Expected loss"),
    "grade": ("等级", "Grade"),
    "decision": ("决策", "Decision"),
    "term_months": ("期限 (月)", "Term (months)"),
    "term_days": ("账期 (天)", "Payment terms (days)"),
    "approve": ("通过", "Approve"),
    "decline": ("拒绝", "Decline"),
    "prepayment": ("预付款", "Prepayment"),
    "refer": ("转人工", "Refer"),
    "restricted_grade": ("限制类等级", "Restricted grade"),
    "prepayment_grade": ("预付款等级", "Prepayment grade"),
    "limit_capped": ("额度封顶", "Limit capped"),
    "limit_by_policy": ("按政策核定", "Limit by policy"),
    "missing_basis": ("缺少额度依据", "Missing limit basis"),
    "rating_below_floor": ("外部评级低于下限", "Rating below floor"),
    "bureau_below_floor": ("征信评分低于下限", "Bureau score below floor"),
    "bin_index": ("分箱序号", "Bin index"),
    # report sections and samples (02-scorecard)
    "sample": ("样本", "Sample"),
    "train": ("训练集", "Training sample"),
    "test": ("测试集", "Test sample"),
    "scoring_sample": ("1. 建模样本", "1. Development sample"),
    "scoring_binning": ("2. 变量分箱与信息值", "2. Binning and information value"),
    "scoring_woe": ("2.1 各变量证据权重", "2.1 WoE by variable"),
    "scoring_model": ("3. 模型系数", "3. Model coefficients"),
    "scoring_points": ("3.1 评分卡分值表", "3.1 Points table"),
    "scoring_performance": ("4. 区分能力", "4. Discrimination"),
    "scoring_bands": ("5. 分数段表现", "5. Score bands"),
    "scoring_calibration": ("5.1 校准", "5.1 Calibration"),
    "scoring_stability": ("6. 稳定性 (PSI / CSI)", "6. Stability (PSI / CSI)"),
    "scoring_challenger": ("7. 挑战者模型对比", "7. Challenger comparison"),
    "scoring_cutoff": ("8. 审批分数线", "8. Cut-off analysis"),
    "scoring_limits": ("9. 额度与期限政策", "9. Limit and term policy"),
    "scoring_deploy": ("10. 部署 (SQL)", "10. Deployment (SQL)"),
    "scoring_reasons": ("3.2 拒绝原因示例", "3.2 Reason codes (adverse action)"),
    "reason_1": ("原因一", "Reason 1"),
    "reason_2": ("原因二", "Reason 2"),
    "reason_3": ("原因三", "Reason 3"),
    "points_lost_1": ("失分一", "Points lost 1"),
    "points_lost_2": ("失分二", "Points lost 2"),
    "points_lost_3": ("失分三", "Points lost 3"),
    # binning rows and variable selection (binning engineer)
    "Missing": ("缺失", "Missing"),
    "Totals": ("合计", "Totals"),
    "Unknown": ("未知类别", "Unknown"),
    "monotonic_trend": ("单调趋势", "Monotonic trend"),
    "n_bins": ("分箱数", "Number of bins"),
    "kept": ("保留", "Kept"),
    "detail": ("说明", "Detail"),
    "iv_too_low": ("信息值过低", "IV too low"),
    "iv_too_high": ("信息值过高 (疑似泄漏)", "IV too high (leakage?)"),
    "correlated": ("与更高信息值变量高度相关", "Correlated with a higher-IV variable"),
    "vif_too_high": ("方差膨胀因子过高", "VIF too high"),
    "stepwise_removed": ("逐步回归剔除", "Removed by stepwise"),
    "stepwise_not_entered": ("逐步回归未入选", "Not entered by stepwise"),
}

# --- repayment tracking and aging (03) --------------------------------------
_AGING: dict[str, tuple[str, str]] = {
    "outstanding_minor": ("未结余额", "Outstanding"),
    "unapplied_minor": ("未核销款", "Unapplied"),
    "dpd": ("逾期天数", "Days past due"),
    "bucket": ("逾期分档", "Bucket"),
    "applied_minor": ("已核销金额", "Applied"),
    "received_minor": ("回款总额", "Received"),
    "credited_minor": ("红字冲销", "Credited"),
    "written_off_minor": ("坏账核销", "Written off"),
    "net_balance_minor": ("净余额", "Net balance"),
    "past_due_minor": ("逾期金额", "Past due"),
    "worst_dpd": ("最长逾期天数", "Worst days past due"),
    "age": ("账龄天数", "Age (days)"),
    "current": ("未逾期", "Current"),
    "1-30": ("1-30天", "1-30 days"),
    "31-60": ("31-60天", "31-60 days"),
    "61-90": ("61-90天", "61-90 days"),
    "91-120": ("91-120天", "91-120 days"),
    "120+": ("120天以上", "120+ days"),
    "M0": ("M0 未逾期", "M0 current"),
    "M1": ("M1 (1-30天)", "M1 (1-30)"),
    "M2": ("M2 (31-60天)", "M2 (31-60)"),
    "M3": ("M3 (61-90天)", "M3 (61-90)"),
    "M4": ("M4 (91-120天)", "M4 (91-120)"),
    "M5": ("M5 (121-150天)", "M5 (121-150)"),
    "M6": ("M6 (151-180天)", "M6 (151-180)"),
    "M7": ("M7 (180天以上)", "M7 (180+)"),
    "normal": ("正常", "Normal"),
    "special_mention": ("关注", "Special mention"),
    "substandard": ("次级", "Substandard"),
    "doubtful": ("可疑", "Doubtful"),
    "loss": ("损失", "Loss"),
    "new": ("新增", "New"),
    "closed": ("结清", "Closed"),
    "from_bucket": ("期初分档", "From bucket"),
    "to_bucket": ("期末分档", "To bucket"),
    "from_date": ("期初日期", "From date"),
    "to_date": ("期末日期", "To date"),
    "roll_rate": ("滚动率", "Roll rate"),
    "flow_rate": ("迁徙率", "Flow rate"),
    "vintage": ("放款月份", "Vintage"),
    "mob": ("账龄月 (MOB)", "Months on book"),
    "rate": ("比率", "Rate"),
    "bad_minor": ("不良金额", "Bad amount"),
    "fpd": ("首逾", "First-payment default"),
    "n_loans": ("借款笔数", "Loans"),
    "n_fpd": ("首逾笔数", "FPD loans"),
    "fpd_rate": ("首逾率", "FPD rate"),
    "amount_fpd_rate": ("首逾率(金额)", "FPD rate (amount)"),
    "fpd_amount_minor": ("首逾金额", "FPD amount"),
    "cure_rate": ("催回率", "Cure rate"),
    "balance_cure_rate": ("催回率(金额)", "Cure rate (balance)"),
    "delinquent": ("逾期客户数", "Delinquent customers"),
    "cured": ("催回客户数", "Cured customers"),
    "delinquent_balance_minor": ("逾期余额", "Delinquent balance"),
    "cured_balance_minor": ("催回余额", "Cured balance"),
    "collection_multiplier": ("回款倍数", "Collection multiplier"),
    "multiplier": ("回款倍数", "Multiplier"),
    "cash_minor": ("回款金额", "Cash collected"),
    "due_minor": ("到期金额", "Amount due"),
    "dso": ("应收账款周转天数 (DSO)", "DSO"),
    "count_back_dso": ("倒推法 DSO", "Count-back DSO"),
    "bpdso": ("最佳 DSO", "Best possible DSO"),
    "add": ("平均逾期天数 (ADD)", "Average days delinquent"),
    "cei": ("回款有效性指数 (CEI)", "Collection effectiveness index"),
    "beginning_ar_minor": ("期初应收", "Beginning AR"),
    "ending_ar_minor": ("期末应收", "Ending AR"),
    "ending_current_ar_minor": ("期末未逾期应收", "Ending current AR"),
    "credit_sales_minor": ("赊销额", "Credit sales"),
    "days": ("天数", "Days"),
    "aging_summary": ("账龄汇总", "Aging summary"),
    "roll_rate_matrix": ("滚动率矩阵", "Roll-rate matrix"),
    "vintage_curve": ("账龄分析曲线", "Vintage curves"),
    "dso_cei_trend": ("DSO 与 CEI 趋势", "DSO and CEI trend"),
    "repayment_tracking": ("还款跟踪", "Repayment tracking"),
    "worst_customers": ("逾期最严重的客户", "Most overdue customers"),
    "aging_trend": ("逾期分档余额走势", "Balance by bucket over time"),
    "customer_aging": ("客户账龄", "Customer aging"),
}

# --- shipped and synthetic data (datasets/, creditkit.datasets) -----------------
_DATASETS: dict[str, tuple[str, str]] = {
    # make_portfolio applications: feature columns (product, bnpl, b2b are in _COMMON and
    # _PORTFOLIO; age_years and housing also name German credit columns)
    "age_years": ("年龄", "Age (years)"),
    "monthly_income_minor": ("月收入", "Monthly income"),
    "employment_years": ("工作年限", "Years employed"),
    "education": ("教育", "Education"),  # one key: the feature, a purchase category, an industry
    "housing": ("住房情况", "Housing"),
    "months_at_address": ("现住址居住月数", "Months at address"),
    "years_in_business": ("经营年限", "Years in business"),
    "annual_revenue_minor": ("年营业收入", "Annual revenue"),
    "employees": ("员工人数", "Employees"),
    "tax_credit_grade": ("纳税信用等级", "Tax credit grade"),
    "bureau_score": ("征信评分", "Bureau score"),
    "inquiries_6m": ("近6个月征信查询次数", "Credit inquiries (6 months)"),
    "utilization": ("额度使用率", "Utilization"),
    "existing_debt_minor": ("现有负债", "Existing debt"),
    "delinquencies_2y": ("近2年逾期次数", "Delinquencies (2 years)"),
    # feature values (tax grades A/B/M/C/D read the same in both languages)
    "below_high_school": ("高中以下", "Below high school"),
    "high_school": ("高中/中专", "High school"),
    "college": ("大专", "College"),
    "bachelor": ("本科", "Bachelor's degree"),
    "postgraduate": ("研究生及以上", "Postgraduate"),
    "own": ("自有住房", "Own"),
    "mortgage": ("按揭购房", "Mortgage"),
    "rent": ("租房", "Rent"),
    "family": ("与家人同住", "With family"),
    # customers.industry (GB/T 4754 sections)
    "wholesale_retail": ("批发和零售业", "Wholesale and retail"),
    "manufacturing": ("制造业", "Manufacturing"),
    "construction": ("建筑业", "Construction"),
    "transport_logistics": ("交通运输、仓储和邮政业", "Transport and logistics"),
    "information_technology": ("信息传输、软件和信息技术服务业", "Information technology"),
    "hospitality_catering": ("住宿和餐饮业", "Hospitality and catering"),
    "agriculture": ("农、林、牧、渔业", "Agriculture"),
    "healthcare_pharma": ("卫生和医药", "Healthcare and pharma"),
    "business_services": ("租赁和商务服务业", "Business services"),
    "public_sector": ("公共管理和社会组织", "Public sector"),
    # transactions.category (consumer purchases, then B2B orders) and transactions.channel
    "electronics": ("数码电器", "Electronics"),
    "apparel": ("服饰", "Apparel"),
    "home": ("家居", "Home"),
    "groceries": ("日用商超", "Groceries"),
    "travel": ("旅游出行", "Travel"),
    "beauty": ("美妆个护", "Beauty"),
    "dining": ("餐饮", "Dining"),
    "merchandise": ("商品", "Merchandise"),  # B2B orders ("goods" is _SCORING's count)
    "raw_materials": ("原材料", "Raw materials"),
    "equipment": ("设备", "Equipment"),
    "services": ("服务", "Services"),
    "app": ("手机 App", "App"),
    "web": ("网站", "Web"),
    "store": ("门店", "Store"),
    "order_portal": ("订货平台", "Order portal"),
    "sales_rep": ("销售代表", "Sales rep"),
    "edi": ("EDI 电子订单", "EDI"),
    # customers.region: the generator's provinces (short names, as Chinese data has them)
    "广东": ("广东", "Guangdong"), "山东": ("山东", "Shandong"), "河南": ("河南", "Henan"),
    "江苏": ("江苏", "Jiangsu"), "四川": ("四川", "Sichuan"), "河北": ("河北", "Hebei"),
    "湖南": ("湖南", "Hunan"), "浙江": ("浙江", "Zhejiang"), "安徽": ("安徽", "Anhui"),
    "湖北": ("湖北", "Hubei"), "广西": ("广西", "Guangxi"), "云南": ("云南", "Yunnan"),
    "江西": ("江西", "Jiangxi"), "辽宁": ("辽宁", "Liaoning"), "福建": ("福建", "Fujian"),
    "陕西": ("陕西", "Shaanxi"), "贵州": ("贵州", "Guizhou"), "山西": ("山西", "Shanxi"),
    "重庆": ("重庆", "Chongqing"), "新疆": ("新疆", "Xinjiang"),
    "黑龙江": ("黑龙江", "Heilongjiang"),
    "上海": ("上海", "Shanghai"), "甘肃": ("甘肃", "Gansu"), "内蒙古": ("内蒙古", "Inner Mongolia"),
    "吉林": ("吉林", "Jilin"), "北京": ("北京", "Beijing"), "天津": ("天津", "Tianjin"),
    "海南": ("海南", "Hainan"), "宁夏": ("宁夏", "Ningxia"), "青海": ("青海", "Qinghai"),
    "西藏": ("西藏", "Tibet"),
    # German credit (datasets/README.md column dictionary; target is in _COMMON)
    "checking_status": ("支票账户状态", "Checking account status"),
    "duration_months": ("借款期限（月）", "Duration (months)"),
    "credit_history": ("信用记录", "Credit history"),
    "purpose": ("借款用途", "Purpose"),
    "credit_amount": ("借款金额（马克）", "Credit amount (DM)"),
    "savings_status": ("储蓄账户/债券", "Savings account/bonds"),
    "employment_since": ("现职工作年限", "Employed since"),
    "installment_rate_pct": ("月供占可支配收入比（档）", "Instalment rate (% of income)"),
    "personal_status_sex": ("婚姻状况与性别", "Personal status and sex"),
    "other_parties": ("其他债务人/担保人", "Other debtors/guarantors"),
    "residence_since": ("现住址居住年限", "Years at residence"),
    "property_magnitude": ("财产", "Property"),
    "other_payment_plans": ("其他分期计划", "Other instalment plans"),
    "existing_credits": ("本行现有贷款笔数", "Existing credits at this bank"),
    "job": ("职业", "Job"),
    "num_dependents": ("供养人数", "Dependents"),
    "own_telephone": ("登记电话", "Telephone"),
    "foreign_worker": ("外籍劳工", "Foreign worker"),
}

_SECTIONS = (_COMMON, _REPORTS, _PORTFOLIO, _CLEANING, _SCORING, _AGING, _DATASETS)

LABELS: dict[str, dict[str, str]] = {}
for _section in _SECTIONS:
    for _key, (_zh, _en) in _section.items():
        LABELS[_key] = {"zh": _zh, "en": _en}


def _check_lang(lang: str) -> str:
    if lang not in LANGS:
        raise ParameterError(f"lang must be one of {LANGS}, got {lang!r}")
    return lang


def label(key: str, lang: str = "zh") -> str:
    """The label of ``key`` in ``lang`` (``"zh"`` or ``"en"``); the key itself if unknown.

    Examples
    --------
    >>> label("alipay", "zh"), label("alipay", "en"), label("no_such_key", "en")
    ('支付宝', 'Alipay', 'no_such_key')
    """
    _check_lang(lang)
    entry = LABELS.get(key)
    return entry[lang] if entry else key


def labels(keys: Iterable[str], lang: str = "zh") -> list[str]:
    """Labels of several keys.

    Examples
    --------
    >>> labels(["wechat", "cash"], "en")
    ['WeChat Pay', 'Cash']
    """
    return [label(k, lang) for k in keys]


def relabel(df: pd.DataFrame, lang: str = "zh", *, values: Iterable[str] = ()) -> pd.DataFrame:
    """A copy of ``df`` with labelled column names, and labelled values in ``values`` columns.

    Examples
    --------
    >>> import pandas as pd
    >>> relabel(pd.DataFrame({"channel": ["alipay"]}), "en", values=["channel"]).iloc[0].to_dict()
    {'Channel': 'Alipay'}
    """
    _check_lang(lang)
    out = df.copy()
    for col in values:
        if col in out.columns:
            out[col] = out[col].map(lambda v: label(v, lang) if isinstance(v, str) else v)
    return out.rename(columns=lambda c: label(c, lang) if isinstance(c, str) else c)
