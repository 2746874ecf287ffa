"""Imports clicked through their real pages (issue 11): a committee administrator uploads a roster (.xlsx made
here with xlsxwriter), sees the check's preview, confirms, and the members exist; the zone uploads an enterprise
list and the job page shows it done. The background job is queued after commit: inside the test's transaction
the queued callbacks are run here (pytest-django's capture), while the page is away so that its progress polling
never shares the connection with the job."""

import io
import random
from datetime import date

from .conftest import login


def _xlsx(rows) -> bytes:
    import xlsxwriter

    out = io.BytesIO()
    book = xlsxwriter.Workbook(out, {"in_memory": True})
    sheet = book.add_worksheet()
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            sheet.write_string(r, c, str(value))
    book.close()
    return out.getvalue()


def _run_queued(page, capture, click) -> str:
    """Click; leave the page (no polling) while the job queued by the click runs; come back to where it led."""
    with capture(execute=True) as callbacks:
        click()
        page.wait_for_load_state("load")
        landed = page.url
        page.goto("about:blank")
    assert callbacks, "the click queued no job"
    page.goto(landed)
    return landed


def test_member_roster_upload_preview_confirm(open_context, server, credentials, django_capture_on_commit_callbacks):
    from hongyin.accounts.models import User
    from hongyin.common.fields import index_of
    from hongyin.devtools.people import person
    from hongyin.members.models import Member

    branch = User.objects.get(username="branch_secretary").assignments[0].org
    rng = random.Random(1111)
    people = [person(rng, born_to=date(1995, 1, 1)) for _ in range(3)]
    rows = [["姓名", "性别", "公民身份号码", "党员状态", "入党日期", "转正日期", "所在党支部"]]
    for p in people:
        rows.append(
            [
                p["name"],
                "男" if p["gender"] == "male" else "女",
                p["id_number"],
                "正式党员",
                "2018-07-01",
                "2019-07-01",
                branch.name,
            ]
        )

    ctx, _w = open_context()
    page = ctx.new_page()
    login(page, "building_admin", credentials)
    page.goto("/members/import/")
    page.select_option("select[name=kind]", "members")
    page.set_input_files(
        "input[name=file]", {"name": "名册.xlsx", "mimeType": "application/octet-stream", "buffer": _xlsx(rows)}
    )
    _run_queued(page, django_capture_on_commit_callbacks, lambda: page.click("main form button[type=submit]"))
    status = page.locator("#import-status").inner_text()
    assert "共 3 行：3 行无误，0 处问题" in status, status
    for p in people:
        assert p["name"] in status  # the preview
    assert not Member.objects.filter(id_number_index__in=[index_of(p["id_number"]) for p in people]).exists()

    _run_queued(page, django_capture_on_commit_callbacks, lambda: page.click("form[action$='/confirm/'] button"))
    status = page.locator("#import-status").inner_text()
    assert "导入完成，新增 3 条" in status, status
    imported = Member.objects.filter(id_number_index__in=[index_of(p["id_number"]) for p in people])
    assert imported.count() == 3 and {m.org_id for m in imported} == {branch.pk}
    assert page.locator("form[action$='/confirm/']").count() == 0


def test_enterprise_list_upload(open_context, server, credentials, django_capture_on_commit_callbacks):
    from stdnum.cn import uscc

    from hongyin.enterprises.models import Enterprise
    from hongyin.jobs.models import Job

    body = "91610131MA6JB8888"
    code = body + uscc.calc_check_digit(body)
    ctx, _w = open_context()
    page = ctx.new_page()
    login(page, "zone_admin", credentials)
    page.goto("/enterprises/import/")
    page.check("input[name=kind][value=enterprises]")
    content = _xlsx([["统一社会信用代码", "企业名称", "标签"], [code, "旅程导入科技有限公司", "瞪羚企业"]])
    page.set_input_files(
        "input[name=file]", {"name": "企业.xlsx", "mimeType": "application/octet-stream", "buffer": content}
    )
    landed = _run_queued(page, django_capture_on_commit_callbacks, lambda: page.click("main form button[type=submit]"))
    job = Job.objects.order_by("-id").first()
    assert landed.endswith(f"/jobs/{job.pk}/") and job.status == "succeeded", job.message
    assert page.locator(f"#job-{job.pk}").get_attribute("data-status") == "succeeded"
    e = Enterprise.objects.get(uscc=code)
    assert e.name == "旅程导入科技有限公司" and list(e.tags.values_list("name", flat=True)) == ["瞪羚企业"]
