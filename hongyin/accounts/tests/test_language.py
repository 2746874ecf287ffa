"""Simplified Chinese is the default whatever the browser says; the user's choice is remembered on the account."""

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from hongyin.accounts.models import User
from hongyin.devtools.sessions import login_as

pytestmark = pytest.mark.django_db

ZH = '<html lang="zh-CN">'
EN = '<html lang="en">'


def test_an_english_browser_gets_chinese_pages_by_default():
    page = Client(headers={"accept-language": "en-US,en;q=0.9"}).get(reverse("accounts:login"))
    assert ZH in page.content.decode()
    assert page.headers["Content-Language"] == "zh-hans"


def test_the_language_cookie_chooses_before_sign_in():
    client = Client(headers={"accept-language": "zh-CN"})
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    assert EN in client.get(reverse("accounts:login")).content.decode()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "xx"  # unknown: the default
    assert ZH in client.get(reverse("accounts:login")).content.decode()


def test_the_choice_is_saved_on_the_user_and_follows_them_to_another_browser():
    client = login_as(Client(), "member")
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    assert User.objects.get(username="member").language == "en"
    assert "Workbench" in client.get(reverse("accounts:workbench")).content.decode()

    elsewhere = login_as(Client(headers={"accept-language": "zh-CN"}), "member")  # no cookie
    body = elsewhere.get(reverse("accounts:workbench")).content.decode()
    assert EN in body and "Workbench" in body

    elsewhere.post(reverse("set_language"), {"language": "zh-hans", "next": "/"})
    assert User.objects.get(username="member").language == "zh-hans"
    assert ZH in login_as(Client(), "member").get(reverse("accounts:workbench")).content.decode()
