"""Background jobs: each user's own jobs, their status and result files."""

from django.utils.translation import gettext_lazy as _

from hongyin.common.manifests import AppManifest, Nav
from hongyin.common.roles import Role

MANIFEST = AppManifest(
    url_prefix="jobs/",
    api="api",
    nav=(Nav(_("后台任务"), "jobs:list", "hourglass-split", "jobs.view", section="me", order=20),),
    permissions={"jobs.view": frozenset(Role)},
)
