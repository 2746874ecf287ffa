"""Pie charts name their slices in the page's language, with a legend; ethnicities read in English too."""

import json

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation

from hongyin.members.choices import ETHNICITIES, ETHNICITY_LABELS
from hongyin.orgs import charts


def test_a_pie_has_a_legend_and_labelled_slices():
    option = json.loads(charts.pie("民族", [("Han", 10), ("Hui", 2)]))
    assert option["legend"]["data"] == ["Han", "Hui"]
    series = option["series"][0]
    assert "{b}" in series["label"]["formatter"] and [d["name"] for d in series["data"]] == ["Han", "Hui"]


def test_every_ethnicity_has_an_english_name():
    with translation.override("en"):
        english = {e: str(ETHNICITY_LABELS[e]) for e in ETHNICITIES}
    assert english["汉族"] == "Han" and english["维吾尔族"] == "Uyghur"
    assert all(e != name and name.isascii() for e, name in english.items())


@pytest.mark.django_db
def test_the_statistics_tab_in_english_names_ethnicities_in_english(as_user, demo):
    client = as_user("zone_admin")
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    body = client.get(reverse("orgs:detail", args=[demo.root.pk]), {"tab": "figures"}).content.decode()
    assert "&quot;legend&quot;" in body
    assert "汉族" not in body and "Han" in body
