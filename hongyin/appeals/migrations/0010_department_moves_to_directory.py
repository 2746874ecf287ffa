"""Department moves to the directory app: the foreign keys point at directory.Department (the same table and rows),
then appeals forgets the model. No database change here."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("appeals", "0009_appeal_answered_on"),
        ("directory", "0001_departments_calendar_and_institutions"),
        ("appeals_config", "0003_department_and_calendar_move_to_directory"),
        ("accounts", "0005_role_scopes_in_the_directory"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="appeal",
                    name="department",
                    field=models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="appeals",
                        to="directory.department",
                        verbose_name="承办部门",
                    ),
                ),
                migrations.AlterField(
                    model_name="appealevent",
                    name="department",
                    field=models.ForeignKey(
                        blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, to="directory.department"
                    ),
                ),
                migrations.DeleteModel(name="Department"),
            ],
            database_operations=[],
        ),
    ]
