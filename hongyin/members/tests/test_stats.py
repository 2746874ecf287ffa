from collections import Counter
from datetime import date

import pytest

from hongyin.accounts.models import User
from hongyin.members.models import Member
from hongyin.members.selectors import AGE_BANDS, birth_range, member_stats

pytestmark = pytest.mark.django_db


def test_member_stats_agree_with_counting_row_by_row(demo):
    user = User.objects.get(username="zone_admin")
    stats = member_stats(user, demo.buildings[0])
    rows = list(Member.objects.filter(org__path__startswith=demo.buildings[0].path, left_on__isnull=True))
    assert stats["total"] == len(rows) > 0
    assert stats["category"] == dict(sorted(Counter(m.category for m in rows).items()))
    assert stats["joined_year"] == dict(sorted(Counter(m.joined_on.year for m in rows).items()))
    today = date.today()
    for band in AGE_BANDS:
        earliest, latest = birth_range(band, today)
        assert stats["age"][band] == sum(1 for m in rows if earliest < m.birth_date <= latest), band
