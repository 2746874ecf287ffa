"""Appeal categories and departments shipped with the system read in the reader's language."""

import re

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation

from hongyin.common.vocabulary import NAMES, translated
from hongyin.devtools.demo import DEPARTMENTS
from hongyin.devtools.seed_appeals import CATEGORIES


def test_every_shipped_name_has_an_english_name():
    assert {name for _c, name, *_rest in CATEGORIES} <= set(NAMES["appeal category"])
    assert {name for name, _code in DEPARTMENTS} <= set(NAMES["department"])
    with translation.override("en"):
        english = [translated(kind, name) for kind, names in NAMES.items() for name in names]
    assert not [e for e in english if re.search(r"[\u4e00-\u9fff]", e)]
    assert translated("department", "新设的部门") == "新设的部门"  # a name added later reads as entered


@pytest.mark.django_db
def test_models_and_pages_show_the_translated_name(as_user):
    from hongyin.appeals.models import Appeal
    from hongyin.directory.models import Department

    department = Department.objects.get(name="科技局")
    with translation.override("en"):
        assert str(department) == department.display_name == "Science and Technology Bureau"
    appeal = Appeal.objects.select_related("category").first()
    if appeal is None:
        pytest.skip("no demo appeal")
    client = as_user("zone_admin")
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    body = client.get(appeal.get_absolute_url()).content.decode()
    with translation.override("en"):
        assert appeal.category.display_name in body
    assert f">{appeal.category.name}<" not in body
    assert reverse("appeals:list")
