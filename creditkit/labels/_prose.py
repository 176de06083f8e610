"""zh/en explanatory paragraphs of reports (one section of ``creditkit.labels``).

Read through ``creditkit.labels.prose(key, lang)`` and shown by
``creditkit.display.note(key, lang=...)``, so a report's prose follows its ``lang``
parameter like its headings do. Texts are ours (never data) and use a small
Markdown subset: ```code```, ``*emphasis*``, ``**strong**`` and blank lines between
paragraphs; ``note`` escapes everything else. Keys start ``note_`` so they never
collide with column labels. Terms are the ones the label table uses for the same ideas
(a zh report says 逾期天数 in its prose as in its table headers).
"""

from __future__ import annotations

from creditkit.labels._behaviour import BEHAVIOUR_NOTES
from creditkit.labels._collections_report import COLLECTIONS_NOTES
from creditkit.labels._creditfile import CREDITFILE_NOTES
from creditkit.labels._restricted import RESTRICTED_NOTES
from creditkit.labels._review import REVIEW_NOTES
from creditkit.labels._segmentation import SEGMENTATION_NOTES

# --- 02-scorecard -------------------------------------------------------------
PROSE: dict[str, tuple[str, str]] = {
    "note_scoring_sample": (
        "模型仅在训练集上开发；除另有标注外，下文所有表现指标均在留出的测试集上计算。"
        "样本按表现结果（好/坏）分层划分，因此两个样本的坏账率相同。",
        "The model is developed on the training sample only; every performance figure below "
        "is measured on the hold-out (test) sample unless labelled otherwise. The split is "
        "stratified on the outcome, so both samples have the same bad rate.",
    ),
    "note_scoring_iv": (
        "信息值（IV）衡量各变量分箱后区分好坏客户的能力。常用判读标准：低于 0.02 为无预测力，"
        "0.02–0.1 为弱，0.1–0.3 为中等，高于 0.3 为强（IV 高于 0.5 时应检查是否存在来自"
        "表现结果的信息泄漏）。",
        "Information value (IV) ranks how well each variable separates goods from bads once "
        "binned. A common reading: below 0.02 not predictive, 0.02–0.1 weak, 0.1–0.3 medium, "
        "above 0.3 strong (an IV above 0.5 deserves a check for leakage from the outcome).",
    ),
    "note_scoring_woe": (
        "对信息值最高的若干变量，分别展示各分箱的证据权重（WoE，柱形）与该分箱的坏账率（折线）。"
        "验证人员应检查坏账率在有序分箱间是否单调变化，且变化方向符合业务逻辑。",
        "For each of the strongest variables: WoE per bin (bars) and the bin's bad rate "
        "(line). A validator checks that the bad rate moves in one direction across ordered "
        "bins and that the direction makes business sense.",
    ),
    "note_scoring_model": (
        "以各变量的证据权重为自变量、对违约概率 P(坏) 做逻辑回归，采用最大似然估计；标准误与"
        "双侧 P 值为基于 Fisher 信息矩阵之逆的 Wald 统计量。按本报告的证据权重定义，系数应为负："
        "系数为正说明该变量的分值与其自身各分箱的坏账率走势相反（通常由共线性引起）。"
        "入模变量由本工具包的变量筛选确定（各项阈值见报告参数）：信息值不低于下限，"
        "两两相关系数与方差膨胀因子不超过上限；随后逐个剔除 P 值高于上限或系数符号与证据权重"
        "相反的变量并重新拟合，直至每个入模变量都通过这三项检验。"
        "下方的模型审查表列出每项发现、涉及的变量和处理建议，其后是最终模型的系数表。",
        "Logistic regression of P(bad) on WoE, fitted by maximum likelihood; standard errors "
        "and two-sided p-values are Wald statistics from the inverse Fisher information. With "
        "this WoE convention a coefficient should be negative: a positive one means the "
        "variable's points run against its own bad rates (usually collinearity). The variables "
        "come from the package's selection (its thresholds are among the report's parameters): "
        "IV at least the minimum, pairwise correlation and VIF at most the maximum; then the "
        "variables with a p-value above the maximum or a sign against their WoE are dropped one "
        "at a time, refitting each time, until every variable of the card passes all three "
        "checks. The review below lists each finding, the variables it concerns and what to "
        "do; the coefficient table of the final model follows it.",
    ),
    "note_scoring_points": (
        "评分卡各分箱的分值。申请人的评分等于其所落入各分箱的分值之和；缺失值以及开发样本中"
        "未出现过的类别，分别按名为 *缺失* 和 *未知类别* 的分箱计分。表中分值保留一位小数，"
        "实际评分使用精确值。",
        "Points of every bin. The score of an applicant is the sum of the points of their "
        "bins; missing values and categories not seen in development score as the bins named "
        "*Missing* and *Unknown*. Points are shown rounded to one decimal; scoring uses the "
        "exact values.",
    ),
    "note_scoring_reasons": (
        "拒绝原因码，用于拒绝通知及自动化决策的解释：对每位申请人，列出与同一变量最优分箱相比"
        "失分最多的变量。此处展示测试集中评分最低的几位申请人。",
        "Reason codes for adverse-action notices and explanations of automated decisions: for "
        "each applicant, the variables that cost the most points compared with the best bin of "
        "the same variable. Shown for the lowest-scoring applicants of the test sample.",
    ),
    "note_scoring_roc": (
        "测试集上的 ROC 曲线，并列出挑战者模型（第 7 节）作为参照。KS 为坏客户与好客户"
        "评分累计分布之间的最大差距。",
        "ROC curve on the test sample, with the challenger model (section 7) for reference. "
        "KS is the largest gap between the cumulative score distributions of bads and goods.",
    ),
    "note_scoring_bands": (
        "测试集按等人数划分的分数段，风险最高的分数段在前：累计坏客户占比表示拒绝至该分数段"
        "（含）为止可拦截的坏客户占全部坏客户的比例；提升度为该分数段坏账率与平均坏账率之比。",
        "Equal-count score bands of the test sample, riskiest first: the cumulative bad share "
        "says what share of all bads is caught by declining up to that band, and lift compares "
        "the band's bad rate with the average.",
    ),
    "note_scoring_calibration": (
        "测试集各分数段的预测坏账率与实际坏账率对比。若存在较大的系统性差异，说明模型概率在"
        "用作违约概率（PD）之前需要重新校准（排序能力不受影响）。",
        "Predicted against observed bad rate per band on the test sample. Large systematic "
        "differences mean the probabilities need recalibration before they are used as PDs "
        "(the ranking is unaffected).",
    ),
    "note_scoring_stability": (
        "评分的群体稳定性：测试集对比训练集（分段切点仅取自训练集；空分段按 0.0001 的占比计算）。"
        "稳定性指标（PSI）低于 *关注* 阈值为稳定，达到 *需处理* 阈值即表明分布偏移需要采取措施。"
        "特征稳定性（CSI）表按各变量的分箱做同样的比较。",
        "Population stability of the score, test sample against the training sample "
        "(breakpoints from the training sample only; an empty bin counts with a share of "
        "0.0001). PSI below the *watch* threshold is stable, from the *act* threshold on the "
        "shift needs action. The CSI table does the same per variable over its bins.",
    ),
    "note_scoring_challenger": (
        "挑战者模型为基于原始变量的直方图梯度提升模型，使用同一训练集拟合。两者的 AUC 差距，"
        "即评分卡为其简洁与透明在本数据上付出的代价。",
        "A histogram gradient-boosting model on the raw variables, fitted on the same training "
        "sample. The gap in AUC is what the scorecard's simplicity and transparency cost on "
        "this data.",
    ),
    "note_scoring_cutoff": (
        "若拒绝评分低于审批分数线的申请人，结果如何：通过率、通过客户中的坏账率，以及预期损失"
        "（通过坏客户数 × 风险敞口 × 违约损失率 LGD；此处风险敞口按 1 计，因此即预期违约笔数）。",
        "What happens if applicants below a cut-off are declined: approval rate, bad rate "
        "among the approved and expected loss (approved bads × exposure × LGD, here with unit "
        "exposure, so it counts expected defaults).",
    ),
    "note_scoring_limits": (
        "将评分转换为等级、授信额度与期限的政策表（随附的默认政策，"
        "`creditkit/scoring/data/limit_policy.csv`）。个人客户额度为月收入或月均消费额的倍数，"
        "并设上限；企业（B2B）客户额度为月均销售额 × 账期 / 30 × 该等级的风险系数，C 级客户须"
        "预付款交易；限制类等级一律拒绝。额度以整数最小货币单位计算，不使用浮点运算。"
        "下表为测试集客户在各等级的分布及各等级的坏账率。",
        "The policy table that turns a score into a grade, a limit and a term (shipped "
        "default, `creditkit/scoring/data/limit_policy.csv`). Consumer limits are a multiple "
        "of monthly income or of average monthly purchases, capped; B2B limits are average "
        "monthly sales × credit period / 30 × the grade's risk coefficient, with grade C "
        "trading on prepayment; restricted grades are declined. Limits are integer minor "
        "units, computed without floating point. Below: how the test sample falls into the "
        "grades and the bad rate of each grade.",
    ),
    "note_scoring_deploy": (
        "评分卡以一条 SQL 查询部署（此处展示 DuckDB 版本，另提供 Spark SQL 与 PostgreSQL 方言），"
        "得出的分值与本报告的计算结果完全一致。JSON 导出保留分值刻度参数，重新载入的评分卡"
        "评分结果完全相同。",
        "The card deploys as one SQL query (DuckDB shown; Spark SQL and PostgreSQL dialects "
        "are available) that gives exactly the points computed here. The JSON export keeps "
        "the scaling, so a reloaded card scores identically.",
    ),
    # --- title-cell method notes (00, 02, 03) -----------------------------------
    "note_overview_intro": (
        "**面向管理层。** 本报告回答：组合有多大；钱欠在哪里（按产品和地区的净余额）；"
        "每月出账多少、收回多少现金；客户通过哪些渠道付款。",
        "**For managers.** How big is the book, where is money owed (net balance by product "
        "and region), how much was billed and how much cash came in each month, and through "
        "which channels customers pay.",
    ),
    "note_overview_balances": (
        "口径说明：*回款金额* 仅指收到的现金；*红字冲销* 与 *坏账核销* 不是现金，"
        "但同样减少客户欠款，三者合计为 *回款及冲销合计*。"
        "*净余额* = 截至统计日期的出账金额 − 回款及冲销合计"
        "（概览口径，未核销到具体账单）；账龄与逾期天数见《03 还款跟踪》报告。",
        "How to read the amounts: *Cash received* is money collected only; *credit notes* and "
        "*write-offs* are not cash but also lower what customers owe, and the three together are "
        "*Settled*. *Net balance* = billed − settled up to `as_of` (an overview, no allocation "
        "to bills); aging and days past due are in *03-repayment-tracking*.",
    ),
    "note_scoring_intro": (
        "**面向模型验证人员与信贷管理者。** 这张申请评分卡（A卡）能否投入使用？"
        "本报告记录它如何建立、效果如何：开发样本、"
        "各变量的分箱（证据权重 WoE、信息值 IV）、逻辑回归与分值刻度、"
        "在测试集上的区分能力（AUC、KS、基尼系数）、分数段与校准、稳定性（PSI、CSI）、"
        "梯度提升挑战者模型对比、审批分数线的权衡，以及由评分确定额度与期限的政策。",
        "**For model validators and credit managers.** Is this application scorecard fit for "
        "use? This report documents how it was built and how well it works: the development "
        "sample, the binning of each variable (WoE, IV), the logistic regression and its points "
        "scaling, discrimination (AUC, KS, Gini) on a hold-out sample, score bands and "
        "calibration, stability (PSI, CSI), a gradient-boosting challenger, cut-off trade-offs "
        "and the limit and term policy that turns scores into decisions.",
    ),
    "note_scoring_method": (
        "**方法概要。** 每个变量按精确最优分箱切分：在坏账率单调约束下使信息值（IV）最大，"
        "缺失值与特殊值各自成箱。每个分箱以其证据权重代替，"
        "WoE = 自然对数（好客户占比 ÷ 坏客户占比）。在训练集（70%，按表现分层，固定随机种子）"
        "上以最大似然估计 P(坏) 对各 WoE 列的逻辑回归；留出的测试集（30%）仅用于验证。"
        "分值刻度显式给定："
        "分数 = 补偿 + 因子 × 自然对数（好坏比），因子 = PDO ÷ 自然对数（2），"
        "补偿 = 基准分 − 因子 × 自然对数（基准好坏比）；截距平均分摊到各变量。"
        "除非设定分值取整（`rounding=\"int\"`），各分箱分值不取整，"
        "因此分数对申请人的排序与模型概率完全一致。",
        "**Method in brief.** Every variable is cut into bins by an exact optimal binning that "
        "maximises IV under a monotonic bad-rate constraint (missing and special values in their "
        "own bins). Each bin is replaced by its weight of evidence, WoE = ln(share of goods / "
        "share of bads). A logistic regression of P(bad) on the WoE columns is fitted by maximum "
        "likelihood on the training sample (70%, stratified, fixed seed); the hold-out sample "
        "(30%) is used only for validation. Points are scaled explicitly: score = offset + "
        "factor · ln(odds of good), factor = PDO / ln 2, offset = base score − factor · "
        "ln(base odds), and the intercept is spread evenly over the variables. Points per bin "
        "are kept unrounded unless `rounding=\"int\"`, so the score orders applicants exactly "
        "as the model's probability does.",
    ),
    "note_aging_intro": (
        "**面向信贷管理与催收。** 谁欠多少、逾期多久（统计日期的逾期分档账龄）；资产质量在变好还是"
        "变坏（近几个月的分档余额走势、滚动率、迁徙率、催回率）；各放款月份的表现（账龄分析曲线、"
        "首逾）；回款效率如何（应收账款周转天数、最佳周转天数、平均逾期天数、回款有效性指数、"
        "回款倍数）。",
        "**For credit managers and collectors.** Who owes what and how late (aging by bucket, "
        "as of one date), whether the book is getting better or worse (balances by bucket over "
        "the last months, roll rates, flow rates, cure rate), how each origination month "
        "performs (vintage curves, first-payment default), and how well cash is collected (DSO, "
        "best possible DSO, average days delinquent, CEI, collection multiplier).",
    ),
    "note_aging_allocation": (
        "回款按统一的核销规则核销到账单：先核销回款指明的账单，再核销指明发票下的分期"
        "（到期日最早者优先），其余回款在先进先出方式下按到期日从早到晚核销。客户姓名已脱敏。",
        "Payments are allocated to bills by the rule of `creditkit.aging.allocate_payments`: "
        "named bills, then named invoices oldest due first, then (allocation `\"fifo\"`) the "
        "rest to the oldest due bills. Customers' names are masked.",
    ),
    # --- 01-data-quality title cell -------------------------------------------
    "note_cleaning_intro": (
        "**面向数据接收分析师和审批数据的管理者。** 收到的导出文件（客户主数据、账单、回款）中"
        "哪些行可以使用，哪些被隔离及原因，各字段的完整率与有效率，哪些客户疑似以两个编号重复出现。"
        "任何行都不会被删除：每个源文件行要么通过清洗，要么带原因隔离，要么作为完全重复行合并；"
        "输入的行数与金额与输出完全一致。",
        "**For the analyst doing intake and the manager signing off the data.** Which rows of "
        "the received exports (customer masters, bills, payments) can be used, which are held "
        "back and why, how complete and valid each column is, and which customers look like "
        "the same person under two keys. Nothing is deleted: every source row is clean, "
        "quarantined with a reason, or merged as an exact duplicate, and rows and money in "
        "equal rows and money out.",
    ),
    # --- live-notebook-only sections (tagged report-hide) ------------------------
    "note_cleaning_browse": (
        "按隔离原因浏览隔离行，以及建议人工复核的客户对。本节只在在线笔记本中显示，"
        "不进入导出的报告。",
        "Quarantined rows by reason, and the customer pairs proposed for review. This section "
        "shows in the live notebook only, not in the HTML report.",
    ),
    "note_aging_drilldown": (
        "先选择逾期分档，再选择客户（按余额从大到小），查看其未结账单。客户姓名已脱敏；"
        "本节只在在线笔记本中显示，不进入导出的报告。",
        "Pick a bucket, then a customer (largest balance first), to see their open bills. "
        "Names are masked; this section shows in the live notebook only, not in the HTML "
        "report.",
    ),
}

# --- 09-behaviour-scores: its paragraphs live beside its labels ---------------------------
PROSE.update(BEHAVIOUR_NOTES)

# --- 04-collections: its paragraphs live beside its labels ---------------------------------
PROSE.update(COLLECTIONS_NOTES)

# --- 07-portfolio-review: its paragraphs live beside its labels ---------------------------
PROSE.update(REVIEW_NOTES)

# --- 06-restricted-customers: its paragraphs live beside its labels ---------------------
PROSE.update(RESTRICTED_NOTES)
# --- 05-tiers-and-alerts: its paragraphs live beside its labels ----------------------------
PROSE.update(SEGMENTATION_NOTES)

# --- 08-credit-file: its paragraphs live beside its labels --------------------------------
PROSE.update(CREDITFILE_NOTES)
