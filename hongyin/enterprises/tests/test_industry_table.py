"""The shipped GB/T 4754-2017 table: complete down to groups (中类) and internally consistent."""

import csv
from collections import Counter

import pytest

from hongyin.enterprises import industry


def _rows() -> list[dict[str, str]]:
    # the raw rows, read the way industry.table() reads them, so duplicates are not folded away
    with industry.DATA.open(encoding="utf-8") as f:
        return list(csv.DictReader(f))


def _level(level: str) -> list[industry.Industry]:
    return [i for i in industry.table().values() if i.level == level]


def test_the_2017_edition_has_20_sections_97_divisions_and_473_groups():
    counts = Counter(i.level for i in industry.table().values())
    assert counts == {"section": 20, "division": 97, "group": 473}


def test_codes_are_unique_and_names_non_empty():
    rows = _rows()
    codes = [r["code"] for r in rows]
    assert len(codes) == len(set(codes)) == len(industry.table())
    assert all(r["name"].strip() == r["name"] and r["name"] for r in rows)
    assert {r["level"] for r in rows} == {"section", "division", "group"}


def test_the_hierarchy_is_well_formed():
    table = industry.table()
    for s in _level("section"):
        assert len(s.code) == 1 and s.code.isalpha() and s.code.isupper() and s.parent == ""
    for d in _level("division"):
        assert len(d.code) == 2 and d.code.isdigit()
        assert table[d.parent].level == "section"
    for g in _level("group"):
        assert len(g.code) == 3 and g.code.isdigit()
        assert g.code.startswith(g.parent) and table[g.parent].level == "division"
    # every division has at least one group, and every section at least one division
    assert {g.parent for g in _level("group")} == {d.code for d in _level("division")}
    assert {d.parent for d in _level("division")} == {s.code for s in _level("section")}


def test_groups_follow_their_division_in_the_file():
    # the <select> (industry.choices) indents groups under the division printed just above them
    last_division = None
    for r in _rows():
        if r["level"] == "division":
            last_division = r["code"]
        elif r["level"] == "group":
            assert r["parent"] == last_division, r["code"]


@pytest.mark.parametrize(
    ("code", "name"),
    [
        ("023", "森林经营、管护和改培"),
        ("396", "智能消费设备制造"),
        ("392", "通信设备制造"),
        ("397", "电子器件制造"),
        ("305", "玻璃制品制造"),
        ("412", "核辐射加工"),
        ("651", "软件开发"),
        ("652", "集成电路设计"),
        ("653", "信息系统集成和物联网技术服务"),
        ("659", "其他信息技术服务业"),
        ("687", "保险监管服务"),
        ("713", "日用品出租"),
        ("731", "自然科学研究和试验发展"),
        ("751", "技术推广服务"),
        ("799", "其他土地管理服务"),
        ("839", "技能培训、教育辅助及其他教育"),
        ("905", "文化体育娱乐活动与经纪代理服务"),
        ("970", "国际组织"),
    ],
)
def test_well_known_2017_groups(code, name):
    item = industry.get(code)
    assert item is not None and item.level == "group" and item.name == name


def test_codes_outside_the_2017_edition_are_absent():
    # 2011 had 412 煤制品制造 and 413 核辐射加工 (2017: 煤制品 went to 252, 核辐射加工 is 412);
    # 技能培训、教育辅助及其他教育 is 839, not 836
    assert industry.get("413") is None
    assert industry.get("836") is None
    assert industry.section_of("651").code == "I"
    assert industry.label("397") == "397 电子器件制造"
