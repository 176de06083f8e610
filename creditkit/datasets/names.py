"""Reference tables behind the synthetic customers: names, regions, phones, industries.

Surname shares are rounded from the Ministry of Public Security's 2020 surname
ranking (王 7.1 %, 李 7.0 %, 张 6.7 % ...); compound surnames (欧阳, 司马 ...)
are rare, as in life. Region codes are real GB/T 2260 district codes; mobile
prefixes are the mainland number segments of the three carriers and virtual
operators. Industries follow GB/T 4754 sections, as snake_case codes.
"""

from __future__ import annotations

import numpy as np

_SURNAMES = " ".join([
    "王7.1 李7.0 张6.7 刘5.4 陈4.6 杨3.2 黄2.4 赵2.2 吴2.1 周2.0 徐1.7 孙1.5 马1.4 朱1.4 胡1.3",
    "郭1.2 何1.2 林1.1 高1.1 罗1.1 郑1.0 梁1.0 谢0.8 宋0.8 唐0.8 许0.7 韩0.7 冯0.7 邓0.7 曹0.7",
    "彭0.7 曾0.6 肖0.6 田0.6 董0.6 袁0.6 潘0.6 于0.6 蒋0.6 蔡0.5 余0.5 杜0.5 叶0.5 程0.5 苏0.5",
    "魏0.5 吕0.5 丁0.5 任0.5 沈0.4 姚0.4 卢0.4 姜0.4 崔0.4 钟0.4 谭0.4 陆0.4 汪0.4 范0.4 金0.3",
    "石0.3 廖0.3 贾0.3 夏0.3 韦0.3 付0.3 方0.3 白0.3 邹0.3 孟0.2 熊0.2 秦0.2 邱0.2 江0.2 尹0.2",
    "薛0.2 闫0.2 段0.2 雷0.2 侯0.2 龙0.1 史0.1 陶0.1 黎0.1 贺0.1 顾0.1 毛0.1 郝0.1 龚0.1 邵0.1",
    "万0.1 钱0.1 严0.1 覃0.1 武0.1 戴0.1 莫0.1 孔0.1",
    "欧阳0.05 司马0.01 上官0.01 诸葛0.005 东方0.005 皇甫0.005 司徒0.01",
    "夏侯0.003 令狐0.002 尉迟0.002 公孙0.002 慕容0.002",
]).split()
SURNAMES = np.array([s.rstrip("0123456789.") for s in _SURNAMES])
SURNAME_P = np.array([float(s[len(n):]) for s, n in zip(_SURNAMES, SURNAMES, strict=True)])
SURNAME_P = SURNAME_P / SURNAME_P.sum()

GIVEN_MALE = np.array(list("伟强磊军勇杰涛斌超明刚平辉鹏华飞鑫波宇浩凯健俊帆帅旭宁龙林阳洋博文晨轩子睿泽然一航铭嘉志建国成")) # noqa: E501
GIVEN_FEMALE = np.array(list("芳娜敏静丽艳娟霞秀玲燕萍红婷雪琳颖倩洁慧佳欣怡梦晶悦涵雨萱思诗妍可馨彤月丹蕾晓")) # noqa: E501

# province (short name), weight (rough population share), district codes with their city
REGIONS: list[tuple[str, float, list[tuple[str, str]]]] = [
    ("广东", 9.0, [("440106", "广州"), ("440305", "深圳"), ("440604", "佛山"), ("441900", "东莞")]),
    ("山东", 7.2, [("370102", "济南"), ("370202", "青岛"), ("370602", "烟台")]),
    ("河南", 7.0, [("410105", "郑州"), ("410302", "洛阳")]),
    ("江苏", 6.0, [("320102", "南京"), ("320505", "苏州"), ("320211", "无锡")]),
    ("四川", 5.9, [("510104", "成都"), ("510107", "成都"), ("510703", "绵阳")]),
    ("河北", 5.3, [("130102", "石家庄"), ("130203", "唐山")]),
    ("湖南", 4.7, [("430102", "长沙"), ("430202", "株洲")]),
    ("浙江", 4.6, [("330106", "杭州"), ("330203", "宁波"), ("330302", "温州")]),
    ("安徽", 4.3, [("340104", "合肥"), ("340202", "芜湖")]),
    ("湖北", 4.1, [("420102", "武汉"), ("420106", "武汉"), ("420502", "宜昌")]),
    ("广西", 3.5, [("450103", "南宁"), ("450203", "柳州")]),
    ("云南", 3.3, [("530102", "昆明")]),
    ("江西", 3.2, [("360102", "南昌"), ("360403", "九江")]),
    ("辽宁", 3.0, [("210102", "沈阳"), ("210202", "大连")]),
    ("福建", 2.9, [("350102", "福州"), ("350203", "厦门"), ("350503", "泉州")]),
    ("陕西", 2.8, [("610113", "西安"), ("610103", "西安")]),
    ("贵州", 2.7, [("520102", "贵阳")]),
    ("山西", 2.5, [("140105", "太原")]),
    ("重庆", 2.3, [("500103", "重庆"), ("500106", "重庆")]),
    ("黑龙江", 2.2, [("230102", "哈尔滨"), ("230203", "齐齐哈尔")]),
    ("新疆", 1.8, [("650102", "乌鲁木齐")]),
    ("上海", 1.8, [("310101", "上海"), ("310104", "上海"), ("310115", "上海")]),
    ("甘肃", 1.8, [("620102", "兰州")]),
    ("内蒙古", 1.7, [("150102", "呼和浩特"), ("150203", "包头")]),
    ("吉林", 1.7, [("220102", "长春")]),
    ("北京", 1.5, [("110101", "北京"), ("110105", "北京"), ("110108", "北京")]),
    ("天津", 1.0, [("120101", "天津"), ("120104", "天津")]),
    ("海南", 0.7, [("460105", "海口"), ("460202", "三亚")]),
    ("宁夏", 0.5, [("640104", "银川")]),
    ("青海", 0.4, [("630102", "西宁")]),
    ("西藏", 0.3, [("540102", "拉萨")]),
]
PROVINCES = np.array([r[0] for r in REGIONS])
DISTRICTS = np.array([c for r in REGIONS for c, _ in r[2]])
CITIES = np.array([city for r in REGIONS for _, city in r[2]])
DISTRICT_PROVINCE = np.array([i for i, r in enumerate(REGIONS) for _ in r[2]], dtype=np.int16)
DISTRICT_P = np.array([r[1] / len(r[2]) for r in REGIONS for _ in r[2]])
DISTRICT_P = DISTRICT_P / DISTRICT_P.sum()
# landline area code per district (for business phones)
AREA_CODES = {
    "广州": "020", "深圳": "0755", "佛山": "0757", "东莞": "0769", "上海": "021", "北京": "010",
    "天津": "022", "重庆": "023", "杭州": "0571", "宁波": "0574", "南京": "025", "苏州": "0512",
    "武汉": "027", "成都": "028", "西安": "029",
}
DISTRICT_AREA = np.array([AREA_CODES.get(c, "") for c in CITIES])

# mobile number segments (China Mobile, Unicom, Telecom, Broadnet, virtual operators) and weights
_MOBILE = " ".join([
    "134 135 136 137 138 139 147 150 151 152 157 158 159 172 178 182 183 184 187 188 195 197 198",
    "130 131 132 145 155 156 166 175 176 185 186 196",
    "133 149 153 173 177 180 181 189 190 191 193 199 192 170 171",
]).split()
MOBILE_PREFIXES = np.array(_MOBILE)
MOBILE_P = np.array([3.0 if p[:2] in ("13", "15", "18") else 1.0 for p in _MOBILE])
MOBILE_P[MOBILE_PREFIXES == "170"] = 0.3
MOBILE_P[MOBILE_PREFIXES == "171"] = 0.3
MOBILE_P = MOBILE_P / MOBILE_P.sum()

# industry code, weight among businesses, weight among consumers' employers, word in firm names
INDUSTRIES: list[tuple[str, float, float, tuple[str, ...]]] = [
    ("wholesale_retail", 0.30, 0.16, ("贸易", "商贸", "百货", "供应链")),
    ("manufacturing", 0.22, 0.20, ("机械", "电子", "塑料制品", "五金", "纺织")),
    ("construction", 0.10, 0.08, ("建材", "建筑工程", "装饰工程")),
    ("transport_logistics", 0.08, 0.07, ("物流", "运输", "货运代理")),
    ("information_technology", 0.08, 0.08, ("科技", "信息技术", "网络科技", "软件")),
    ("hospitality_catering", 0.06, 0.09, ("餐饮管理", "酒店管理", "食品")),
    ("agriculture", 0.04, 0.05, ("农业", "农产品", "种植")),
    ("healthcare_pharma", 0.05, 0.07, ("医药", "医疗器械", "生物科技")),
    ("business_services", 0.07, 0.10, ("咨询", "广告", "人力资源", "商务服务")),
    ("education", 0.0, 0.06, ("教育科技",)),
    ("public_sector", 0.0, 0.04, ("",)),
]
INDUSTRY_CODES = np.array([i[0] for i in INDUSTRIES])
INDUSTRY_P_BUSINESS = np.array([i[1] for i in INDUSTRIES])
INDUSTRY_P_BUSINESS = INDUSTRY_P_BUSINESS / INDUSTRY_P_BUSINESS.sum()
INDUSTRY_P_CONSUMER = np.array([i[2] for i in INDUSTRIES])
INDUSTRY_P_CONSUMER = INDUSTRY_P_CONSUMER / INDUSTRY_P_CONSUMER.sum()

BRAND_CHARS = np.array(list("恒达华鑫盛泰源宏隆兴瑞丰永嘉信通利安昌德福金荣祥和顺聚汇创新远航明辉博瀚腾海天中"))  # noqa: E501
FIRM_SUFFIXES = np.array(["有限公司", "有限责任公司", "股份有限公司"])
FIRM_SUFFIX_P = np.array([0.82, 0.12, 0.06])
SOLE_SUFFIXES = np.array(["商行", "经营部", "门市部", "店"])  # 个体工商户

