"""Crawler samples for the import pages and API (tests/security/test_crawler.py)."""

from hongyin.common.crawl import Sample, crawl_samples

MISSING = 10**9


@crawl_samples(
    "imports:status",
    "imports:confirm",
    "GET /api/v1/imports/jobs/{job_id}",
    "POST /api/v1/imports/jobs/{job_id}/confirm",
)
def import_job_samples(ctx):
    from hongyin.jobs.models import Job

    # zone_admin's own check of a roster (no result yet): only its owner finds it; another kind of job is no import
    own = Job.objects.create(
        kind="members.import", title="探针琦柒导入", owner=ctx.users["zone_admin"], params={"kind": "members"}
    )
    other = Job.objects.create(kind="crawler", title="探针琦柒任务", owner=ctx.users["zone_admin"])
    owner = {"zone_admin"} & ctx.with_perm()
    return [
        Sample({"pk": own.pk, "job_id": own.pk}, owner, note="own import", may_see=set()),
        Sample({"pk": other.pk, "job_id": other.pk}, set(), note="not an import"),
        Sample({"pk": MISSING, "job_id": MISSING}, set()),
    ]
