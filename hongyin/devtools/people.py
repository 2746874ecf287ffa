"""Plausible made-up people for demo data and tests: Chinese names, valid ID numbers, mobile numbers."""

import random
from datetime import date, timedelta

from hongyin.members.validation import id_check_char

SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕苏卢蒋蔡贾丁魏薛叶阎"
GIVEN = "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英华建国志红文玉梅鑫宇浩然子涵欣怡梓轩思远嘉怡博文"
REGIONS = ["610113", "610102", "610103", "610104", "610111", "610112", "610116", "610124", "610402", "610502"]
MOBILE_PREFIXES = ["130", "133", "135", "138", "139", "150", "152", "158", "180", "186", "189"]


def person(rng: random.Random, *, born_from: date = date(1970, 1, 1), born_to: date = date(2003, 12, 31)) -> dict:
    """name, gender, birth_date, id_number, phone — the ID number's birth date and sex digit match."""
    male = rng.random() < 0.55
    birth = born_from + timedelta(days=rng.randrange((born_to - born_from).days + 1))
    order = rng.randrange(0, 499) * 2 + (1 if male else 0)
    body = f"{rng.choice(REGIONS)}{birth:%Y%m%d}{order:03d}"
    name = rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2))))
    return {
        "name": name,
        "gender": "male" if male else "female",
        "birth_date": birth,
        "id_number": body + id_check_char(body),
        "phone": rng.choice(MOBILE_PREFIXES) + f"{rng.randrange(10**8):08d}",
    }


def new_member(org, *, rng: random.Random | None = None, actor=None, **overrides):
    """A member created through the members service (tests and seeds), with a plausible made-up identity."""
    from hongyin.members.services import member_create

    rng = rng or random.Random()
    data = person(rng, born_to=date(1998, 12, 31))
    data.update(overrides)
    data.setdefault("joined_on", date(data["birth_date"].year + 22, 7, 1))
    return member_create(actor=actor, org=org, **data)
