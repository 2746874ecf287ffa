"""The required frequencies of 中国共产党支部工作条例(试行), 2018 (DOMAIN.md), as the rows the zone edits."""

from django.db import migrations

DEFAULTS = [
    ("general", "quarter", 1),  # 支部党员大会: generally once a quarter
    ("committee", "month", 1),  # 支部委员会: generally once a month
    ("group", "month", 1),  # 党小组会: generally once a month
    ("lecture", "quarter", 1),  # 党课: at least once a quarter
    ("theme_day", "month", 1),  # 主题党日: monthly
]


def add_defaults(apps, schema_editor):
    RequiredFrequency = apps.get_model("orglife", "RequiredFrequency")
    for kind, period, times in DEFAULTS:
        RequiredFrequency.objects.get_or_create(kind=kind, defaults={"period": period, "times": times})


class Migration(migrations.Migration):
    dependencies = [("orglife", "0001_meetings_attendance_compliance")]

    operations = [migrations.RunPython(add_defaults, migrations.RunPython.noop)]
