from django.urls import reverse

from .registry import BenchContext, benchmark


@benchmark("floor_page_ms", unit="ms", better="lower", order=0)
def floor_page(ctx: BenchContext):
    """A trivial logged-in page that renders the base template: the yardstick for every other page."""
    result = ctx.time_page(reverse("notifications"), "member", name="floor_page_p95_ms")
    ctx.floor_ms = result.value
    return result
