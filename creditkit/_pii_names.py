"""Word lists and RE2 patterns behind the name masks of :mod:`creditkit.privacy`.

Kept apart from the maskers so each module holds one idea: what a Chinese
person's or business's name is made of (compound surnames, region prefixes,
industry words, legal forms), and the patterns built from them. The patterns
run in pyarrow's RE2, which has no lookahead.
"""

from __future__ import annotations

from collections.abc import Sequence

__all__ = [
    "BUSINESS_FORMS",
    "BUSINESS_PATTERN",
    "CJK",
    "COMPOUND_SURNAMES",
    "INDUSTRY_WORDS",
    "PERSON_PATTERN",
    "REGION_PATTERN",
    "REGION_PREFIXES",
    "WS",
    "alternation",
]

#: Two-character surnames (复姓) kept whole by :func:`mask_name`.
COMPOUND_SURNAMES = (
    "欧阳", "司马", "上官", "诸葛", "东方", "皇甫", "尉迟", "公孙", "慕容", "长孙", "宇文",
    "司徒", "司空", "夏侯", "轩辕", "令狐", "钟离", "闾丘", "端木", "独孤", "南宫", "西门",
    "百里", "呼延", "澹台", "公羊", "太史", "申屠", "濮阳", "万俟", "赫连", "拓跋", "第五",
    "东郭", "左丘", "梁丘", "乐正", "仲孙", "单于", "亓官", "公冶", "宗政", "羊舌", "微生",
    "谷梁", "漆雕", "壤驷", "公良", "巫马", "颛孙", "子车", "司寇", "夹谷", "段干", "东门",
)

#: Region names a business name may start with (kept by :func:`mask_name`).
REGION_PREFIXES = (
    "北京", "天津", "上海", "重庆", "河北", "山西", "辽宁", "吉林", "黑龙江", "江苏", "浙江",
    "安徽", "福建", "江西", "山东", "河南", "湖北", "湖南", "广东", "海南", "四川", "贵州",
    "云南", "陕西", "甘肃", "青海", "台湾", "内蒙古", "广西", "西藏", "宁夏", "新疆", "香港",
    "澳门", "深圳", "广州", "杭州", "南京", "苏州", "武汉", "成都", "西安", "厦门", "宁波",
    "青岛", "大连", "沈阳", "长沙", "郑州", "济南", "合肥", "福州", "昆明", "无锡", "东莞",
    "佛山", "温州", "哈尔滨", "长春", "石家庄", "太原", "南昌", "南宁", "贵阳", "兰州", "海口",
    "呼和浩特", "乌鲁木齐", "珠海", "中山", "常州", "绍兴", "嘉兴", "金华", "台州", "泉州",
)

#: Legal forms that end a business name, longest first.
BUSINESS_FORMS = (
    "股份有限公司", "有限责任公司", "集团有限公司", "有限公司", "分公司", "公司", "集团",
    "合伙企业", "个人独资企业", "个体工商户", "合作社", "事务所", "商行", "经营部", "工作室",
    "厂", "店", "中心",
)

#: Industry words kept with the legal form of a business name.
INDUSTRY_WORDS = (
    "贸易", "商贸", "科技", "信息技术", "网络技术", "技术", "网络", "电子", "实业", "投资",
    "建材", "建筑", "工程",
    "食品", "物流", "餐饮", "服装", "机械", "化工", "文化传媒", "传媒", "咨询", "电器",
    "医药", "农业", "汽车", "家具", "纺织", "印刷", "包装", "装饰", "设备", "进出口", "供应链",
)

CJK = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"


def alternation(words: Sequence[str]) -> str:
    """``words`` as one regex alternation, longest first (RE2 takes the first match)."""
    return "|".join(sorted(words, key=len, reverse=True))


REGION_PATTERN = rf"(?:(?:{alternation(REGION_PREFIXES)})(?:省|市|自治区|特别行政区)?){{0,2}}"
BUSINESS_PATTERN = (
    rf"^(?P<region>{REGION_PATTERN})(?P<core>.*?)"
    rf"(?P<suffix>(?:{alternation(INDUSTRY_WORDS)})*(?:{alternation(BUSINESS_FORMS)})(?:\([^)]*\))?)$"
)
# RE2 (pyarrow) has no lookahead: a bare compound surname is not a surname plus a name,
# so `rest` needs one character and the match falls back to a one-character surname.
PERSON_PATTERN = rf"^(?P<keep>(?:{alternation(COMPOUND_SURNAMES)})|.)(?P<rest>.+)$"


WS = " \t\n\r\f\v"  # spelled out: pandas runs ``\s`` in Python, not in pyarrow's RE2
