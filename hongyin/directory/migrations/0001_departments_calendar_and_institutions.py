"""The directory takes over the departments (from appeals) and the working-day calendar (from appeals_config).

Their tables and rows stay where they are: this migration only moves the models' state (SeparateDatabaseAndState,
with the old table names); the apps that point at them switch their foreign keys in their own migrations, and
0002 renames the tables. The new reference institutions are created here."""

import django.db.models.deletion  # noqa: F401
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
        ("appeals", "0009_appeal_answered_on"),
        ("appeals_config", "0002_appealcategory_auto_dispatch"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="Department",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        ("name", models.CharField(max_length=80, unique=True, verbose_name="部门名称")),
                        ("code", models.SlugField(max_length=40, unique=True, verbose_name="部门代码")),
                        (
                            "supervisors",
                            models.ManyToManyField(
                                blank=True,
                                related_name="supervised_departments",
                                to=settings.AUTH_USER_MODEL,
                                verbose_name="分管负责人",
                            ),
                        ),
                        ("is_active", models.BooleanField(default=True, verbose_name="启用")),
                    ],
                    options={
                        "verbose_name": "承办部门",
                        "verbose_name_plural": "承办部门",
                        "db_table": "appeals_department",
                    },
                ),
                migrations.CreateModel(
                    name="CalendarYear",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        ("year", models.PositiveSmallIntegerField(unique=True, verbose_name="年份")),
                        ("note", models.CharField(blank=True, max_length=200, verbose_name="依据")),
                    ],
                    options={
                        "verbose_name": "已录入年度",
                        "verbose_name_plural": "已录入年度",
                        "ordering": ["year"],
                        "db_table": "appeals_config_calendaryear",
                    },
                ),
                migrations.CreateModel(
                    name="CalendarOverride",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        ("date", models.DateField(unique=True, verbose_name="日期")),
                        (
                            "kind",
                            models.CharField(
                                choices=[("holiday", "放假"), ("workday", "调休上班")], max_length=10, verbose_name="类型"
                            ),
                        ),
                        ("note", models.CharField(blank=True, max_length=100, verbose_name="说明")),
                    ],
                    options={
                        "verbose_name": "节假日调整",
                        "verbose_name_plural": "节假日调整",
                        "ordering": ["date"],
                        "db_table": "appeals_config_calendaroverride",
                    },
                ),
            ],
            database_operations=[],
        ),
        migrations.CreateModel(
            name="FinancialInstitution",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("name", models.CharField(max_length=100, unique=True, verbose_name="机构名称")),
                (
                    "kind",
                    models.CharField(
                        choices=[
                            ("bank", "银行"),
                            ("guarantee", "融资担保"),
                            ("leasing", "融资租赁"),
                            ("fund", "投资基金"),
                            ("other", "其他"),
                        ],
                        default="bank",
                        max_length=16,
                        verbose_name="机构类型",
                    ),
                ),
                ("uscc", models.CharField(blank=True, max_length=18, verbose_name="统一社会信用代码")),
                ("contact", models.CharField(blank=True, max_length=60, verbose_name="联系人")),
                ("phone", models.CharField(blank=True, max_length=30, verbose_name="联系电话")),
                ("is_active", models.BooleanField(default=True, verbose_name="启用")),
            ],
            options={
                "verbose_name": "金融机构",
                "verbose_name_plural": "金融机构",
                "ordering": ["kind", "name"],
            },
        ),
        migrations.CreateModel(
            name="Partner",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("name", models.CharField(max_length=100, unique=True, verbose_name="单位名称")),
                (
                    "kind",
                    models.CharField(
                        choices=[
                            ("enterprise", "企业"),
                            ("institute", "科研院所"),
                            ("state_owned", "国有企业"),
                            ("association", "社会组织"),
                            ("other", "其他"),
                        ],
                        default="enterprise",
                        max_length=16,
                        verbose_name="单位类型",
                    ),
                ),
                ("description", models.TextField(blank=True, verbose_name="合作内容")),
                ("contact", models.CharField(blank=True, max_length=60, verbose_name="联系人")),
                ("phone", models.CharField(blank=True, max_length=30, verbose_name="联系电话")),
                ("is_active", models.BooleanField(default=True, verbose_name="启用")),
            ],
            options={
                "verbose_name": "合作单位",
                "verbose_name_plural": "合作单位",
                "ordering": ["name"],
            },
        ),
        migrations.CreateModel(
            name="AllianceMember",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("name", models.CharField(max_length=60, unique=True, verbose_name="成员单位")),
                ("is_self", models.BooleanField(default=False, verbose_name="本区")),
                ("contact", models.CharField(blank=True, max_length=60, verbose_name="联络人")),
                ("order", models.PositiveSmallIntegerField(default=0, verbose_name="排序")),
            ],
            options={
                "verbose_name": "党建联盟成员",
                "verbose_name_plural": "党建联盟成员",
                "ordering": ["order", "id"],
                "constraints": [
                    models.UniqueConstraint(
                        condition=models.Q(("is_self", True)),
                        fields=("is_self",),
                        name="alliance_one_self_member",
                        violation_error_message="只能有一个成员单位标为本区。",
                    )
                ],
            },
        ),
    ]
