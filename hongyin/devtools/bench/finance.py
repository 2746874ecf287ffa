"""Red credit benchmark: the zone's credit figures (and per committee) over the zone data set's applications."""

from django.urls import reverse

from .registry import BenchContext, Result, Row, Skip, benchmark


@benchmark("credit_figures_zone_ms", unit="ms", better="lower", target=300, order=90)
def credit_figures_zone(ctx: BenchContext):
    """The zone's six figures and the per-committee table (the figures page's two queries)."""
    from hongyin.finance.models import CreditApplication
    from hongyin.finance.selectors import credit_by_committee, credit_figures

    qs = CreditApplication.objects.all()
    count = qs.count()
    if not count:
        raise Skip("no credit applications in the data set")

    def both():
        credit_figures(qs)
        credit_by_committee(qs)

    ours = ctx.timed(both, repeat=7)
    page = ctx.time_page(reverse("finance:credit_figures"), "zone_admin", name="credit_figures_page_p95_ms")
    extra = page.extra if hasattr(page, "extra") else []
    value = page.value if hasattr(page, "value") else page
    return Result(
        ours,
        [
            Row("credit_figures_page_p95_ms", value, "ms", "lower", target=300),
            *extra,
            Row("credit_application_count", count, "applications", "higher"),
        ],
    )
