"""Benchmarks of supply-demand matching (issue 13): the ten best matches for a post against scoring every post,
the zone's deal figures against one SQL statement, and the post list page."""

from django.db import connection
from django.urls import reverse
from django.utils import timezone

from hongyin.devtools.bench.registry import BenchContext, Result, Row, Skip, benchmark


def _sample_posts(n: int = 20):
    from hongyin.matching.models import Post, PostStatus

    today = timezone.localdate()
    posts = list(Post.objects.filter(status=PostStatus.OPEN, deadline__gte=today).order_by("id")[:n])
    if not posts:
        raise Skip("no open posts")
    return posts


@benchmark("match_top10_ms", unit="ms", better="lower", target=100, order=90)
def match_top10(ctx: BenchContext):
    """The ten best counterpart posts and enterprises with their reasons, the index built and kept (p95)."""
    import statistics
    import time

    from hongyin.matching import engine
    from hongyin.matching.models import Post

    posts = _sample_posts()
    engine.tokenize("预热")  # jieba loads its dictionary once per process, not part of the index
    engine.reset()
    start = time.perf_counter()
    engine.index()
    build_ms = (time.perf_counter() - start) * 1000
    timings = []
    for _round in range(3):
        for post in posts:
            t = time.perf_counter()
            engine.match_post(post)
            timings.append((time.perf_counter() - t) * 1000)
    p95 = statistics.quantiles(timings, n=20)[18]
    return Result(
        round(p95, 2),
        [
            Row("match_top10_p50_ms", round(statistics.median(timings), 2), "ms", "lower"),
            Row("match_index_build_ms", round(build_ms, 1), "ms", "lower"),
            Row("match_post_count", Post.objects.count(), "posts", "higher"),
        ],
    )


@benchmark("match_vs_bruteforce_x", unit="x", better="higher", target=5, order=91)
def match_vs_bruteforce(ctx: BenchContext):
    """Scoring every post from the database divided by ours, for the same ten (checked for each post)."""
    from hongyin.matching import engine

    posts = _sample_posts(8)
    engine.reset()
    idx = engine.index()
    same = 0
    for post in posts:
        ours = [c.id for c in engine.top_posts(engine.Query.of(post), idx=idx)]
        brute = [pk for pk, _score in engine.brute_force_top(post)]
        same += ours == brute
    if same != len(posts):
        raise Skip(f"the same ten for {same} of {len(posts)} posts")
    it = iter(posts * 20)
    ours_ms = ctx.timed(lambda: engine.top_posts(engine.Query.of(next(it)), idx=engine.index()), repeat=15)
    it2 = iter(posts * 4)
    brute_ms = ctx.timed(lambda: engine.brute_force_top(next(it2)), repeat=3)
    return Result(
        round(brute_ms / ours_ms, 1) if ours_ms else 0.0,
        [
            Row("match_bruteforce_ms", brute_ms, "ms", "lower"),
            Row("match_ours_ms", ours_ms, "ms", "lower"),
            Row("match_same_ten", same, "posts", "higher", target=len(posts)),
        ],
    )


DEALS_SQL = """
SELECT month, COUNT(*), SUM(amount), SUM(CASE WHEN is_local THEN amount ELSE 0 END)
FROM matching_deal WHERE month >= %s AND month <= %s GROUP BY month
"""


@benchmark("chain_deals_zone_ms", unit="ms", better="lower", target=300, order=92)
def chain_deals_zone(ctx: BenchContext):
    """The zone's deal figures by month (all chains) through the selector, and by one SQL statement."""
    from hongyin.accounts.models import User
    from hongyin.matching import selectors

    user = User.objects.get(username="zone_admin")
    start, end = selectors.month_range(timezone.localdate())

    def ours():
        return selectors.deal_figures(chain_ids=None, start=start, end=end)

    def sql():
        with connection.cursor() as cursor:
            cursor.execute(DEALS_SQL, [start, end])
            return cursor.fetchall()

    found, raw = ours(), sql()
    if sum(v[0] for v in found.values()) != sum(r[1] for r in raw):
        raise Skip("the selector and SQL count different deals")
    ours_ms = ctx.timed(ours, repeat=9)
    sql_ms = ctx.timed(sql, repeat=9)
    page_ms = ctx.timed(lambda: selectors.chain_figures(user=user), repeat=5)
    return Result(
        ours_ms,
        [
            Row("chain_deals_vs_sql_x", round(ours_ms / sql_ms, 2) if sql_ms else None, "x", "lower", target=3),
            Row("chain_figures_zone_ms", page_ms, "ms", "lower"),
            Row("deal_count", sum(v[0] for v in found.values()), "deals", "higher"),
        ],
    )


@benchmark("post_list_p95_ms", unit="ms", better="lower", target=150, order=93)
def post_list(ctx: BenchContext):
    return ctx.time_page(reverse("matching:list"), "enterprise_contact", name="post_list_p95_ms")
