"""Red credit, partner offers with four-priorities tickets, and investment."""

from django.utils.translation import gettext_lazy as _

from hongyin.common.manifests import AppManifest, Nav
from hongyin.common.roles import Role

PARTY_SIDE = frozenset({Role.ZONE_ADMIN, Role.COMMITTEE_ADMIN, Role.BRANCH_SECRETARY})

MANIFEST = AppManifest(
    url_prefix="finance/",
    api="api",
    nav=(
        Nav(
            _("红色增信"),
            "finance:credit",
            "bank",
            "finance.credit_view",
            section="chain",
            order=60,
            also=("finance:credit_new", "finance:credit_detail", "finance:products"),
        ),
        Nav(
            _("增信统计"), "finance:credit_figures", "bar-chart", "finance.credit_figures", section="insight", order=61
        ),
        Nav(
            _("合作优惠"),
            "finance:offers",
            "award",
            "finance.offers_view",
            section="chain",
            order=62,
            also=("finance:offer_new", "finance:offer_detail", "finance:tickets", "finance:ticket_detail"),
        ),
        Nav(_("产业投资"), "finance:investment", "graph-up-arrow", "finance.invest_view", section="insight", order=64),
    ),
    permissions={
        "finance.credit_view": frozenset({*PARTY_SIDE, Role.ENTERPRISE_CONTACT, Role.BANK_REVIEWER}),
        "finance.credit_apply": frozenset({Role.ENTERPRISE_CONTACT}),
        "finance.credit_endorse": PARTY_SIDE,
        "finance.credit_decide": frozenset({Role.BANK_REVIEWER}),
        "finance.credit_figures": frozenset({Role.ZONE_ADMIN, Role.COMMITTEE_ADMIN}),
        "finance.offers_view": frozenset(
            {Role.ZONE_ADMIN, Role.COMMITTEE_ADMIN, Role.ENTERPRISE_CONTACT, Role.PARTNER_CONTACT}
        ),
        "finance.offers_publish": frozenset({Role.ZONE_ADMIN, Role.PARTNER_CONTACT}),
        "finance.tickets_open": frozenset({Role.ENTERPRISE_CONTACT}),
        "finance.tickets_answer": frozenset({Role.PARTNER_CONTACT}),
        "finance.invest_view": frozenset({Role.ZONE_ADMIN, Role.COMMITTEE_ADMIN}),
    },
    hooks="services",
    panels="workbench",
    crawl="crawl",
    bench="hongyin.devtools.bench.finance",  # devtools is the top layer: the bench helpers live there
    seed="hongyin.finance.seed.seed_finance",
    seed_order=90,
)
