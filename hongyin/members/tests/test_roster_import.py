"""Issue 11 item 6: a roster as a branch secretary keeps it, through the real pages and the API.

The file is a real .xlsx made with xlsxwriter: a title row above the header, no branch column, month-only birth
dates (1985.03, 1992年11月, and Excel's number 1988.1), full-width digits, a lower-case x, blank rows, an ID
number twice (its first row otherwise wrong), a region code newer than the birth date, and 转正时间 before
入党时间. Compared at the precision written, every good row passes; each bad row names its real error."""

import io
from datetime import date

import pytest
import xlsxwriter
from django.core.files.uploadedfile import SimpleUploadedFile

from hongyin.common.fields import index_of
from hongyin.jobs.models import Job
from hongyin.members.models import Member
from hongyin.members.validation import id_check_char

pytestmark = pytest.mark.django_db

HEADER = ["序号", "姓名", "性别", "出生年月", "公民身份号码", "入党时间", "转正时间", "联系电话"]
FULLWIDTH = str.maketrans("0123456789", "０１２３４５６７８９")


def _id(region: str, born: date, order: int, *, want_x: bool = False) -> str:
    for n in range(order, order + 400):
        body = f"{region}{born:%Y%m%d}{n % 1000:03d}"
        check = id_check_char(body)
        if (check == "X") == want_x:
            return body + check
    raise AssertionError("no such number")


def _people():
    return {
        "month_dot": _id("610113", date(1985, 3, 17), 11),
        "month_cn": _id("610104", date(1992, 11, 5), 21),
        "month_number": _id("610103", date(1988, 10, 9), 31),
        "fullwidth": _id("610112", date(1979, 6, 30), 41),
        "lower_x": _id("610113", date(1983, 1, 2), 51, want_x=True),
        "new_region": _id("610118", date(1975, 8, 8), 61),  # 鄠邑区 (2016), a number first issued in 1975
        "twice": _id("610113", date(1990, 2, 14), 71),
        "full_before_joined": _id("610113", date(1980, 4, 4), 81),
        "first_bad": _id("610113", date(1986, 9, 9), 91),
    }


def _roster(ids: dict, *, with_errors: bool = True) -> bytes:
    out = io.BytesIO()
    book = xlsxwriter.Workbook(out, {"in_memory": True})
    sheet = book.add_worksheet("党员名册")
    sheet.merge_range(0, 0, 0, len(HEADER) - 1, "中共示例科技有限公司支部委员会党员花名册（2024年12月）")
    for c, h in enumerate(HEADER):
        sheet.write_string(1, c, h)
    rows = [
        ["1", "张 伟", "男", "1985.03", ids["month_dot"], "2010.07", "2011.07", "13912345678"],
        ["2", "李娜", "女", "1992年11月", ids["month_cn"], "2015年6月", "2016年6月", ""],
        ["3", "王强", "男", 1988.1, ids["month_number"], "2012-07-01", "2013-07-01", ""],
        [
            "4",
            "赵敏",
            "女",
            "1979.06",
            ids["fullwidth"].translate(FULLWIDTH),
            "２００５.０７",
            "",
            "１３９１２３４５６７８",
        ],
        None,  # a blank row
        ["5", "刘洋", "男", "1983.01", ids["lower_x"].lower(), "2008.06", "2009.06", ""],
        ["6", "陈静", "女", "1975.08", ids["new_region"], "2001.07", "2002.07", ""],
        ["7", "周杰", "男", "1990.02", ids["twice"], "2014.05", "2015.05", ""],
        None,
    ]
    if with_errors:
        rows += [
            ["8", "吴涛", "男", "1990.02", ids["twice"], "明年", "", ""],  # the same number again, itself wrong
            ["9", "郑丽", "女", "1980.04", ids["full_before_joined"], "2012.07", "2011.07", ""],
            ["10", "孙八", "男", "1986.09", ids["first_bad"], "2003.01", "", ""],  # joined at 16: wrong
            ["11", "钱七", "男", "1986.09", ids["first_bad"], "2010.01", "2011.01", ""],  # its repeat, valid
        ]
    r = 2
    for row in rows:
        if row is not None:
            for c, value in enumerate(row):
                if isinstance(value, float):
                    sheet.write_number(r, c, value)
                else:
                    sheet.write_string(r, c, value)
        r += 1
    book.close()
    return out.getvalue()


def _run(capture, fn):
    with capture(execute=True):
        return fn()


def test_secretary_roster_with_quirks_through_the_page(as_user, users, branch, django_capture_on_commit_callbacks):
    ids = _people()
    client = as_user("branch_secretary")
    page = client.get("/members/import/").content.decode()
    assert 'name="target"' in page and f'value="{branch.pk}" selected' in page  # the secretary's own branch

    upload = SimpleUploadedFile("名册.xlsx", _roster(ids))
    r = _run(
        django_capture_on_commit_callbacks,
        lambda: client.post("/members/import/", {"kind": "members", "target": branch.pk, "file": upload}),
    )
    assert r.status_code == 302, r.content.decode()[:500]
    job = Job.objects.get(pk=int(r["Location"].rstrip("/").split("/")[-1]))
    summary_page = client.get(r["Location"]).content.decode()
    from hongyin.jobs.services import job_read_json

    summary = job_read_json(job)
    errors = {(e["row"], e["column"]): e["message"] for e in summary["errors"]}
    # the title and the header take rows 1-2; rows 7 and 11 are blank; 11 data rows
    assert summary["total"] == 11, summary
    assert set(errors) == {
        (12, "入党日期"),
        (12, "公民身份号码"),
        (13, "转正日期"),
        (14, "入党日期"),
        (15, "公民身份号码"),
    }, errors
    # a repeated number is reported whichever of the two rows is otherwise wrong
    assert "与第 10 行重复" in errors[(12, "公民身份号码")] and "与第 14 行重复" in errors[(15, "公民身份号码")]
    # month-only birth dates are compared to the month; 转正 before 入党 is named as such
    assert "早于入党日期" in errors[(13, "转正日期")] and "出生" not in errors[(13, "转正日期")]
    assert "18" in errors[(14, "入党日期")]
    assert summary["valid"] == 7 and summary["target"] == branch.name
    assert "与第 10 行重复" in summary_page and "确认导入" not in summary_page
    assert not Member.objects.filter(id_number_index__in=[index_of(n) for n in ids.values()]).exists()

    # the corrected file: checked, previewed, confirmed; every member lands in the chosen branch
    upload = SimpleUploadedFile("名册.xlsx", _roster(ids, with_errors=False))
    r = _run(
        django_capture_on_commit_callbacks,
        lambda: client.post("/members/import/", {"kind": "members", "target": branch.pk, "file": upload}),
    )
    status = client.get(r["Location"]).content.decode()
    assert "共 7 行：7 行无误，0 处问题" in status and "确认导入 7 行" in status
    confirm = r["Location"] + "confirm/"
    r = _run(django_capture_on_commit_callbacks, lambda: client.post(confirm))
    assert r.status_code == 302
    assert "导入完成，新增 7 条" in client.get(r["Location"]).content.decode()
    imported = Member.objects.filter(id_number_index__in=[index_of(n.upper()) for n in ids.values()])
    assert imported.count() == 7 and {m.org_id for m in imported} == {branch.pk}
    got = {m.id_number: m for m in imported}
    assert got[ids["month_dot"]].birth_date == date(1985, 3, 17)  # the day from the number
    assert got[ids["month_number"]].birth_date == date(1988, 10, 9)
    assert got[ids["lower_x"]].id_number.endswith("X") and got[ids["fullwidth"]].phone == "13912345678"
    assert got[ids["month_dot"]].name == "张伟" and got[ids["month_dot"]].joined_on == date(2010, 7, 1)
    # a second click on the old confirm button writes nothing more
    r = _run(django_capture_on_commit_callbacks, lambda: client.post(confirm))
    assert Member.objects.filter(id_number_index__in=[index_of(n.upper()) for n in ids.values()]).count() == 7
    # one import-level audit event, written with the rows
    from hongyin.audit.models import AuditEvent

    event = AuditEvent.objects.filter(action="members.import").latest("id")
    assert event.details["created"] == 7 and event.details["target"] == branch.name


def test_roster_without_branch_column_through_the_api(as_user, users, branch, django_capture_on_commit_callbacks):
    ids = _people()
    client = as_user("branch_secretary")
    kinds = client.get("/api/v1/imports/kinds").json()
    members = next(k for k in kinds if k["key"] == "members")
    assert members["default_target"] == branch.pk and any(t["id"] == branch.pk for t in members["targets"])

    def post(data, who=client):
        data = {"kind": "members", "file": SimpleUploadedFile("名册.xlsx", _roster(ids, with_errors=False)), **data}
        return _run(django_capture_on_commit_callbacks, lambda: who.post("/api/v1/imports", data))

    # no branch column, no target, and no branch of one's own to default to: every row says what is missing
    committee = as_user("building_admin")
    r = post({}, committee)
    assert r.status_code == 202, r.content
    job = committee.get(f"/api/v1/imports/jobs/{r.json()['job_id']}").json()
    assert job["error_count"] == 7 and "选择导入到哪个党支部" in job["errors"][0]["message"]
    assert job["can_confirm"] is False
    # a branch outside the secretary's scope is refused before anything runs
    from hongyin.orgs.models import BRANCH_KINDS, Organization

    outside = Organization.objects.filter(kind__in=BRANCH_KINDS).exclude(path__startswith=branch.path).first()
    assert post({"target": outside.pk}).status_code == 422
    # the secretary's roster goes to the secretary's own branch unless another is chosen
    r = post({})
    job = client.get(f"/api/v1/imports/jobs/{r.json()['job_id']}").json()
    assert job["total"] == 7 and job["error_count"] == 0 and job["can_confirm"] and job["dry_run"]
    assert job["preview"] and job["target"] == branch.name
    r = _run(django_capture_on_commit_callbacks, lambda: client.post(f"/api/v1/imports/jobs/{job['job_id']}/confirm"))
    assert r.status_code == 202, r.content
    done = client.get(f"/api/v1/imports/jobs/{r.json()['job_id']}").json()
    assert done["created"] == 7 and done["status"] == "succeeded"
    # someone else's import is not found
    assert as_user("building_admin").get(f"/api/v1/imports/jobs/{job['job_id']}").status_code == 404
