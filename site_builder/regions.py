"""China's 34 province-level divisions: short name, full name and a fixed URL slug.

Slugs are fixed here, never computed by pinyin, so that 陕西 (`shaanxi`) and 山西 (`shanxi`)
never collide and a URL never changes.

>>> PROVINCES_BY_SHORT["陕西"].slug
'shaanxi'
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Province:
    short: str
    full: str
    slug: str
    code: str  # first two digits of the GB/T 2260 code


PROVINCES: tuple[Province, ...] = (
    Province("北京", "北京市", "beijing", "11"),
    Province("天津", "天津市", "tianjin", "12"),
    Province("河北", "河北省", "hebei", "13"),
    Province("山西", "山西省", "shanxi", "14"),
    Province("内蒙古", "内蒙古自治区", "neimenggu", "15"),
    Province("辽宁", "辽宁省", "liaoning", "21"),
    Province("吉林", "吉林省", "jilin", "22"),
    Province("黑龙江", "黑龙江省", "heilongjiang", "23"),
    Province("上海", "上海市", "shanghai", "31"),
    Province("江苏", "江苏省", "jiangsu", "32"),
    Province("浙江", "浙江省", "zhejiang", "33"),
    Province("安徽", "安徽省", "anhui", "34"),
    Province("福建", "福建省", "fujian", "35"),
    Province("江西", "江西省", "jiangxi", "36"),
    Province("山东", "山东省", "shandong", "37"),
    Province("河南", "河南省", "henan", "41"),
    Province("湖北", "湖北省", "hubei", "42"),
    Province("湖南", "湖南省", "hunan", "43"),
    Province("广东", "广东省", "guangdong", "44"),
    Province("广西", "广西壮族自治区", "guangxi", "45"),
    Province("海南", "海南省", "hainan", "46"),
    Province("重庆", "重庆市", "chongqing", "50"),
    Province("四川", "四川省", "sichuan", "51"),
    Province("贵州", "贵州省", "guizhou", "52"),
    Province("云南", "云南省", "yunnan", "53"),
    Province("西藏", "西藏自治区", "xizang", "54"),
    Province("陕西", "陕西省", "shaanxi", "61"),
    Province("甘肃", "甘肃省", "gansu", "62"),
    Province("青海", "青海省", "qinghai", "63"),
    Province("宁夏", "宁夏回族自治区", "ningxia", "64"),
    Province("新疆", "新疆维吾尔自治区", "xinjiang", "65"),
    Province("台湾", "台湾省", "taiwan", "71"),
    Province("香港", "香港特别行政区", "xianggang", "81"),
    Province("澳门", "澳门特别行政区", "aomen", "82"),
)

PROVINCES_BY_SHORT: dict[str, Province] = {p.short: p for p in PROVINCES}
PROVINCES_BY_CODE: dict[str, Province] = {p.code: p for p in PROVINCES}
