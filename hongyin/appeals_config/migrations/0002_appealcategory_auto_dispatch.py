from django.db import migrations, models


def manual_without_department(apps, schema_editor):
    AppealCategory = apps.get_model("appeals_config", "AppealCategory")
    AppealCategory.objects.filter(default_department__isnull=True).update(auto_dispatch=False)


class Migration(migrations.Migration):
    dependencies = [("appeals_config", "0001_categories_and_calendar")]

    operations = [
        migrations.AddField(
            model_name="appealcategory",
            name="auto_dispatch",
            field=models.BooleanField(
                default=True,
                help_text="勾选：提交后直接派至默认承办部门；不勾选：由党工委人工研判后派单。没有默认承办部门时总是人工派单。",
                verbose_name="自动派单",
            ),
        ),
        migrations.RunPython(manual_without_department, migrations.RunPython.noop),
    ]
