"""Member history notes the system writes are a code plus parameters, read in the reader's language."""

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation

from hongyin.common.notification_texts import text
from hongyin.members.models import Member, MemberEventKind, MemberHistory
from hongyin.members.services import history_add

pytestmark = pytest.mark.django_db


def test_a_note_written_by_an_english_reader_reads_in_each_language(as_user, branch, make_member):
    member = make_member(branch)
    reason = dict(Member._meta.get_field("leave_reason").flatchoices)["withdrawn"]
    with translation.override("en"):
        history_add(member=member, kind=MemberEventKind.OTHER, summary=text("member.history.left", r_msg=reason))
    row = MemberHistory.objects.filter(member=member, code="member.history.left").get()
    assert row.summary.startswith("离开党组织：")  # stored in the default language
    with translation.override("en"):
        english = row.display_summary
        assert english.startswith("Left the party organization: ") and str(reason) in english
    client = as_user("branch_secretary")
    assert row.summary in client.get(reverse("members:detail", args=[member.pk])).content.decode()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    page = client.get(reverse("members:detail", args=[member.pk])).content.decode()
    assert english in page and row.summary not in page


def test_an_old_note_reads_as_stored(branch, make_member):
    member = make_member(branch)
    row = history_add(member=member, kind=MemberEventKind.OTHER, summary="手工记录")
    with translation.override("en"):
        assert row.code == "" and row.display_summary == "手工记录"
