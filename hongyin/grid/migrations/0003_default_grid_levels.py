from django.db import migrations

DEFAULT_LEVELS = [(1, "区", 2), (2, "片区/街道", 2), (3, "园区/社区", 2), (4, "楼宇", 2), (5, "楼层/微网格", 2)]


def create_levels(apps, schema_editor):
    GridLevel = apps.get_model("grid", "GridLevel")
    for level, name, width in DEFAULT_LEVELS:
        GridLevel.objects.get_or_create(level=level, defaults={"name": name, "code_width": width})


class Migration(migrations.Migration):
    dependencies = [("grid", "0002_grid_levels")]

    operations = [migrations.RunPython(create_levels, migrations.RunPython.noop)]
