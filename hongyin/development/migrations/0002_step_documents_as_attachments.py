import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("common", "0002_attachment"),
        ("development", "0001_initial_development"),
    ]

    operations = [
        migrations.DeleteModel(name="StepDocument"),
        migrations.CreateModel(
            name="StepDocument",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                (
                    "attachment",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.PROTECT, related_name="+", to="common.attachment"
                    ),
                ),
                (
                    "record",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="documents",
                        to="development.steprecord",
                    ),
                ),
            ],
            options={"verbose_name": "发展材料", "verbose_name_plural": "发展材料"},
        ),
    ]
