"""Role assignments: the department scope points at directory.Department (same table and rows, no database
change), and three new scope kinds get their column: financial institution, partner, alliance member."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0004_user_language"),
        ("directory", "0001_departments_calendar_and_institutions"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="roleassignment",
                    name="department",
                    field=models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        to="directory.department",
                        verbose_name="部门",
                    ),
                ),
            ],
            database_operations=[],
        ),
        migrations.AddField(
            model_name="roleassignment",
            name="financial_institution",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                to="directory.financialinstitution",
                verbose_name="金融机构",
            ),
        ),
        migrations.AddField(
            model_name="roleassignment",
            name="partner",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                to="directory.partner",
                verbose_name="合作单位",
            ),
        ),
        migrations.AddField(
            model_name="roleassignment",
            name="alliance_member",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                to="directory.alliancemember",
                verbose_name="党建联盟成员",
            ),
        ),
    ]
