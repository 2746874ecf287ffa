"""The industry column shows the GB/T 4754 name, not a bare code, in both languages."""

import re

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation

from hongyin.enterprises import industry
from hongyin.enterprises.models import Enterprise


def test_every_section_and_division_has_an_english_name():
    english = industry.english_names()
    top = [i.code for i in industry.table().values() if i.level in ("section", "division")]
    assert not [c for c in top if c not in english]
    with translation.override("en"):
        for item in industry.table().values():
            assert not re.search(r"[\u4e00-\u9fff]", item.display_name), item.code
        assert industry.name("65") == "Software and information technology services"
        assert industry.name("651") == industry.name("65")  # a group reads as its division in English
    with translation.override("zh-hans"):
        assert industry.name("65") == "软件和信息技术服务业"


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
