"""The moved tables take the directory's names (the rows, their ids and every foreign key to them stay; PostgreSQL
and SQLite >= 3.26 carry the references over on a rename). The content types follow, so the admin's history of
these rows stays attached to them."""

from django.db import migrations

MOVED = [("appeals", "department"), ("appeals_config", "calendaryear"), ("appeals_config", "calendaroverride")]


def content_types_follow(apps, schema_editor):
    _relabel(apps, schema_editor, forward=True)


def content_types_return(apps, schema_editor):
    _relabel(apps, schema_editor, forward=False)


def _relabel(apps, schema_editor, *, forward: bool) -> None:
    ContentType = apps.get_model("contenttypes", "ContentType")
    db = schema_editor.connection.alias
    for old_app, model in MOVED:
        source, target = ("directory", old_app) if not forward else (old_app, "directory")
        if ContentType.objects.using(db).filter(app_label=target, model=model).exists():
            continue  # post_migrate of an earlier run created it already: keep the one that has the history
        ContentType.objects.using(db).filter(app_label=source, model=model).update(app_label=target)


class Migration(migrations.Migration):
    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("directory", "0001_departments_calendar_and_institutions"),
        ("appeals", "0010_department_moves_to_directory"),
        ("appeals_config", "0003_department_and_calendar_move_to_directory"),
        ("accounts", "0005_role_scopes_in_the_directory"),
    ]

    operations = [
        migrations.AlterModelTable(name="department", table=None),
        migrations.AlterModelTable(name="calendaryear", table=None),
        migrations.AlterModelTable(name="calendaroverride", table=None),
        migrations.RunPython(content_types_follow, content_types_return),
    ]
