"""The calendar moves to the directory app (same tables and rows), and the default department points at
directory.Department. No database change here."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("appeals_config", "0002_appealcategory_auto_dispatch"),
        ("directory", "0001_departments_calendar_and_institutions"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="appealcategory",
                    name="default_department",
                    field=models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        to="directory.department",
                        verbose_name="默认承办部门",
                    ),
                ),
                migrations.DeleteModel(name="CalendarYear"),
                migrations.DeleteModel(name="CalendarOverride"),
            ],
            database_operations=[],
        ),
    ]
