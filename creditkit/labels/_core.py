"""zh/en labels of the data model, reports and the portfolio overview (``creditkit.labels``)."""

from __future__ import annotations

# --- common: data model columns and values ----------------------------------
COMMON: dict[str, tuple[str, str]] = {
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
REPORTS: dict[str, tuple[str, str]] = {
    "manifest": ("报告信息", "Report manifest"),
    "rows_not_shown": ("另有 {n} 行未显示", "{n} more rows not shown"),
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
    # the table browser's controls (creditkit.display.widgets): each says what it does
    "table_tip": ("选择要浏览的数据表", "Choose the table to browse"),
    "filter_tip": ("只显示任一列包含这段文字的行（不区分大小写）",
                   "Show only the rows in which some column contains this text (any case)"),
    "page_tip": ("翻页：每页 {n} 行", "Turn the page: {n} rows a page"),
    "page_of": ("第 {page} / {pages} 页 · 共 {rows} 行", "Page {page} of {pages} · rows: {rows}"),
    "table_applications": ("申请", "Applications"),
}

# --- portfolio overview (00) ------------------------------------------------
PORTFOLIO: dict[str, tuple[str, str]] = {
    # each count says what it counts: customers on file (opened by as_of), customers with
    # bills or settlements by as_of (the overview's tables), customers with an amount in
    # an aging bucket (portfolio_aging)
    "n_customers": ("有未结余额的客户数", "Customers with an amount outstanding"),
    "n_customers_on_file": ("在册客户数（截至统计日期已开户）",
                            "Customers on file (opened by as_of)"),
    "n_customers_active": ("有账单或回款的客户数", "Customers with bills or payments"),
    "n_bills": ("账单数", "Bills"),
    "n_payments": ("回款笔数", "Payments"),
    "billed_minor": ("出账金额", "Billed"),
    # paid = cash received only; settled = cash + credit notes + write-offs (what lowers
    # the balance); credited_minor, written_off_minor, net_balance_minor: the aging section
    "paid_minor": ("回款金额", "Cash received"),
    "balance_minor": ("余额", "Balance"),
    "product": ("产品", "Product"),
    "unknown": ("未知", "Unknown"),
    "unattributed": ("未认领款项", "Unclaimed payments"),
    "portfolio_size": ("组合规模", "Portfolio size"),
    "portfolio_overview": ("资产组合概览", "Portfolio overview"),
    "balances_by_product_region": ("按产品和地区的净余额", "Net balance by product and region"),
    "issued_vs_paid": ("每月出账与回款", "Billed and cash received by month"),
    "channel_mix": ("回款渠道构成", "Payment channel mix"),
    "explore_tables": ("浏览数据表", "Explore the tables"),
    # section headings of 00-portfolio-overview, numbered as in every report
    "overview_sec_size": ("1. 组合规模", "1. Portfolio size"),
    "overview_sec_bridge": ("2. 余额勾稽：账单未结余额 → 净余额",
                            "2. Balance bridge: gross outstanding to net balance"),
    "overview_sec_balances": ("3. 按产品和地区的净余额", "3. Net balance by product and region"),
    "overview_sec_flows": ("4. 每月出账与回款", "4. Billed and cash received by month"),
    "overview_sec_channels": ("5. 回款渠道构成", "5. Payment channel mix"),
    "overview_sec_explore": ("6. 浏览数据表（仅在线笔记本）",
                             "6. Explore the tables (live notebook only)"),
}

#: Latin words a zh report may show outside data values: the credit-risk statistics,
#: products and tools that Chinese credit teams write in Latin letters, as this label
#: table's own zh texts do (DSO, CEI, WoE...). Small on purpose: a word missing here and
#: shown in a zh report is an English leak. Variable codes are shown with their label.
ALLOWED_LATIN = frozenset({
    "AUC", "KS", "IV", "WoE", "PSI", "CSI", "ROC", "PD", "LGD", "PDO", "MOB", "DSO", "CEI",
    "ADD", "P", "Fisher", "Wald", "EDI", "App", "creditkit", "DuckDB", "JSON", "SQL",
    "PostgreSQL", "Spark",
})
