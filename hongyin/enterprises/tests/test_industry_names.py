"""The industry column shows the GB/T 4754 name, not a bare code, in both languages."""

import re

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation

from hongyin.enterprises import industry
from hongyin.enterprises.models import Enterprise


def test_every_section_division_and_group_has_its_own_english_name():
    english = industry.english_names()
    assert not [c for c in industry.table() if c not in english]  # 20 sections, 97 divisions, 473 groups
    assert not [c for c in english if c not in industry.table()]
    assert len(set(english.values())) > 0.95 * len(english)  # a group is not its division's name repeated
    with translation.override("en"):
        for item in industry.table().values():
            assert not re.search(r"[\u4e00-\u9fff，。：；（）、]", item.display_name), item.code
            assert item.display_name == item.display_name.strip() and item.display_name[0].isupper(), item.code
        assert industry.name("65") == "Software and information technology services"
        assert industry.name("651") == "Software development"
        assert industry.name("652") == "Integrated circuit design"
        assert industry.name("3") == "3"  # not in the table: the code as given
    with translation.override("zh-hans"):
        assert industry.name("65") == "软件和信息技术服务业"
        assert industry.name("651") == "软件开发"


@pytest.mark.django_db
def test_the_enterprise_list_shows_industry_names(as_user):
    enterprise = Enterprise.objects.exclude(industry_code="").order_by("pk").first()
    code = enterprise.industry_code
    client = as_user("zone_admin")
    zh = client.get(reverse("enterprises:list"), {"q": enterprise.name}).content.decode()
    with translation.override("zh-hans"):
        assert industry.name(code) in zh
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    en = client.get(reverse("enterprises:list"), {"q": enterprise.name}).content.decode()
    with translation.override("en"):
        assert industry.name(code) in en
    assert f'<td class="small">{code}</td>' not in en
