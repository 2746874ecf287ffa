"""Export of any filtered member list: xlsxwriter constant_memory, watermark, audited.

The file shows what the screen shows: ID numbers and phones masked, names masked for a role without the
personal-data right. The unmasked file is an explicit choice with a reason, by a role that holds that right,
and is audited as an unmasking (personal_data.unmask) besides the export itself."""

from django.core.exceptions import PermissionDenied
from django.db import connections, transaction
from django.utils.translation import gettext as _

from hongyin.audit import services as audit
from hongyin.common.bulk_crypto import decrypt_batches
from hongyin.common.errors import DomainError
from hongyin.common.exports import write_rows_xlsx
from hongyin.common.fields import DECRYPTION_FAILED, mask_id_number, mask_name, mask_phone

from .choices import Education, Gender, LeaveReason, MemberCategory, MemberStatus
from .permissions import can_view_personal_data

HEADERS = (
    "姓名",
    "性别",
    "民族",
    "出生日期",
    "公民身份号码",
    "手机号码",
    "学历",
    "人员类别",
    "党员状态",
    "入党日期",
    "转正日期",
    "所在党支部",
    "工作单位",
    "职务",
    "流动党员",
    "流动去向",
    "组织关系转入日期",
    "离开日期",
    "离开原因",
)
FIELDS = (
    "name",
    "gender",
    "ethnicity",
    "birth_date",
    "id_number",
    "phone",
    "education",
    "category",
    "status",
    "joined_on",
    "full_member_on",
    "org__name",
    "employer_name",
    "job_title",
    "is_floating",
    "floating_place",
    "registered_on",
    "left_on",
    "leave_reason",
)

# the widths their contents need (in characters, a Chinese one counting two); dates are real dates
WIDTHS = (10, 4, 8, 10, 20, 13, 14, 10, 10, 10, 10, 30, 30, 12, 4, 20, 10, 10, 10)
DATE_COLUMNS = (3, 9, 10, 16, 17)


def _raw_batches(values_qs, size: int = 2000):
    """The rows of a values_list queryset straight from the database cursor (a server-side cursor on
    PostgreSQL), a batch at a time: no per-value field converters, so the two encrypted columns arrive as
    ciphertext and dates as ISO text; a 50,000-row export spends its time on decryption, not on the ORM."""
    sql, params = values_qs.query.get_compiler(using=values_qs.db).as_sql()
    with connections[values_qs.db].chunked_cursor() as cursor:
        cursor.execute(sql, params)
        while batch := cursor.fetchmany(size):
            yield batch


def export_members(*, user, qs, target, filters: dict | None = None, unmask: bool = False, reason: str = "") -> int:
    """Write the list to `target` (path or file object); the header names are those of the import template,
    so an export can be corrected and imported again. Masked as on screen unless `unmask` with a `reason`."""
    reason = " ".join((reason or "").split())[:200]
    if unmask and not can_view_personal_data(user):
        raise PermissionDenied
    if unmask and len(reason) < 2:
        raise DomainError(_("导出完整的身份证号和手机号须填写理由。"), field="reason")
    full = unmask
    names = full or can_view_personal_data(user)
    labels = {
        key: {value: str(label) for value, label in choices.choices}
        for key, choices in (
            ("gender", Gender),
            ("education", Education),
            ("category", MemberCategory),
            ("status", MemberStatus),
            ("leave_reason", LeaveReason),
        )
    }
    yes, no = _("是"), _("否")

    def rows():
        batches = _raw_batches(qs.values_list(*FIELDS))
        for batch, (ids, phones) in decrypt_batches(batches, (4, 5), failed=DECRYPTION_FAILED):
            for values, id_number, phone in zip(batch, ids, phones, strict=True):
                row = list(values)
                row[4], row[5] = id_number, phone
                if not full:
                    if not names:
                        row[0] = mask_name(row[0])
                    row[4] = mask_id_number(row[4])
                    row[5] = mask_phone(row[5])
                for i, key in ((1, "gender"), (6, "education"), (7, "category"), (8, "status"), (18, "leave_reason")):
                    row[i] = labels[key].get(row[i], row[i] or "")
                row[14] = yes if row[14] else no
                yield row  # dates as the database gives them (ISO text or dates): written as date cells

    count = write_rows_xlsx(
        target,
        [_(h) for h in HEADERS],
        rows(),
        user=user,
        title=_("党员名册"),
        readable=True,
        widths=WIDTHS,
        date_columns=DATE_COLUMNS,
    )
    shown = {k: str(v) for k, v in (filters or {}).items() if v and k not in ("csrfmiddlewaretoken", "reason")}
    with transaction.atomic():
        audit.record(
            actor=user,
            action="member.export",
            details={"rows": count, "unmasked": full, "filters": shown},
        )
        if full:
            audit.record(
                actor=user,
                action="personal_data.unmask",
                details={
                    "fields": ["name", "id_number", "phone"],
                    "export": "members",
                    "rows": count,
                    "reason": reason,
                    "filters": shown,
                },
            )
    return count
