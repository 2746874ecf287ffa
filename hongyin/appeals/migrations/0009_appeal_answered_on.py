from django.db import migrations, models
from django.utils import timezone


def from_events(apps, schema_editor):
    """Appeals already answered finally: the day of their last final reply starts the auto-close clock."""
    Appeal = apps.get_model("appeals", "Appeal")
    AppealEvent = apps.get_model("appeals", "AppealEvent")
    for appeal in Appeal.objects.filter(status="replied").only("pk"):
        last = AppealEvent.objects.filter(appeal_id=appeal.pk, kind="reply_final").order_by("-at").first()
        if last is not None:
            Appeal.objects.filter(pk=appeal.pk).update(answered_on=timezone.localtime(last.at).date())


class Migration(migrations.Migration):
    dependencies = [("appeals", "0008_appeal_version")]

    operations = [
        migrations.AddField(
            model_name="appeal",
            name="answered_on",
            field=models.DateField(blank=True, null=True, verbose_name="办结答复日期"),
        ),
        migrations.RunPython(from_events, migrations.RunPython.noop),
    ]
