"""The move of departments and the calendar into the directory keeps every row and every reference to it.

A scratch database (a SQLite file, or a PostgreSQL database when the suite runs on PostgreSQL) is migrated to the
state before the move, filled through the historical models, migrated forward, checked, migrated back, checked."""

import datetime
import uuid

import pytest
from django.db import connections
from django.db.migrations.executor import MigrationExecutor
from django.test import override_settings

BEFORE = [
    ("accounts", "0004_user_language"),
    ("appeals", "0009_appeal_answered_on"),
    ("appeals_config", "0002_appealcategory_auto_dispatch"),
]
AFTER = [
    ("directory", "0002_tables_renamed_to_directory"),
    ("accounts", "0005_role_scopes_in_the_directory"),
    ("appeals", "0010_department_moves_to_directory"),
    ("appeals_config", "0003_department_and_calendar_move_to_directory"),
]
ALIAS = "directory_migration_check"


class ToScratch:
    """Data migrations that use the default manager (most do) read and write the scratch database too."""

    def db_for_read(self, model, **hints):
        return ALIAS

    def db_for_write(self, model, **hints):
        return ALIAS


@pytest.fixture
def scratch_connection(django_db_blocker, tmp_path):
    base = connections["default"].settings_dict
    vendor = connections["default"].vendor
    with django_db_blocker.unblock():
        if vendor == "sqlite":
            name = str(tmp_path / "migrations.sqlite3")
        else:
            name = f"hongyin_migration_check_{uuid.uuid4().hex[:8]}"
            with connections["default"]._nodb_cursor() as cursor:
                cursor.execute(f'CREATE DATABASE "{name}"')
        connections.settings[ALIAS] = {**base, "NAME": name}
        try:
            with override_settings(DATABASE_ROUTERS=[ToScratch()]):
                yield connections[ALIAS]
        finally:
            connections[ALIAS].close()
            del connections[ALIAS]
            del connections.settings[ALIAS]
            if vendor != "sqlite":
                with connections["default"]._nodb_cursor() as cursor:
                    cursor.execute(f'DROP DATABASE IF EXISTS "{name}"')


def _migrate(connection, targets):
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    return MigrationExecutor(connection).loader.project_state(targets).apps


def _fill(apps) -> dict:
    User = apps.get_model("accounts", "User")
    Department = apps.get_model("appeals", "Department")
    user = User.objects.using(ALIAS).create(username="supervisor", password="!")
    science = Department.objects.using(ALIAS).create(name="科技局", code="science")
    Department.objects.using(ALIAS).create(name="财政局", code="finance", is_active=False)
    science.supervisors.add(user)
    assignment = (
        apps.get_model("accounts", "RoleAssignment")
        .objects.using(ALIAS)
        .create(user=user, role="dept_handler", department=science)
    )
    category = (
        apps.get_model("appeals_config", "AppealCategory")
        .objects.using(ALIAS)
        .create(code="tech", name="科技创新", default_department=science)
    )
    apps.get_model("appeals_config", "CalendarYear").objects.using(ALIAS).create(year=2031, note="国办发明电")
    Override = apps.get_model("appeals_config", "CalendarOverride")
    Override.objects.using(ALIAS).create(date=datetime.date(2031, 1, 1), kind="holiday", note="元旦")
    Override.objects.using(ALIAS).create(date=datetime.date(2031, 1, 26), kind="workday", note="春节调休")
    return {"user": user.pk, "science": science.pk, "assignment": assignment.pk, "category": category.pk}


def _check(apps, app_of: dict, pks: dict) -> None:
    Department = apps.get_model(app_of["department"], "Department")
    assert sorted(Department.objects.using(ALIAS).values_list("code", "is_active")) == [
        ("finance", False),
        ("science", True),
    ]
    science = Department.objects.using(ALIAS).get(pk=pks["science"])
    assert science.code == "science"
    assert list(science.supervisors.values_list("pk", flat=True)) == [pks["user"]]
    assignment = apps.get_model("accounts", "RoleAssignment").objects.using(ALIAS).get(pk=pks["assignment"])
    assert assignment.department_id == pks["science"] and assignment.department.name == "科技局"
    category = apps.get_model("appeals_config", "AppealCategory").objects.using(ALIAS).get(pk=pks["category"])
    assert category.default_department.code == "science"
    Year = apps.get_model(app_of["calendar"], "CalendarYear")
    Override = apps.get_model(app_of["calendar"], "CalendarOverride")
    assert list(Year.objects.using(ALIAS).values_list("year", "note")) == [(2031, "国办发明电")]
    assert sorted(Override.objects.using(ALIAS).values_list("date", "kind")) == [
        (datetime.date(2031, 1, 1), "holiday"),
        (datetime.date(2031, 1, 26), "workday"),
    ]


def test_the_move_keeps_departments_calendar_and_the_references_to_them(scratch_connection):
    connection = scratch_connection
    before = _migrate(connection, BEFORE)
    pks = _fill(before)

    after = _migrate(connection, AFTER)
    _check(after, {"department": "directory", "calendar": "directory"}, pks)
    tables = set(connection.introspection.table_names())
    assert {"directory_department", "directory_department_supervisors", "directory_calendaryear"} <= tables
    assert not tables & {"appeals_department", "appeals_config_calendaryear", "appeals_config_calendaroverride"}
    # the foreign keys still guard the rows: a department in use cannot go
    from django.db import IntegrityError, transaction

    Department = after.get_model("directory", "Department")
    with pytest.raises(IntegrityError), transaction.atomic(using=ALIAS):
        Department.objects.using(ALIAS).filter(pk=pks["science"])._raw_delete(ALIAS)
    # a new row of a new scope kind can be granted
    FinancialInstitution = after.get_model("directory", "FinancialInstitution")
    bank = FinancialInstitution.objects.using(ALIAS).create(name="西安银行高新科技支行", kind="bank")
    after.get_model("accounts", "RoleAssignment").objects.using(ALIAS).create(
        user_id=pks["user"], role="member", financial_institution=bank
    )

    back = _migrate(connection, BEFORE)
    _check(back, {"department": "appeals", "calendar": "appeals_config"}, pks)
    assert "appeals_department" in set(connection.introspection.table_names())
