# ruff: noqa: E501
"""Write the bundled demo corpus: Lumenary, a fictional 40-person SaaS company selling Beacon.

Everything here is invented and written by the socialsearch project. Run it from anywhere:

    python search/demo_corpus/generate.py

It rewrites ``people.jsonl``, ``wiki.jsonl``, ``slack.jsonl``, ``qa.jsonl`` and
``customers.jsonl`` next to this file. The output is deterministic (fixed seed, no clock,
sorted output), so running it twice gives byte-identical files.
"""

from __future__ import annotations

import json
import random
import re
import unicodedata
from collections.abc import Iterable
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

OUT = Path(__file__).resolve().parent
SEED = 20261005
YEAR = 2026
WINDOW = (datetime(2026, 6, 1, tzinfo=UTC), datetime(2026, 11, 20, 23, 59, tzinfo=UTC))

# Words that only appear in restricted items (exec, hr, security, a DM). The generator refuses
# to write the corpus if any public item contains one of them, so access-control tests can
# search for them and expect nothing back unless the caller is in the right group.
RESTRICTED_WORDS = {
    "exec": ["Project Halcyon", "Halcyon", "Quillmetrics", "acquisition", "term sheet"],
    "hr": ["salary band", "118,500", "142,000"],
    "security": ["Nightjar", "Redcliff"],
    "dm": ["Kestrel"],
}


# --------------------------------------------------------------------------------------------
# helpers
# --------------------------------------------------------------------------------------------

def t(stamp: str) -> datetime:
    """``"10-06 14:05"`` → 2026-10-06 14:05 UTC."""
    day, clock = stamp.split()
    return datetime.fromisoformat(f"{YEAR}-{day}T{clock}:00+00:00")


def iso(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat()


_NEW_LINE = re.compile(r"^(- |\* |\d+\. |\$ |\| |> |[A-Z][A-Za-z /&'-]{1,40}:$)")


def prose(text: str) -> str:
    """Join hard-wrapped lines inside paragraphs; list items, commands and tables keep their lines."""
    out: list[str] = []
    for block in text.strip().split("\n\n"):
        lines: list[str] = []
        for raw in block.splitlines():
            line = raw.strip()
            if not line:
                continue
            if lines and not _NEW_LINE.match(line) and not lines[-1].startswith(("$ ", "| ")) and not lines[-1].endswith(":"):
                lines[-1] += " " + line
            else:
                lines.append(line)
        out.append("\n".join(lines))
    return "\n\n".join(out)


def ascii_fold(text: str) -> str:
    return unicodedata.normalize("NFKD", text.replace("ı", "i")).encode("ascii", "ignore").decode()


# --------------------------------------------------------------------------------------------
# people: the org chart
# --------------------------------------------------------------------------------------------

# id, name, title, department, manager, skills, groups (everyone is added to all)
EMPLOYEES: list[tuple[str, str, str, str, str | None, list[str], list[str]]] = [
    ("u.mhartley", "Maya Hartley", "Chief Executive Officer", "Executive", None,
     ["strategy", "fundraising", "board relations"], ["exec"]),
    ("u.dokafor", "Daniel Okafor", "Chief Technology Officer", "Engineering", "u.mhartley",
     ["architecture", "engineering management", "clickhouse"], ["exec", "engineering", "security"]),
    ("u.pnair", "Priya Nair", "VP of Product", "Product", "u.mhartley",
     ["product strategy", "roadmapping", "pricing"], ["exec", "product"]),
    ("u.rcastillo", "Rosa Castillo", "Chief Financial Officer", "Finance", "u.mhartley",
     ["financial planning", "revenue", "audit"], ["exec", "finance"]),
    ("u.tbrennan", "Tom Brennan", "VP of Sales", "Sales", "u.mhartley",
     ["enterprise sales", "negotiation", "discount approvals"], ["exec", "sales"]),
    ("u.hlindqvist", "Helena Lindqvist", "Head of People", "People", "u.mhartley",
     ["hr policy", "employee relations", "hiring"], ["exec", "hr", "people"]),
    ("u.kfischer", "Katrin Fischer", "Head of Marketing", "Marketing", "u.mhartley",
     ["product marketing", "launches", "brand"], ["marketing"]),
    ("u.dsilva", "Diego Silva", "Head of Support", "Support", "u.mhartley",
     ["customer support", "escalations", "zendesk"], ["support"]),
    # Platform
    ("u.achen", "Alex Chen", "Engineering Manager, Platform", "Platform", "u.dokafor",
     ["kafka", "data pipelines", "team leadership"], ["engineering", "platform"]),
    ("u.lkowalski", "Lena Kowalski", "Staff Engineer", "Platform", "u.achen",
     ["kafka", "data export", "parquet", "s3", "schema registry"], ["engineering", "platform"]),
    ("u.wosei", "Kwame Osei", "Senior Data Engineer", "Platform", "u.achen",
     ["flink", "kafka", "clickhouse", "bigquery", "snowflake"], ["engineering", "platform"]),
    ("u.rpatel", "Ravi Patel", "Senior Backend Engineer", "Platform", "u.achen",
     ["public api", "rate limiting", "redis", "api tokens"], ["engineering", "platform"]),
    ("u.cdubois", "Camille Dubois", "SRE Lead", "Platform", "u.dokafor",
     ["incident management", "on-call", "kubernetes", "terraform"], ["engineering", "platform", "sre"]),
    ("u.aromero", "Alex Romero", "Site Reliability Engineer", "Platform", "u.cdubois",
     ["on-call", "pagerduty", "incident response", "observability"], ["engineering", "platform", "sre"]),
    # Product Engineering
    ("u.eharris", "Ella Harris", "Engineering Manager, Product Engineering", "Product Engineering", "u.dokafor",
     ["engineering management", "react", "billing"], ["engineering", "product-eng"]),
    ("u.ogarcia", "Omar Garcia", "Senior Backend Engineer, Billing", "Product Engineering", "u.eharris",
     ["billing", "stripe", "invoices", "idempotency"], ["engineering", "product-eng", "billing"]),
    ("u.ntanaka", "Naomi Tanaka", "Backend Engineer, Billing", "Product Engineering", "u.eharris",
     ["billing", "invoices", "vat", "dunning"], ["engineering", "product-eng", "billing"]),
    ("u.zmuller", "Zoë Müller", "Senior Frontend Engineer", "Product Engineering", "u.eharris",
     ["dashboards", "charts", "react", "query caching"], ["engineering", "product-eng", "dashboards"]),
    ("u.fadeyemi", "Femi Adeyemi", "Frontend Engineer", "Product Engineering", "u.eharris",
     ["dashboards", "charts", "onboarding checklist", "typescript"], ["engineering", "product-eng", "dashboards"]),
    ("u.hkim", "Hana Kim", "Senior Engineer, Identity", "Product Engineering", "u.eharris",
     ["sso", "saml", "okta", "scim"], ["engineering", "product-eng", "identity"]),
    ("u.mrossi", "Marco Rossi", "Backend Engineer, Identity", "Product Engineering", "u.eharris",
     ["sso", "oauth", "azure ad", "sessions"], ["engineering", "product-eng", "identity"]),
    # Mobile
    ("u.ivolkova", "Irina Volkova", "Engineering Manager, Mobile", "Mobile", "u.dokafor",
     ["android", "ios", "mobile sdk", "release management"], ["engineering", "mobile"]),
    ("u.sbecker", "Sam Becker", "Senior Android Engineer", "Mobile", "u.ivolkova",
     ["android", "kotlin", "mobile sdk", "workmanager", "crash analysis"], ["engineering", "mobile"]),
    ("u.praman", "Priya Raman", "Android Engineer", "Mobile", "u.ivolkova",
     ["android", "kotlin", "react native"], ["engineering", "mobile"]),
    ("u.dnguyen", "David Nguyen", "Senior iOS Engineer", "Mobile", "u.ivolkova",
     ["ios", "swift", "mobile sdk", "privacy manifest"], ["engineering", "mobile"]),
    # Security
    ("u.gwhite", "Grace White", "Head of Security", "Security", "u.dokafor",
     ["security", "incident response", "soc 2", "gdpr"], ["engineering", "security"]),
    ("u.tnkosi", "Thandi Nkosi", "Security & Privacy Engineer", "Security", "u.gwhite",
     ["gdpr", "data retention", "dsar", "dpa"], ["engineering", "security"]),
    ("u.ewalsh", "Eoin Walsh", "Application Security Engineer", "Security", "u.gwhite",
     ["appsec", "penetration testing", "secrets management"], ["engineering", "security"]),
    # Product
    ("u.lmoreau", "Lucie Moreau", "Product Manager, Monetization", "Product", "u.pnair",
     ["pricing", "packaging", "billing"], ["product"]),
    ("u.sjohansson", "Sam Johansson", "Product Manager, Growth", "Product", "u.pnair",
     ["onboarding", "activation", "experiments", "dashboards"], ["product"]),
    ("u.rhughes", "Rachel Hughes", "Product Designer", "Product", "u.pnair",
     ["ux design", "onboarding checklist", "dashboards"], ["product", "design"]),
    # Support
    ("u.kobrien", "Kate O'Brien", "Senior Support Engineer", "Support", "u.dsilva",
     ["billing", "refunds", "invoices", "zendesk"], ["support"]),
    ("u.ayilmaz", "Aylin Yılmaz", "Support Engineer", "Support", "u.dsilva",
     ["sso", "mobile sdk", "troubleshooting"], ["support"]),
    ("u.jparker", "Jordan Parker", "Support Engineer", "Support", "u.dsilva",
     ["public api", "data export", "rate limits"], ["support"]),
    # Sales
    ("u.nreyes", "Nicole Reyes", "Senior Account Executive", "Sales", "u.tbrennan",
     ["enterprise deals", "pricing", "procurement"], ["sales"]),
    ("u.mlarsen", "Magnus Larsen", "Sales Engineer", "Sales", "u.tbrennan",
     ["solutions engineering", "sso", "security questionnaires"], ["sales"]),
    # Marketing
    ("u.lpham", "Linh Pham", "Community & Content Manager", "Marketing", "u.kfischer",
     ["community", "social media", "voice of the customer"], ["marketing"]),
    # Finance
    ("u.owright", "Oliver Wright", "Finance Manager", "Finance", "u.rcastillo",
     ["invoices", "revenue recognition", "vat", "collections"], ["finance"]),
    # People
    ("u.ysato", "Yuki Sato", "Talent Partner", "People", "u.hlindqvist",
     ["hiring", "interviewing", "recruiting"], ["hr", "people"]),
    ("u.bcarter", "Beth Carter", "People Operations Specialist", "People", "u.hlindqvist",
     ["leave policy", "benefits", "employee onboarding"], ["hr", "people"]),
]

NAME = {pid: name for pid, name, *_ in EMPLOYEES}

# Who to ask, per product area. Tests assert on these; the content below is written so that
# these people are the ones who author the pages and answer the questions of their area.
EXPERTS: dict[str, list[str]] = {
    "billing": ["u.ogarcia", "u.ntanaka", "u.owright", "u.kobrien"],
    "sso": ["u.hkim", "u.mrossi", "u.ayilmaz"],
    "mobile-sdk": ["u.sbecker", "u.dnguyen", "u.ivolkova", "u.praman"],
    "data-export": ["u.lkowalski", "u.wosei", "u.achen"],
    "dashboards": ["u.zmuller", "u.fadeyemi"],
    "onboarding": ["u.sjohansson", "u.rhughes", "u.fadeyemi"],
    "pricing": ["u.lmoreau", "u.nreyes"],
    "api": ["u.rpatel", "u.jparker"],
    "gdpr": ["u.tnkosi", "u.gwhite"],
    "on-call": ["u.aromero", "u.cdubois"],
    "hiring": ["u.ysato", "u.bcarter", "u.hlindqvist"],
}


def employee_records() -> list[dict[str, Any]]:
    records = []
    for number, (pid, name, title, dept, manager, skills, groups) in enumerate(EMPLOYEES, start=1):
        first, last = name.split(" ", 1)
        local = ascii_fold(f"{first}.{last}").lower().replace("'", "").replace(" ", "")
        slack = "U0" + ascii_fold(pid[2:]).upper()[:8]
        records.append({
            "type": "person",
            "id": pid,
            "name": name,
            "emails": [f"{local}@lumenary.example"],
            "handles": {"slack": slack, "wiki": ascii_fold(name).replace(" ", "").replace("'", ""),
                        "qa": str(number)},
            "title": title,
            "department": dept,
            "manager_id": manager,
            "skills": skills,
            "groups": ["everyone", *groups],
        })
    return records


# --------------------------------------------------------------------------------------------
# customers (they post publicly; they are people with the ``customers`` group)
# --------------------------------------------------------------------------------------------

# handle, name, company, followers, persona, activity weight
CUSTOMERS: list[tuple[str, str, str, int, str, float]] = [
    ("metricsmaven", "Priscilla Okoye", "independent analyst", 182400, "pm", 0.3),
    ("shipfast_sean", "Sean Gallagher", "Shipfast Labs", 64300, "mobile", 0.6),
    ("productpaula", "Paula Mendes", "Brightcart", 51800, "pm", 0.7),
    ("devops_rahul", "Rahul Menon", "Orbitly", 18200, "admin", 1.0),
    ("growthjen", "Jen Alvarez", "Sproutly", 12700, "founder", 1.6),
    ("kodai_builds", "Kodai Ishikawa", "Tsuki Games", 9400, "mobile", 1.0),
    ("martina_ux", "Martina Ferri", "Kitehouse", 6100, "pm", 1.0),
    ("cto_at_pebble", "Greg Hollis", "Pebblestack", 4800, "admin", 1.0),
    ("ana_data", "Ana Lucía Torres", "Mercadito", 3900, "data", 0.8),
    ("fbergmann", "Felix Bergmann", "Radwerk", 2700, "data", 0.8),
    ("jakeships", "Jake Morrow", "Loopwise", 2100, "mobile", 1.2),
    ("lina_codes", "Lina Haddad", "Fernwell Health", 1650, "dev", 1.2),
    ("mobile_mo", "Mohammed Al-Sayed", "Dunecart", 1420, "mobile", 1.5),
    ("saraheng", "Sarah Eng", "Northpine", 1100, "finance", 1.5),
    ("ops_oksana", "Oksana Petrenko", "Ledgerly", 980, "admin", 1.6),
    ("bigqueryben", "Ben Foster", "Quantly Retail", 870, "data", 1.3),
    ("tinaonproduct", "Tina Marsh", "Parcelpoint", 760, "pm", 1.2),
    ("andrewlyt", "Andrew Lyttle", "Hatchbox", 640, "founder", 1.0),
    ("heyitsnico", "Nico Brandt", "Fieldnote", 590, "dev", 1.0),
    ("chloe_ships", "Chloe Durand", "Maison Verte", 505, "pm", 1.0),
    ("rajeshk", "Rajesh Kumar", "Cartwheel", 430, "dev", 1.1),
    ("emilyqa", "Emily Stone", "Tallyho", 380, "dev", 0.9),
    ("finops_frank", "Frank Delaney", "Greenhollow", 330, "finance", 1.2),
    ("wes_writes", "Wes Porter", "Inkwell", 290, "founder", 0.9),
    ("jules_pm", "Jules Laurent", "Voyagr", 250, "pm", 1.0),
    ("tomasz_dev", "Tomasz Nowak", "Bitwise Apps", 210, "mobile", 1.0),
    ("the_real_kim", "Kim Sorensen", "Nordlys", 180, "finance", 0.9),
    ("noor_analytics", "Noor Rahman", "Stackbay", 160, "data", 1.0),
    ("ivan_b", "Ivan Belov", "Polar Freight", 140, "dev", 0.8),
    ("megan_ops", "Megan Price", "Clearpath Insurance", 120, "admin", 1.2),
    ("luis_ecom", "Luis Ortega", "Casa Ortega", 95, "founder", 0.8),
    ("harper_growth", "Harper Quinn", "Brightloop", 80, "pm", 0.9),
    ("dev_ines", "Inês Carvalho", "Marés", 64, "mobile", 0.9),
    ("pat_admin", "Pat Ryan", "Ardent Legal", 51, "admin", 1.0),
    ("olu_tech", "Olu Bankole", "Kora Pay", 42, "finance", 0.8),
    ("cleo_saas", "Cleo Martin", "Ribbon CRM", 33, "founder", 0.8),
    ("itadmin_gary", "Gary Webb", "Westmark Logistics", 27, "admin", 1.4),
    ("yasmin_k", "Yasmin Khalil", "Sahara Learning", 19, "data", 0.7),
    ("mark_t", "Mark Tully", "Tully & Sons", 12, "finance", 0.6),
    ("newbie_nat", "Nat Green", "Pocketplan", 7, "dev", 0.6),
]

CUSTOMER = {handle: (name, company, followers, persona, weight)
            for handle, name, company, followers, persona, weight in CUSTOMERS}


def customer_records() -> list[dict[str, Any]]:
    return [
        {
            "type": "person",
            "id": f"c.{handle}",
            "name": name,
            "emails": [],
            "handles": {"twitter": handle, "community": handle},
            "title": "",
            "department": company,
            "manager_id": None,
            "skills": [],
            "groups": ["customers"],
            "meta": {"customer": True, "followers": followers, "company": company},
        }
        for handle, name, company, followers, _persona, _weight in CUSTOMERS
    ]


# --------------------------------------------------------------------------------------------
# wiki
# --------------------------------------------------------------------------------------------

WIKI: list[dict[str, Any]] = []


def wiki(slug: str, title: str, tags: list[str], people: list[tuple[str, str]], text: str,
         access: dict[str, Any] | None = None) -> None:
    """``people``: the author first, then editors, each with ``"MM-DD HH:MM"``."""
    contributions = [{"person": pid, "role": "author" if i == 0 else "editor", "at": iso(t(when))}
                     for i, (pid, when) in enumerate(people)]
    created = t(people[0][1])
    updated = max(t(when) for _, when in people)
    WIKI.append({
        "id": f"wiki:{slug}",
        "source": "wiki",
        "kind": "wiki",
        "title": title,
        "text": prose(text),
        "url": f"https://wiki.lumenary.example/{slug}",
        "created_at": iso(created),
        "updated_at": iso(updated),
        "contributions": contributions,
        "access": access or {"public": True},
        "audience": "internal",
        "tags": tags,
    })


# ---- billing & invoices ---------------------------------------------------------------------

wiki("billing-runbook", "Billing runbook (ledger service)", ["billing", "runbook", "invoices", "on-call"],
     [("u.ogarcia", "06-04 09:30"), ("u.ntanaka", "07-21 15:10"), ("u.kobrien", "10-09 11:45"),
      ("u.ogarcia", "10-14 16:20")], """
This runbook covers ledger, the service that turns usage into invoices and collects payment
through Stripe. Owners: Omar Garcia (primary) and Naomi Tanaka. Billing questions from support go
to #billing-team; pages go to the platform-primary rotation, who loop in Omar or Naomi.

Alerts and what to do:
- LedgerInvoiceJobLate: the daily invoice job has not finished by 05:00 UTC. Check the job log
in Grafana (dashboard "ledger / jobs"). Re-run a single workspace with
`ledger-cli invoices rerun --workspace <id> --date <YYYY-MM-DD>`. The command is idempotent since v2.14.1.
- LedgerWebhookBacklog: more than 200 unprocessed Stripe webhooks. Usually Stripe is slow; do not
replay by hand, the consumer catches up on its own. If the backlog is older than 30 minutes, pause
the retry worker with `ledger-cli retries pause` so no payment is retried on stale state.
- LedgerDuplicatePaymentSuspected: two succeeded PaymentIntents for one invoice. Added after
INC-2026-041. Treat as SEV2 if it fires for more than 5 invoices in an hour.

Refunds: support can refund or credit up to $500 per workspace per month from the admin console
(Billing → Payments → Refund). Anything larger goes to Oliver Wright in Finance for approval.
Card refunds take 5-10 business days to appear on the customer's statement; say so up front.

Never edit invoices directly in the Stripe dashboard: ledger will overwrite the change at the
next sync and the invoice PDF and our revenue report will disagree.
""")

wiki("billing-architecture", "How invoicing works in Beacon", ["billing", "invoices", "architecture", "stripe"],
     [("u.ogarcia", "06-08 13:00"), ("u.eharris", "06-15 10:05"), ("u.owright", "09-02 09:40")], """
Every workspace is billed on its anniversary date (the billing anchor), so ledger creates
invoices every day rather than all on the 1st. At 03:00 UTC the invoice job takes a usage
snapshot from ClickHouse (billable events for the period), applies the plan price, any overage
and credits, and creates a Stripe invoice. Invoice numbers look like INV-2026-10412 and are
sequential per year.

Payment attempts: the first attempt happens when the invoice is finalized. Failed payments are
retried on day 1, 3, 5 and 7. After the last failure the workspace enters dunning: the owner gets
an email on day 7 and day 14, and the workspace becomes read-only on day 21. Enterprise workspaces
paying by bank transfer are excluded from dunning and handled by Finance (Oliver Wright).

Overage: Growth includes 20M events per month; each additional 1M costs $18, billed in arrears on
the next invoice. Starter has a hard cap at 5M events with an upgrade prompt. Plan changes are
prorated to the day; moving from monthly to annual issues a credit for the unused days of the
current month.

Taxes are calculated by Stripe Tax. EU business customers with a valid VAT ID are reverse charged;
the VAT ID is validated against VIES when it is saved in Billing settings.

Every call that moves money must carry an idempotency key of the form
`inv_<invoice_id>_attempt_<n>`. See the INC-2026-041 postmortem for why this is not optional.
""")

wiki("postmortem-inc-2026-041-double-charges", "Postmortem: INC-2026-041 double-charged invoices after ledger v2.14.0",
     ["billing", "postmortem", "incident", "invoices", "stripe"],
     [("u.ogarcia", "10-08 17:30"), ("u.cdubois", "10-09 10:15"), ("u.ntanaka", "10-09 14:40"),
      ("u.kobrien", "10-12 09:20"), ("u.owright", "10-13 11:00")], """
Summary: between Monday 5 October 09:40 UTC and Tuesday 6 October 16:20 UTC, 1,184 invoices in
431 workspaces were charged twice, for a total of $96,412.50 in duplicate charges. All duplicates
were refunded by Friday 9 October. Severity: SEV2, raised to SEV1 at 15:00 on 6 October.
Incident commander: Camille Dubois. Billing lead: Omar Garcia.

What happened: ledger v2.14.0 moved payment retries to a new queue-based worker. The worker
waited 90 seconds for Stripe's payment_intent.succeeded webhook; if it had not arrived, it marked
the attempt as failed and created a new PaymentIntent. The new code path did not reuse the
idempotency key. On 5 October Stripe webhook delivery was slower than usual (up to 40 minutes), so
most first attempts looked failed and were charged again.

Detection: Kate O'Brien in support noticed 23 tickets about duplicate charges by 11:00 UTC on
6 October and escalated in #billing-team. There was no alert for two succeeded payments on one
invoice. Customers noticed before we did, and several posted about it publicly.

Timeline (UTC):
- 10-05 09:40 ledger v2.14.0 deployed.
- 10-06 11:05 support escalation in #billing-team.
- 10-06 14:05 incident declared, retry worker paused.
- 10-06 16:20 rollback to v2.13.3 complete.
- 10-07 to 10-09 automated refunds with refund_duplicates.py, manual refunds for 37 bank cards.
- 10-08 customer email from Maya Hartley with a 10% credit on the next invoice.
- 10-13 v2.14.1 shipped with idempotency keys on every payment call.

Action items: LedgerDuplicatePaymentSuspected alert (done); billing release checklist with shadow
mode and a 5% canary (done, see billing-release-checklist); contract test against Stripe's
idempotency behaviour (Naomi, due 10-30); status page template for billing incidents (Kate).
""")

wiki("refund-policy", "Refunds, credits and goodwill gestures", ["billing", "refunds", "support", "policy"],
     [("u.owright", "06-10 10:00"), ("u.kobrien", "08-19 16:30"), ("u.dsilva", "10-10 09:00")], """
Who can approve what:
- Support engineers: refunds or credits up to $500 per workspace per month, no approval needed.
Log the reason in the Zendesk ticket with the tag refund_issued.
- Head of Support (Diego Silva): up to $2,000.
- Finance (Oliver Wright): anything above $2,000, any refund older than 90 days, and every
refund for a workspace paying by bank transfer.

Refund or credit? Prefer a credit on the next invoice when the customer is staying; it posts
instantly and does not depend on the card network. Refund to the card when the customer asks
for it, when the charge was a mistake on our side (for example a duplicate charge), or when
the workspace is closing. Card refunds take 5-10 business days to show on a statement.

Goodwill credits: for an incident that affected the customer directly (billing error, outage over
one hour, lost export) support may offer 10% of the monthly plan price as a credit without asking.
During INC-2026-041 every affected workspace received this automatically.

Credit notes: Stripe generates a credit note PDF for every refund. Customers who need it for
their accounting can download it from Billing → Invoices. Do not create credit notes by hand.
""")

wiki("vat-and-sales-tax", "VAT and sales tax on Beacon invoices", ["billing", "vat", "tax", "invoices", "finance"],
     [("u.ntanaka", "06-22 11:15"), ("u.owright", "07-30 14:00")], """
Beacon uses Stripe Tax to calculate VAT and US sales tax. Lumenary is registered for VAT in
Ireland and uses the EU One-Stop-Shop for consumers, but almost all customers are businesses.

EU businesses: when a customer saves a VAT ID in Billing settings, ledger validates it against
VIES. A valid ID means the invoice is reverse charged (0% VAT with the reverse-charge note). If
VIES is down, the ID is saved as "pending" and validated again every 6 hours; invoices created in
the meantime charge Irish VAT at 23%, and Finance issues a credit note once the ID validates.

UK businesses: reverse charged with a valid GB VAT number. US: sales tax is collected in the 14
states where we have nexus; customers with an exemption certificate send it to
billing@lumenary.example and Oliver Wright uploads it to Stripe.

A frequent ticket: "my VAT number does not show on the invoice PDF". The PDF shows the VAT ID that
was valid when the invoice was finalized; adding the ID later does not change past invoices. Naomi
can regenerate a PDF with `ledger-cli invoices regenerate-pdf --invoice INV-2026-xxxxx` for
invoices from the last 90 days.
""")

wiki("billing-release-checklist", "Billing release checklist", ["billing", "release", "checklist", "idempotency"],
     [("u.ogarcia", "10-14 10:00"), ("u.eharris", "10-15 09:30"), ("u.ntanaka", "10-20 13:10")], """
Written after INC-2026-041. Every ledger release that touches payments, retries, invoices or
credits goes through this list. The release owner ticks it in the pull request.

1. Two reviewers, one of them Omar Garcia or Naomi Tanaka.
2. Every Stripe call that creates or confirms money movement passes an idempotency key derived from
the invoice id and attempt number. No random UUIDs.
3. Shadow mode for 24 hours: the new code computes what it would do and logs it, the old code acts.
Compare with `ledger-cli shadow diff --since 24h`; the diff must be empty or explained.
4. Canary to 5% of workspaces (the ledger_canary flag) for 48 hours with the
LedgerDuplicatePaymentSuspected alert armed.
5. No billing releases on Fridays, on the 1st of the month, or in the last three days of a quarter.
6. Tell #support and #billing-team in advance, with a one-line rollback command.
7. After full rollout, watch the payments dashboard for one business day.
""")

# ---- SSO / SAML -----------------------------------------------------------------------------

wiki("sso-saml-setup-guide", "SSO: how SAML login works and how to set it up", ["sso", "saml", "okta", "azure-ad", "login"],
     [("u.hkim", "06-03 14:00"), ("u.mrossi", "07-08 10:30"), ("u.ayilmaz", "09-01 15:20")], """
Beacon supports SAML 2.0 single sign-on on the Enterprise plan and as a $150/month add-on on
Growth. Login is handled by gatekeeper, owned by the Identity team (Hana Kim, Marco Rossi).

Values the customer's IdP needs:
- ACS URL: https://app.beacon.example/sso/saml/acs
- Entity ID: https://app.beacon.example/sso/saml/metadata/<workspace-slug>
- NameID format: emailAddress. Attributes: email (required), firstName, lastName, groups (optional,
used for role mapping).

Okta: create a SAML 2.0 app, paste the values above, assign groups, then upload the Okta metadata
XML in Beacon under Settings → Security → SSO. Set "Default RelayState" to "/" (see the known
issue page sso-okta-login-loop). Azure AD / Entra ID: use the gallery-less custom enterprise app;
the claims editor needs email mapped from user.mail, not user.userprincipalname. Google Workspace
works with the same values; group attributes are not sent by Google, so map roles manually.

SP-initiated login: https://app.beacon.example/sso/<workspace-slug>. IdP-initiated login from the
Okta or Microsoft tile also works. Enforcing SSO disables password login for everyone except the
break-glass admin chosen at setup. Clock skew tolerance is 180 seconds. JIT provisioning creates
users on first login with the Viewer role; SCIM is needed for deprovisioning.
""")

wiki("sso-okta-login-loop", "Known issue IDN-482: Okta SSO login loop", ["sso", "okta", "saml", "known-issue", "login-loop"],
     [("u.hkim", "07-14 09:50"), ("u.ayilmaz", "08-26 13:30"), ("u.mrossi", "10-21 11:00"),
      ("u.hkim", "11-16 17:40")], """
Status (16 November): partially fixed, full fix planned for gatekeeper 1.34 in December. Owner:
Hana Kim. 37 workspaces have reported it since July.

Symptom: after clicking the Beacon tile in Okta, the browser bounces between Okta and
app.beacon.example until it shows "too many redirects". SP-initiated login from the Beacon login
page usually works. It comes and goes, which makes it look random to customers.

Cause: in IdP-initiated login gatekeeper stores the login state in a cookie that was set with
SameSite=Lax. On the cross-site POST from Okta to our ACS URL some browsers drop the cookie, so
gatekeeper cannot match the assertion, sends the user to /login, which sends them back to Okta.
An empty RelayState makes it worse. When the Okta app has "Force authentication" enabled (the SAML
ForceAuthn flag), Okta re-prompts every time and Safari's tracking protection drops the cookie
again, so the loop persists even after the partial fix.

Workarounds to give customers:
1. In the Okta app settings set Default RelayState to "/".
2. Log in via https://app.beacon.example/sso/<workspace-slug> instead of the tile.
3. If they use Force authentication, turn it off for the Beacon app or use SP-initiated login.

History: gatekeeper 1.31 (20 October) sets the state cookie with SameSite=None; Secure on the ACS
route, which fixed most Chrome and Firefox cases. Gatekeeper 1.34 replaces the cookie with a
signed, stateless RelayState token, which removes the dependency on cookies entirely.
""")

wiki("scim-provisioning", "SCIM provisioning and deprovisioning", ["sso", "scim", "okta", "azure-ad", "provisioning"],
     [("u.mrossi", "06-17 16:00"), ("u.hkim", "08-05 09:15")], """
Beacon implements SCIM 2.0 for Okta and Azure AD / Entra ID. The base URL is
https://app.beacon.example/scim/v2 and the token is created in Settings → Security → SCIM (only
workspace owners can create it; it is shown once).

What is synced: users (create, update, deactivate) and groups. Group names can be mapped to
Beacon roles (Owner, Admin, Editor, Viewer) in the SCIM settings page. Unmapped users get Viewer.

Deprovisioning: when the IdP deactivates a user, gatekeeper revokes their sessions and API tokens
within 60 seconds. Okta pushes deactivations immediately; Azure AD provisions on a 40-minute
cycle, which customers sometimes report as "deprovisioning is slow". That delay is on Azure's
side; they can trigger "Provision on demand" for urgent cases.

Known limits: nested groups are flattened; 10,000 users per workspace; group renames in Okta
create a new Beacon group unless the externalId is unchanged. Marco Rossi owns the SCIM code.
""")

wiki("sso-troubleshooting", "Troubleshooting SAML errors", ["sso", "saml", "troubleshooting", "support"],
     [("u.ayilmaz", "07-02 10:20"), ("u.hkim", "07-03 15:00"), ("u.mrossi", "09-18 12:10")], """
Start with the SAML tracer browser extension and ask the customer for the trace, or look the
login attempt up in gatekeeper's audit log: Admin console → Workspace → SSO attempts. Each
attempt has an error code.

Common codes:
- SAML_CLOCK_SKEW: the assertion's NotBefore or NotOnOrAfter is off by more than 180 seconds.
Almost always the customer's IdP server clock (ADFS on a VM is the usual suspect).
- SAML_BAD_SIGNATURE: the certificate in Beacon does not match the IdP's signing certificate,
typically after the customer rotated it. They can upload the new certificate while the old one is
still active; both are accepted for 14 days.
- SAML_AUDIENCE_MISMATCH: the Entity ID in the IdP does not include the workspace slug.
- SAML_NO_EMAIL: the email attribute is missing. On Azure AD map it from user.mail.
- SAML_STATE_MISSING: login state cookie lost. This is the Okta loop (IDN-482); follow the
workarounds on sso-okta-login-loop and tag the ticket idn-482 so Hana can count affected workspaces.

If none of these match, escalate in #support with the attempt id and tag Hana Kim or Marco Rossi.
""")

wiki("identity-team", "Identity team: ownership, on-call and roadmap", ["sso", "identity", "team", "roadmap"],
     [("u.hkim", "06-02 11:00"), ("u.eharris", "10-01 10:00")], """
The Identity team owns login, sessions, SSO (SAML), SCIM, API token issuance (with Platform) and
roles and permissions. Members: Hana Kim (tech lead) and Marco Rossi; engineering manager Ella
Harris. Support counterpart: Aylin Yılmaz.

Services: gatekeeper (login, SAML, sessions), the SCIM endpoint inside gatekeeper, and the
permissions library used by the API and the web app.

Roadmap for the second half of 2026:
- IDN-482 Okta login loop: stateless RelayState tokens (gatekeeper 1.34, December).
- Session management page for workspace admins: see and revoke active sessions (Q4).
- OIDC login as an alternative to SAML (Q1 2027).
- Role templates with custom permissions for Enterprise (Q1 2027).

Identity is not a separate on-call rotation; gatekeeper alerts page platform-primary, and
Hana or Marco are the escalation contacts during business hours.
""")

# ---- mobile SDK -----------------------------------------------------------------------------

wiki("android-sdk-release-process", "Android SDK release process", ["mobile-sdk", "android", "release", "process"],
     [("u.sbecker", "06-11 14:30"), ("u.ivolkova", "06-12 09:00"), ("u.sbecker", "10-02 15:45")], """
Android SDK releases go out on Tuesdays. Owner: Sam Becker; release manager: Irina Volkova.

1. Cut the release branch on Thursday; version bump and CHANGELOG entry in the same PR.
2. Run the device matrix on Firebase Test Lab: API 21, 26, 29, 31, 33, 34 and 35, on Pixel,
Samsung and one low-memory Android Go device.
3. Canary for 5 days: ship the release candidate to our 3 internal apps and the 5 design-partner
apps (they have agreed to take RCs). Gate on crash-free sessions at or above 99.7% and no new ANR
cluster in Play Console.
4. Publish to Maven Central (com.beacon:beacon-android) and update the docs site.
5. Announce in #mobile and #support with the changelog and known issues.

Since the 4.2.0 incident the canary step cannot be skipped, not even for deadline-driven
releases. Hotfixes still go through a 24-hour canary with the internal apps.

Minimum supported Android version is API 21. The SDK must never initialise WorkManager itself
if the host app provides a Configuration.Provider.
""")

wiki("postmortem-android-sdk-4-2-0-crash", "Postmortem: Android SDK 4.2.0 startup crash and ANRs",
     ["mobile-sdk", "android", "postmortem", "crash", "incident"],
     [("u.sbecker", "09-25 10:00"), ("u.ivolkova", "09-25 16:30"), ("u.praman", "09-28 11:10"),
      ("u.ayilmaz", "09-29 09:45")], """
Incident INC-2026-038, SEV2. Android SDK 4.2.0, released Tuesday 15 September, crashed some host
apps on startup and caused ANRs on Android 14. Across the 50 largest apps using the SDK, median
crash-free sessions dropped from 99.8% to 97.1%.

Two bugs:
1. Startup crash. 4.2.0 moved event flushing to WorkManager. Beacon.init() called
WorkManager.getInstance() directly; apps that use on-demand initialisation through a custom
Configuration.Provider crashed with "IllegalStateException: WorkManager is not initialized
properly" when Beacon.init ran before the Application had finished onCreate.
2. ANR. On onTrimMemory the SDK flushed the offline queue synchronously on the main thread. With
queues above 5,000 events (apps used offline for long periods), this blocked for more than 5
seconds on Android 14 devices.

Why we missed it: the 5-day canary was skipped to make the date promised to a customer for the
new session-replay-ready event batching. Our internal apps use default WorkManager init.

Fixes: 4.2.1 (Tuesday 22 September) initialises lazily and never touches WorkManager before the
host app does. 4.2.2 (Tuesday 29 September) moves the trim-memory flush to a background
executor and caps a synchronous flush at 500 events. Crash-free sessions back to 99.8% by 1 October.

Follow-ups: canary is mandatory (done); add a test app with Configuration.Provider to the device
matrix (Priya Raman, done); proactive email to customers still on 4.2.0 (Aylin Yılmaz, done 9/29).
""")

wiki("ios-sdk-internals", "iOS SDK internals: batching, offline queue and privacy manifest",
     ["mobile-sdk", "ios", "swift", "privacy"],
     [("u.dnguyen", "06-19 13:20"), ("u.ivolkova", "08-11 10:10")], """
Current version: 3.8.2 (Swift Package Manager and CocoaPods). Owner: David Nguyen.

Batching: events are written to a SQLite-backed queue and flushed every 30 seconds or when 50
events are waiting, whichever comes first. The flush interval can be changed with
Beacon.configure(flushInterval:), minimum 5 seconds. In debug builds we recommend 10 seconds.

Offline queue: up to 10,000 events or 5 MB; when full, the oldest events are dropped and a
queue_overflow counter is sent with the next batch so customers can see the loss. The queue
survives app termination. Background flushes use BGAppRefreshTask when the host app enables it.

Privacy manifest: shipped since 3.6.0. It declares the required-reason APIs we use (UserDefaults
for the anonymous id, file timestamps for queue housekeeping) and no tracking domains. The SDK
does not read IDFA unless the host app passes it in explicitly.

Binary size: about 1.1 MB added to a release build with bitcode off. The optional session
properties module adds 300 KB.

The same limits (10,000 events, 30 seconds, 50 events) apply on Android so customers get the
same behaviour on both platforms.
""")

wiki("mobile-sdk-support-playbook", "Mobile SDK support playbook", ["mobile-sdk", "support", "android", "ios", "crash"],
     [("u.ayilmaz", "07-06 09:00"), ("u.sbecker", "09-17 18:20"), ("u.dnguyen", "09-18 10:05")], """
For any mobile SDK ticket, collect these before escalating:
- SDK name and exact version (Android: com.beacon:beacon-android; iOS: BeaconSDK), and the
previous version if they just upgraded.
- OS versions and device models affected, and whether it happens in release builds only.
- The full stack trace or the Play Console / Crashlytics issue link.
- Their init code: where Beacon.init or Beacon.configure is called, and for Android whether
they use a custom WorkManager Configuration.Provider.

Known issues:
- Android 4.2.0 startup crash (IllegalStateException from WorkManager) and ANRs: upgrade to
4.2.2. If they cannot upgrade, pin 4.1.3.
- iOS events arriving late in the debugger: the 30-second flush interval; lower it for debug.
- React Native: wrapper 2.4 supports the new architecture; older wrappers need the bridge.

Escalate Android issues to Sam Becker or Priya Raman, iOS to David Nguyen, in #mobile. Irina
Volkova decides on hotfix releases.
""")

wiki("mobile-team", "Mobile team page and release calendar", ["mobile-sdk", "team", "release"],
     [("u.ivolkova", "06-01 10:00"), ("u.ivolkova", "10-05 09:00")], """
Mobile owns the Android SDK, the iOS SDK, the React Native wrapper and the (community-supported)
Flutter plugin. Irina Volkova (engineering manager), Sam Becker (Android), Priya Raman (Android
and React Native), David Nguyen (iOS).

Release calendar for the second half of 2026:
- Android 4.1.3 (July 14), 4.2.0 (September 15), 4.2.1 (September 22), 4.2.2 (September 29),
4.3.0 planned for November 24.
- iOS 3.8.0 (July 21), 3.8.2 (September 8), 3.9.0 planned for December 1.
- React Native wrapper 2.4.0 (August 18).

We are hiring a Senior Android Engineer; talk to Yuki Sato if you know someone.

Priorities: SDK quality first (crash-free sessions of host apps at or above 99.8%), then binary
size (target under 1 MB on iOS), then an official Flutter plugin in 2027.
""")

# ---- data export & Kafka pipeline ---------------------------------------------------------

wiki("event-pipeline-overview", "Event pipeline overview: ingest to ClickHouse", ["data-export", "kafka", "pipeline", "architecture"],
     [("u.lkowalski", "06-05 15:00"), ("u.wosei", "07-09 11:30"), ("u.achen", "08-24 10:00")], """
Events travel: SDKs and the HTTP ingest API → ingest-gw (Go) → Kafka topic events.raw.v3 →
enricher (Flink) → events.enriched.v3 → ClickHouse, with porter (the export service) reading
ClickHouse for customer exports.

Kafka: two clusters, kafka-prod-eu1 (Frankfurt) and kafka-prod-us1 (Virginia), six brokers each.
events.raw.v3 has 48 partitions and 7 days of retention; events.enriched.v3 has 48 partitions and
3 days. Events are keyed by workspace id and distinct id so one user's events stay ordered.
Schemas live in the schema registry; compatibility mode is BACKWARD.

Enricher adds geo (from the truncated IP), device and session fields, and drops events for
workspaces over a hard cap. It checkpoints every 60 seconds. The ClickHouse sink writes batches of
100,000 rows or every 5 seconds.

Throughput in October: 1.9 billion events per day at peak, about 22,000 per second on average.

Owners: Lena Kowalski (Kafka, export), Kwame Osei (enricher, ClickHouse sink, warehouse
connectors), Alex Chen (engineering manager). Consumer lag above 500,000 messages for 10 minutes
pages platform-primary; see kafka-operations-runbook.
""")

wiki("kafka-operations-runbook", "Kafka operations runbook", ["kafka", "runbook", "data-export", "on-call"],
     [("u.lkowalski", "06-09 10:40"), ("u.aromero", "08-19 09:00"), ("u.lkowalski", "08-20 14:20")], """
Consumer lag alert (KafkaConsumerLagHigh): fires when a consumer group is more than 500,000
messages behind for 10 minutes.
1. Check which group: enricher, clickhouse-sink or porter-live.
2. If enricher: look at the Flink UI for backpressure; restarting from the last checkpoint is safe.
3. If clickhouse-sink: check ClickHouse insert errors first (too many parts is the usual one).
4. Lag drains at about 150,000 messages per second once the consumer is healthy.

Broker disk (KafkaBrokerDiskHigh at 80%): find the largest topics with
`kafka-log-dirs --describe --bootstrap-server localhost:9092 | jq` and check retention settings.
Never set retention.ms=-1 on any topic in prod; the topic policy now rejects it.

Partition reassignment: use cruise-control, never the raw reassignment tool, and throttle to
50 MB/s so producers are not starved.

Creating topics: through Terraform only (repo infra/kafka). A topic needs an owner, retention,
partitions and a schema subject.

Escalation: Lena Kowalski, then Kwame Osei, then Alex Chen.
""")

wiki("data-export-s3-parquet", "Data export: daily Parquet files to S3 and GCS", ["data-export", "s3", "gcs", "parquet", "backfill"],
     [("u.lkowalski", "06-16 09:20"), ("u.jparker", "08-31 16:00"), ("u.wosei", "11-11 10:30")], """
Growth and Enterprise workspaces can export raw events daily to their own S3 bucket or GCS bucket.
porter starts the export at 02:00 UTC for the previous UTC day; the target is complete by 06:00 UTC.

Layout: s3://<bucket>/<prefix>/dt=YYYY-MM-DD/event=<event_name>/part-00000.parquet, Snappy
compressed, roughly 40-60 MB per million events. A _manifest.json file is written last and lists
every file with its row count; customers should wait for the manifest before reading a day.

Schema: one column per standard field (event, distinct_id, timestamp, received_at, insert_id,
session_id, device fields, geo fields) plus properties as a JSON string column. Column types are
versioned with the export schema version in the manifest; type changes only happen with a new
version announced 30 days ahead.

Permissions: S3 needs s3:PutObject and s3:GetBucketLocation for our role
arn:aws:iam::<beacon-account>:role/porter-export; GCS needs Storage Object Creator for the porter
service account.

Backfill: `beaconctl export backfill --workspace <id> --from 2026-07-01 --to 2026-07-31`. Maximum
90 days per job, 2 concurrent backfills per workspace. Support can run it; large backfills over
1 billion events should be scheduled with Lena Kowalski.
""")

wiki("warehouse-connectors", "BigQuery and Snowflake connectors", ["data-export", "bigquery", "snowflake", "warehouse"],
     [("u.wosei", "07-01 13:00"), ("u.lkowalski", "09-14 15:30"), ("u.achen", "09-15 10:00")], """
The warehouse connectors load events hourly into the customer's BigQuery dataset or Snowflake
database. Owner: Kwame Osei.

BigQuery: the customer grants roles/bigquery.dataEditor on the dataset and roles/bigquery.jobUser on
the project to the Beacon service account. Missing jobUser is the most common setup error and
shows as "Access Denied: User does not have bigquery.jobs.create permission".

Snowflake: the customer creates a user with key-pair authentication and a role that owns the target
schema. We load through an internal stage with COPY INTO; warehouse size XS is enough for up to
50M events a day.

Both connectors: the table is partitioned (BigQuery) or clustered (Snowflake) by event date. Loads
are idempotent on insert_id, so re-running an hour does not create duplicates. Backfilling a
connector for dates before it was enabled uses the same backfill command as file exports with
--target connector.

Latency: data is usually in the warehouse 70-90 minutes after the hour closes.
""")

wiki("postmortem-inc-2026-033-kafka-disk", "Postmortem: INC-2026-033 Kafka broker disk full, exports delayed",
     ["kafka", "postmortem", "incident", "data-export"],
     [("u.lkowalski", "08-20 10:00"), ("u.aromero", "08-20 15:00"), ("u.achen", "08-21 09:30")], """
On Tuesday 18 August broker kafka-eu1-4 filled its disk at 03:12 UTC. Producers to partitions led
by that broker failed over slowly, the enricher consumer group fell behind, and lag peaked at
3.2 million messages at 04:40. Daily exports for EU workspaces finished at 12:10 UTC instead of
06:00, six hours and ten minutes late. No events were lost. SEV2, incident commander Alex Romero.

Root cause: a debugging topic, events.debug, was created by hand the week before with
retention.ms=-1 (infinite) and a producer left running in a staging job pointed at prod. It grew
by 1.1 TB in six days.

What went well: the lag alert fired within 10 minutes; ingest never rejected events because
ingest-gw buffers to local disk for up to 2 hours.

What went badly: the disk alert was at 90%, too late to react; the export delay was not posted
to the status page until 08:30, and several customers found out from failed dbt runs.

Actions: topic creation only through Terraform with a policy that rejects infinite retention
(Lena, done); disk alert at 80% (Alex R., done); status page update whenever exports will be more
than one hour late (Jordan Parker and support, done).
""")

wiki("event-schema-v3", "Event schema v3", ["data-export", "kafka", "schema", "events"],
     [("u.wosei", "06-25 10:15"), ("u.lkowalski", "06-26 09:00")], """
Schema v3 has been the only schema on the pipeline since June 2026 (v2 producers were switched
off on 30 June).

Fields:
- event (string, required, at most 255 characters)
- distinct_id (string, required): the user or device identity
- timestamp (timestamp, milliseconds, client clock) and received_at (server clock)
- insert_id (string): used for deduplication for 7 days
- session_id (string, optional)
- properties (map<string, string|number|bool|list>), at most 255 keys and 32 KB serialized
- context: library name and version, OS, device model, locale, truncated IP

Rules: events with timestamps more than 7 days in the future are rejected; events older than
5 years are rejected; property keys starting with $ are reserved for Beacon.

Registry subject names: events.raw.v3-value and events.enriched.v3-value. Any change must be
backward compatible and reviewed by Kwame Osei or Lena Kowalski.
""")

# ---- dashboards & charts ------------------------------------------------------------------

wiki("dashboards-2-0-launch-plan", "Dashboards 2.0 launch plan (2 November)", ["dashboards", "launch", "charts"],
     [("u.sjohansson", "09-21 10:00"), ("u.zmuller", "09-22 14:20"), ("u.kfischer", "10-19 11:00"),
      ("u.zmuller", "10-30 16:45")], """
Launch: Monday 2 November, 15:00 UTC, for all plans. Feature flag dashboards_v2 goes to 100%.
Engineering lead: Zoë Müller. Product: Sam Johansson. Design: Rachel Hughes. Marketing: Katrin
Fischer.

What ships:
- 12-column drag-and-drop grid with resizable charts.
- Cross-filtering: click a bar, slice or row to filter every chart on the dashboard; Shift-click
to add values.
- Dashboard-level date range and comparison period (previous period or same period last year).
- New chart types: retention heatmap, Sankey user paths and funnel v2 with step-to-step conversion.
- Annotations on time series, shared across dashboards.
- Chart render p95 down from 2.8 seconds to 0.9 seconds thanks to the prism query cache.

Beta: 30 workspaces from 5 to 30 October (see dashboards-v2-beta-feedback).

Migration: existing dashboards are converted automatically; the old layout is kept for 30 days
behind "Switch back to classic". Old URLs redirect.

Limits: 40 charts per dashboard, 20 series per chart, 10,000 points per series.

Comms: blog post, in-app announcement, email to workspace owners on 2 November; Linh Pham
watches social channels for the first week and reports feedback in #general.
""")

wiki("chart-rendering-architecture", "Chart rendering and the prism query cache", ["dashboards", "charts", "architecture", "performance"],
     [("u.zmuller", "07-13 11:00"), ("u.fadeyemi", "08-03 15:40"), ("u.zmuller", "11-05 10:30")], """
canvas, the dashboards frontend, asks the query service for each chart separately. Before
Dashboards 2.0 every chart ran its query against ClickHouse on every load, which is why
dashboards with more than 10 charts took 6-8 seconds.

prism is the query cache in front of ClickHouse. Keys are a hash of the normalised query and
the workspace id. Entries live for 5 minutes, and are invalidated when the hourly rollup for the
queried range changes. Charts show the age of their data ("updated 2 min ago") on hover.

Rendering: we draw with our own thin layer over D3 for time series and bars, and use canvas
(HTML canvas, not the service) for charts over 2,000 points. Colors are assigned by series name
through a stable hash, so a series keeps its color across reloads; this fixed a long-standing
complaint about legends in screenshots.

After the launch, INC-2026-044 (3 November) showed a cache stampede: many dashboards expired at
the same minute. We added request coalescing and 0-30 seconds of random jitter to the TTL.

Owners: Zoë Müller (architecture, prism), Femi Adeyemi (chart components).
""")

wiki("dashboards-v2-beta-feedback", "Dashboards 2.0 beta feedback summary", ["dashboards", "beta", "feedback", "research"],
     [("u.rhughes", "10-31 14:00"), ("u.sjohansson", "11-01 10:20")], """
30 workspaces joined the beta between 5 and 30 October. We ran 12 interviews and collected 214
in-app feedback responses. Average satisfaction 4.4 out of 5 (classic dashboards: 3.1 in the
June survey).

What people loved: cross-filtering (mentioned in 61% of positive comments), speed ("it feels
instant"), resizable charts, the retention heatmap.

What needed work before launch (fixed):
- Shift-click for multi-select was not discoverable; we added a tooltip the first time.
- Date comparison labels were confusing ("previous period" now shows actual dates).
- Funnel v2 hid the step names on narrow charts.

Deferred to after launch: dark mode for TV displays (asked by 9 workspaces), copying a chart to
another dashboard (7), more color palettes (5), PDF export of the new layout (4; it renders the
classic layout until the December release).

Quotes we may use with permission: "We rebuilt our weekly product review around this" (a retail
customer) and "I stopped exporting to spreadsheets" (a fintech analyst).
""")

wiki("chart-types-reference", "Chart types reference (internal)", ["dashboards", "charts", "reference"],
     [("u.fadeyemi", "06-29 10:00"), ("u.zmuller", "11-02 09:00")], """
For support and sales: what each chart type does and its limits.

- Line and area: time series, up to 20 series, 10,000 points per series. Comparison period
overlays as a dashed line.
- Bar (vertical, horizontal, stacked): up to 50 categories before "Other".
- Funnel v2: up to 12 steps, conversion window from 1 minute to 90 days, step-to-step and overall
conversion, breakdown by one property.
- Retention heatmap: cohorts by day, week or month, up to 52 periods.
- Sankey paths: up to 8 steps from a start or to an end event; paths under 1% are grouped.
- Table: up to 5,000 rows, CSV download.
- Number with sparkline.

Every chart can be embedded with a signed link (Growth and Enterprise), and public links can be
turned off per workspace by admins. Scheduled email reports (PDF) are on Growth and Enterprise.
""")

wiki("dashboards-performance-budget", "Dashboards performance budget", ["dashboards", "performance", "charts"],
     [("u.zmuller", "08-12 13:30"), ("u.dokafor", "08-14 09:00")], """
Targets for dashboards, measured with real-user monitoring in canvas:
- First chart visible: p50 under 0.5 s, p95 under 1.2 s.
- Whole dashboard of 12 charts ready: p95 under 2 s.
- Single chart query: p95 under 0.9 s with a warm prism cache, under 3 s cold.

Before Dashboards 2.0 (July): chart p95 2.8 s, dashboard ready p95 7.4 s. After launch
(November, first week excluding the INC-2026-044 window): chart p95 0.9 s, dashboard p95 1.8 s.

A pull request that adds more than 20 KB of gzipped JavaScript to the dashboards bundle needs
sign-off from Zoë Müller. Queries over 90 days on raw events fall back to daily rollups.
""")

# ---- onboarding / checklists --------------------------------------------------------------

wiki("onboarding-checklist-spec", "Onboarding checklist spec (in-product)", ["onboarding", "checklist", "activation", "spec"],
     [("u.sjohansson", "06-18 10:00"), ("u.rhughes", "06-20 15:30"), ("u.fadeyemi", "09-30 11:15")], """
The onboarding checklist appears for new workspaces in the bottom-right corner until all steps
are done or someone dismisses it (admins can hide it for the whole workspace).

Steps:
1. Install the SDK: the snippet for the detected framework with the project key filled in.
2. Send your first event: done when the workspace receives any event from a non-test source.
3. Invite a teammate.
4. Create your first dashboard (or duplicate a template).
5. Set up an alert on a metric.

A workspace is activated when it completes 3 of the 5 steps within 7 days of signup.

Checklist v2 (rolled out 1 October after the September experiment) added the Demo Shop sample
project, automatic detection of the first event without a page reload, and framework detection
for React, Vue, Angular, Svelte and plain HTML. Known bug fixed on 30 September: events sent from
the Vue snippet were counted as test events, so step 2 never completed.

Owners: Sam Johansson (product), Rachel Hughes (design), Femi Adeyemi (frontend).
""")

wiki("activation-metrics", "Activation metrics and definitions", ["onboarding", "activation", "metrics", "growth"],
     [("u.sjohansson", "06-24 09:45"), ("u.sjohansson", "10-26 10:00")], """
Activated workspace: completed 3 of the 5 onboarding checklist steps within 7 days of signup.

Numbers (self-serve signups, excluding workspaces created by sales):
- Q2 2026: 41.0% activated.
- September 2026 (experiment period, both arms): 44.6%.
- October 2026 (checklist v2 at 100%): 48.3%.
Goal: 55% by the end of Q1 2027.

Other onboarding metrics we track weekly in the Growth dashboard:
- Time to first event: median 38 minutes in October (was 2 h 10 min in Q2).
- Teammate invited within 7 days: 52%.
- Trial to paid conversion (14-day Growth trial): 9.8%.

Definitions live in the metrics repo; ask Sam Johansson before changing them, because the
board deck uses the activation rate.
""")

wiki("demo-shop-sample-data", "Demo Shop: the sample data project", ["onboarding", "sample-data", "demo"],
     [("u.fadeyemi", "08-25 14:00"), ("u.rhughes", "08-27 10:30")], """
Every new workspace gets a read-only project called Demo Shop with 90 days of synthetic events
from a fictional online store: 12,000 users, 31 event types (page_viewed, product_viewed,
added_to_cart, checkout_started, order_completed and so on) and four ready-made dashboards.

The data is generated by a script in the onboarding repo and re-dated every night so it always
covers the last 90 days. It does not count towards billing or event quotas.

Users can delete Demo Shop from Project settings → Delete; only workspace admins see the button.
It cannot be restored, but support can re-create it with `beaconctl demo-shop create --workspace <id>`.

In the September experiment, 63% of users in the v2 arm opened Demo Shop in their first session,
and those users were 1.4 times as likely to create their own dashboard in week one.
""")

wiki("onboarding-experiment-sept-2026", "Experiment results: onboarding checklist v2 (September 2026)",
     ["onboarding", "experiment", "activation", "checklist"],
     [("u.sjohansson", "09-29 16:00"), ("u.rhughes", "09-30 09:10"), ("u.pnair", "09-30 14:00")], """
Experiment ran from 1 to 28 September on all self-serve signups, 50/50 split, 4,620 workspaces.

Control: checklist v1 (five steps, no sample data, page reload needed to detect the first event).
Treatment: checklist v2 with Demo Shop, live first-event detection and framework detection.

Results:
- Activation (3 of 5 steps in 7 days): control 41.2%, treatment 47.9%, +6.7 points, p = 0.003.
- Time to first event: control median 1 h 52 min, treatment 41 min.
- Support tickets tagged onboarding per 100 signups: 3.1 vs 2.2.
- No change in 14-day trial conversion yet (too early; revisit in November).

Decision: ship v2 to 100% on 1 October. Follow-ups: reduce onboarding emails from 6 to 4 in the
first 14 days (several users complained about volume); add an admin checklist for SSO and roles
(Rachel is designing it for Q1).
""")

# ---- pricing plans ------------------------------------------------------------------------

wiki("pricing-plans-2026", "Pricing and plans (from 1 September 2026)", ["pricing", "plans", "packaging"],
     [("u.lmoreau", "07-28 10:00"), ("u.pnair", "07-29 15:00"), ("u.nreyes", "08-20 11:30"),
      ("u.lmoreau", "09-01 09:00")], """
Plans since 1 September 2026 (the Team plan was renamed Growth and its price went from $349 to
$399 per month; existing customers were given 30 days' notice and kept the old price until their
next renewal after 1 October).

- Free: 1M events per month, 3 seats, 6 months of data retention, community support.
- Starter: $49 per month, 5M events, 10 seats, 13 months retention, email support. Hard cap at 5M
events with an upgrade prompt.
- Growth: $399 per month, 20M events, unlimited seats, 25 months retention, scheduled reports,
data export and warehouse connectors, EU data residency, SSO as a $150/month add-on. Overage
$18 per additional 1M events.
- Enterprise: annual contracts from $15,000 per year, custom event volume, SSO and SCIM included,
custom retention up to 7 years, 99.9% uptime SLA, dedicated support contact.

Annual billing: two months free (about 17% off) on Starter and Growth.

Questions about packaging go to Lucie Moreau; questions about a specific deal go to the account
owner (Nicole Reyes for most enterprise accounts).
""")

wiki("discount-approval-matrix", "Discount approval matrix", ["pricing", "sales", "discounts", "approvals"],
     [("u.tbrennan", "06-06 10:30"), ("u.rcastillo", "06-08 09:00"), ("u.lmoreau", "09-03 14:00")], """
Discounts are on the list price of the plan, before any program discount.
- Account executive: up to 15% on annual Growth or Enterprise contracts.
- VP of Sales (Tom Brennan): up to 30%.
- Above 30%, multi-year price locks, or payment terms longer than net 45: CFO (Rosa Castillo)
and CEO.

Rules:
- No discounts on monthly plans. Offer annual instead (already two months free).
- Discounts do not stack with the startup or nonprofit programs; apply whichever is larger.
- Free months count as discount: three free months on a 12-month contract is 25%.
- Ramp deals (lower price in the first months) need Finance review for revenue recognition;
ping Oliver Wright.

Approvals are requested in #sales with the opportunity link, the requested discount, the
competitor if any, and the reason. Approvals are logged in the CRM opportunity.
""")

wiki("pricing-faq-for-sales", "Pricing FAQ for sales and support", ["pricing", "faq", "sales", "support"],
     [("u.nreyes", "08-21 10:00"), ("u.lmoreau", "08-24 16:00"), ("u.kobrien", "10-02 12:30")], """
What counts as an event? Every tracked event (track calls and autocaptured page views). Identify
and group calls, and events dropped by filters, do not count.

Do seats cost extra? No on Growth and Enterprise; Free has 3 seats and Starter 10.

Can a customer get SSO on Growth? Yes, as an add-on at $150 per month. SCIM is Enterprise only.

What happens on downgrade? Data older than the new plan's retention becomes invisible and is
deleted after 30 days, so customers can re-upgrade without losing it. We warn them in the UI.

Is there a discount for annual payment? Two months free on Starter and Growth.

Do you offer nonprofit or startup pricing? Yes, see nonprofit-and-startup-program.

What if a customer goes over their events on Growth? Overage at $18 per 1M events, billed on the
next invoice. Owners get emails at 80% and 100% of the included volume. Sales can pre-purchase
event blocks at $15 per 1M on annual contracts.

Competitor comparisons: do not publish competitor prices in emails; use the battlecard in the
sales drive and ask Nicole Reyes.
""")

wiki("overage-and-usage-limits", "Overage and usage limits", ["pricing", "billing", "usage", "overage"],
     [("u.lmoreau", "07-07 11:00"), ("u.ntanaka", "07-10 10:20")], """
Usage is counted per workspace per billing period, in billable events (see pricing FAQ).

- Free: ingestion stops at 1M events; events after the cap are dropped and the owner is emailed.
- Starter: hard cap at 5M. At 100% the workspace keeps ingesting for a 10% grace, then drops.
- Growth: no cap; overage is $18 per additional 1M events, rounded up to the next million.
- Enterprise: contracted volume, with true-up at renewal.

Notifications: emails to owners and billing contacts at 80% and 100%, plus an in-app banner.
The billing page shows projected usage for the period based on the last 7 days.

Spikes: if a customer's volume jumps because of a bug in their instrumentation (for example an
event fired in a loop), support can request an overage waiver from Lucie Moreau; we approve the
first one per year without discussion. Naomi Tanaka can apply the waiver in ledger.
""")

wiki("nonprofit-and-startup-program", "Nonprofit and startup program", ["pricing", "startups", "nonprofit", "discounts"],
     [("u.lmoreau", "06-30 15:00"), ("u.nreyes", "07-02 10:00")], """
Startup program: 50% off Growth for the first 12 months for companies less than two years old
that have raised less than $5M. Apply through the form on the pricing page; Lucie Moreau's team
reviews applications weekly. About 180 workspaces are on the program.

Nonprofit program: 50% off Growth for registered charities and nonprofits, renewed yearly with
proof of status. Education: free Growth for accredited universities for teaching use.

Both programs are annual-only and do not stack with sales discounts. When a startup leaves the
program after 12 months, the account executive gets a task 60 days before renewal. Most startups
move to regular annual Growth pricing; Nicole Reyes can offer a one-year step-up (25% off in the
second year) with VP of Sales approval.
""")

# ---- public API & rate limits -------------------------------------------------------------

wiki("public-api-overview", "Public API overview (v2)", ["api", "public-api", "reference"],
     [("u.rpatel", "06-07 10:10"), ("u.jparker", "07-15 14:25")], """
The public REST API lives at https://api.beacon.example/v2. Owner: Ravi Patel. Support contact:
Jordan Parker.

Main resources: /events (query), /users (profiles and deletion), /dashboards and /charts (read
and create), /cohorts, /exports (start and poll export jobs), /annotations and /tokens.

Conventions: JSON everywhere; cursor pagination with next_cursor (v1 used page numbers);
errors as {"error": {"code": ..., "message": ..., "request_id": ...}}; timestamps in ISO 8601 UTC.
The query endpoint times out after 60 seconds; long ranges should use the export API instead.

Official clients: Python (beacon-client on PyPI) and Node (@beacon/client on npm); both handle
retries with the Retry-After header. The ingest API at https://ingest.beacon.example is separate
and has its own limits.

API v1 is deprecated and shuts down on 31 January 2027; see api-v1-deprecation.
""")

wiki("api-rate-limits", "API rate limits", ["api", "rate-limits", "reference", "support"],
     [("u.rpatel", "06-14 09:00"), ("u.jparker", "09-09 10:40"), ("u.rpatel", "10-21 15:10")], """
REST API limits are per API token, per minute:
- Starter: 100 requests per minute.
- Growth: 600 requests per minute.
- Enterprise: 3,000 requests per minute (can be raised on request).
A token may burst to twice its limit for up to 10 seconds.

Every response carries X-RateLimit-Limit, X-RateLimit-Remaining and X-RateLimit-Reset. A 429
response always has Retry-After in seconds. Clients should honour it rather than retry blindly.

Other limits: 10 concurrent export jobs per workspace; query API 60-second timeout; 5 concurrent
query requests per token.

Ingest API (separate): 5,000 events per second per project, batches of at most 500 events or
1 MB; bursts above that get 429 with Retry-After and the SDKs back off automatically.

Raising a limit: Enterprise customers can ask their account team; support files a request in
#platform with the workspace id and expected traffic, and Ravi Patel reviews it. We do not raise
limits on Starter; suggest Growth.

INC-2026-042 (20 October): api-gw 3.9 dropped the Retry-After header from 429 responses for
52 minutes. Fixed in 3.9.1 with a contract test.
""")

wiki("api-v1-deprecation", "API v1 deprecation plan", ["api", "deprecation", "migration"],
     [("u.rpatel", "08-03 10:00"), ("u.kfischer", "08-04 13:00"), ("u.jparker", "11-09 09:30")], """
Announced 3 August 2026. API v1 shuts down on 31 January 2027.

Timeline:
- 3 August: announcement email, deprecation header (Sunset) on all v1 responses.
- 8 December: first brownout, v1 returns 410 for 1 hour at 15:00 UTC.
- 12 January: second brownout, 4 hours.
- 31 January 2027: v1 off.

As of 9 November, 214 workspaces still called v1 in the last 30 days, down from 690 in August.
Jordan Parker emails the top 50 by volume every two weeks. Customers who need more time can ask for
a token-level exception until 31 March 2027; Ravi Patel approves these, and there have been 6.

Main differences for migrating customers: cursor pagination instead of pages, scoped tokens
instead of one workspace key, and /events/query takes a JSON body instead of query strings. The
migration guide is on docs.beacon.example/api/v2-migration.
""")

wiki("api-tokens-and-scopes", "API tokens and scopes", ["api", "tokens", "security", "scopes"],
     [("u.rpatel", "06-23 14:00"), ("u.hkim", "06-24 10:30"), ("u.ewalsh", "07-20 16:00")], """
Tokens are created by admins in Settings → API tokens, or by any user for personal tokens.

Scopes: read:events, read:dashboards, write:dashboards, write:events, read:users, delete:users,
export:run and admin:users. A read-only token for a BI tool needs read:events and read:dashboards.

Tokens expire after 365 days by default (admins can choose 30, 90 or never for Enterprise). We
email the creator 14 days before expiry. Tokens are shown once; we store only a hash.

Tokens start with bk_live_ or bk_test_ so secret scanners (GitHub, GitLab) can detect them; we are
a GitHub secret scanning partner and leaked tokens are revoked automatically within minutes and
the workspace owner is emailed.

Rate limits apply per token (see api-rate-limits). Deactivating a user through SCIM revokes their
personal tokens within 60 seconds.
""")

wiki("rate-limiter-design", "Rate limiter design (api-gw)", ["api", "rate-limits", "redis", "architecture"],
     [("u.rpatel", "07-06 11:20"), ("u.cdubois", "07-08 09:40")], """
api-gw enforces limits with a token bucket per API token, stored in Redis (a 3-node cluster per
region). The bucket size is twice the per-minute limit divided by six (so a 10-second burst at
2x is possible), refilled continuously at limit/60 per second.

The check is a single Lua script (GCRA variant) so it is atomic and costs one round trip, about
0.3 ms at p99. If Redis is unavailable, api-gw fails open for up to 5 minutes with a local
in-memory bucket per pod, then fails closed with 503, which pages platform-primary.

Why per token and not per workspace: customers run several integrations and asked that one noisy
script should not starve the others. Workspace-wide protection exists at 5x the token limit.

Ravi Patel owns the design. Changes to limits are a config change in api-gw's plan table, deployed
like any config; no code change needed.
""")

# ---- GDPR & data retention ----------------------------------------------------------------

wiki("data-retention-policy", "Data retention policy", ["gdpr", "data-retention", "policy", "privacy"],
     [("u.tnkosi", "06-12 10:00"), ("u.gwhite", "06-15 11:30"), ("u.lmoreau", "09-01 10:30")], """
Raw event retention by plan: Free 6 months, Starter 13 months, Growth 25 months, Enterprise
configurable from 1 month to 7 years. Retention is enforced nightly by dropping ClickHouse
partitions older than the limit.

Other data:
- Kafka: 7 days raw, 3 days enriched.
- Backups: daily ClickHouse and Postgres backups kept for 35 days, encrypted, in the same region.
- Exports in customer buckets: the customer's responsibility.
- Application logs: 30 days; they must not contain event properties.
- Closed workspaces: all data deleted 30 days after closure, backups expire 35 days later.

IP addresses are truncated at ingest (last octet for IPv4, last 80 bits for IPv6) unless an
Enterprise customer turns on full IP storage in writing.

Owner: Thandi Nkosi. Changes need sign-off from Grace White.
""")

wiki("gdpr-deletion-requests-runbook", "Runbook: GDPR deletion and access requests (DSAR)", ["gdpr", "dsar", "deletion", "runbook", "privacy"],
     [("u.tnkosi", "06-26 14:30"), ("u.jparker", "08-14 10:00"), ("u.tnkosi", "10-22 09:15")], """
Customers are the controllers for their end users' data; we process deletion requests they send
us. Two routes:

1. API: DELETE https://api.beacon.example/v2/users/{distinct_id} with a token that has
delete:users. It returns a deletion job id; a webhook (user.deleted) fires when it is done.
2. Support ticket: for bulk lists, the customer uploads a CSV of distinct ids in the ticket and
support runs `beaconctl privacy delete --workspace <id> --file ids.csv`.

What gets deleted: events and profile in ClickHouse (lightweight delete, then merged), the
profile in Postgres, cohort memberships. Exports already delivered to the customer's bucket are
not touched; the deletion webhook lets them clean up. Backups expire within 35 days.

Timing: target 7 days, legal maximum 30 days. In October the median was 2.5 days.

Requests about Lumenary's own data (from employees or customers' admins): forward to
privacy@lumenary.example; Thandi Nkosi handles these and replies within 30 days.
""")

wiki("eu-data-residency", "EU data residency", ["gdpr", "eu", "data-residency", "infrastructure"],
     [("u.tnkosi", "07-01 09:00"), ("u.cdubois", "07-03 14:00"), ("u.mlarsen", "09-15 10:20")], """
Since July 2026 every workspace created from an EU or EEA country lands in the EU region by
default (AWS eu-central-1, Frankfurt). Other workspaces land in us-east-1 and can choose the EU
at signup. EU residency is available on Growth and Enterprise; Free and Starter workspaces
created in the EU are also hosted in Frankfurt, but without the contractual residency commitment.

In the EU region, event data, backups, exports and logs stay in the EU. Exceptions listed in the
sub-processor list: Stripe (billing details, not events), Zendesk (support tickets) and Postmark
(emails).

Moving an existing workspace between regions is a one-off project run by Platform: about one
week for up to 10 billion events. It is free for Enterprise and needs approval from Lucie
Moreau for Growth.
""")

wiki("subprocessors-and-dpa", "Sub-processors and the DPA", ["gdpr", "dpa", "legal", "sales", "privacy"],
     [("u.tnkosi", "06-20 15:00"), ("u.mlarsen", "08-10 11:00")], """
Our standard Data Processing Agreement is version 3.1 (June 2026), with the EU Standard
Contractual Clauses and the UK addendum attached. Customers sign it through the link on the trust
page; it does not need legal review on our side if unchanged. Redlines go to Thandi Nkosi.

Current sub-processors: AWS (hosting, EU and US), Stripe (payments), Zendesk (support), Postmark
(transactional email), Cloudflare (CDN and DDoS protection) and Sentry (error monitoring, no event
data). We give customers 30 days' notice before adding a sub-processor.

Security questionnaires: Magnus Larsen answers them with the pre-filled answers in the sales
drive; anything new goes to Thandi or Grace White. Our SOC 2 Type II report (period ending 31
May 2026) is shared under NDA.
""")

wiki("privacy-by-design-checklist", "Privacy-by-design checklist for new features", ["gdpr", "privacy", "checklist", "engineering"],
     [("u.tnkosi", "08-04 10:00"), ("u.gwhite", "08-05 09:30")], """
Answer these in the design doc for any feature that stores or processes personal data:
1. What personal data does it touch, and is any of it new?
2. Where is it stored, in which region, and for how long? Does it follow the retention policy?
3. Does deleting a user through the deletion API also delete it here?
4. Is it in logs, metrics labels or error reports? It must not be.
5. Does it send data to a new third party? Then it needs a sub-processor review first.
6. Can customers turn it off?

Thandi Nkosi reviews the answers before the feature reaches beta. For Dashboards 2.0 the review
found that annotation text could contain end-user emails, so annotations are now included in
workspace deletion and excluded from logs.
""")

# ---- on-call & incidents -----------------------------------------------------------------

wiki("on-call-handbook", "On-call handbook", ["on-call", "incident", "pagerduty", "handbook"],
     [("u.cdubois", "06-01 09:30"), ("u.aromero", "07-27 14:10"), ("u.cdubois", "10-12 10:00")], """
Rotations in PagerDuty: platform-primary and platform-secondary, one week each, handoff on Monday
at 10:00 Dublin time. Eight engineers are in the rotation; you are on call roughly one week in
eight as primary and one in eight as secondary. Camille Dubois owns the schedule.

Expectations when on call: acknowledge SEV1 and SEV2 pages within 5 minutes, be able to reach a
laptop within 15 minutes, and keep your phone off silent. If you cannot cover a shift, swap in
PagerDuty and post the swap in #incidents.

Handoff: the outgoing primary writes a short note in #incidents on Monday morning: open issues,
noisy alerts, anything in flight.

On-call allowance: €250 for each week as primary, €100 as secondary, paid with the next payroll.
If you are paged for more than one hour between 00:00 and 07:00, take the next morning off.

Escalation path: primary → secondary → Camille Dubois → Daniel Okafor. For billing issues loop in
Omar Garcia; for SSO Hana Kim; for Kafka and exports Lena Kowalski; for mobile SDK Sam Becker.

New to on-call? Shadow one week first with Alex Romero, who runs the on-call onboarding.
""")

wiki("incident-severity-levels", "Incident severity levels", ["on-call", "incident", "severity", "process"],
     [("u.cdubois", "06-02 10:00"), ("u.aromero", "06-03 11:00"), ("u.dsilva", "10-10 15:00")], """
- SEV1: Beacon unavailable for many customers, data loss, a security breach, or a billing error
affecting more than 100 workspaces. Incident commander required; status page within 15 minutes;
updates every 30 minutes; exec notified.
- SEV2: a major feature degraded (ingest delayed more than 30 minutes, exports more than one
hour late, SSO failing for a subset of customers, an SDK crash in host apps). Status page within
30 minutes.
- SEV3: minor feature degraded with a workaround. No status page unless customers ask.
- SEV4: cosmetic or internal only.

Declaring: type /incident in Slack. The bot creates a channel such as #inc-2026-041-double-charges,
a Jira ticket and a Zoom bridge, and posts a summary in #incidents.

Roles: incident commander (coordinates, does not debug), ops lead (debugs), comms lead (status
page and support). For SEV1 and SEV2 a postmortem is due within 5 business days.

Billing errors were moved from SEV2 to SEV1 territory after INC-2026-041, at Diego Silva's request.
""")

wiki("postmortem-template", "Postmortem template and process", ["on-call", "postmortem", "template", "process"],
     [("u.aromero", "06-05 13:00"), ("u.cdubois", "06-06 09:15")], """
Postmortems are blameless: we describe what the system and the process allowed, not who made
a mistake. Due within 5 business days for SEV1 and SEV2, reviewed in the Thursday operations
review.

Sections:
- Summary: what happened, impact in numbers (customers, events, money, minutes), severity.
- Timeline in UTC, starting from the change that caused it.
- Root cause and contributing factors.
- Detection: how we found out, and how long customers knew before we did.
- What went well, what went badly, where we got lucky.
- Action items with an owner and a due date each, tracked in Jira with the label postmortem.

Alex Romero keeps the postmortem index and chases overdue action items every two weeks.
""")

wiki("pagerduty-setup", "PagerDuty setup and alert routing", ["on-call", "pagerduty", "alerts"],
     [("u.aromero", "06-10 15:30"), ("u.cdubois", "09-01 10:00")], """
Services in PagerDuty: beacon-ingest, beacon-pipeline, beacon-api, beacon-web, ledger and
gatekeeper. All route to the platform-primary escalation policy: primary for 10 minutes, then
secondary, then Camille Dubois.

Alerts come from Grafana (Prometheus and Loki). Every paging alert must link a runbook; alerts
without a runbook page nobody and post to #incidents instead. An alert that paged more than
three times in a week without action gets reviewed in the Thursday operations review.

Low-urgency alerts (business hours only): LedgerInvoiceJobLate, ExportLate under one hour,
CertificateExpiry30d. High urgency: ingest error rate, API 5xx above 2%, KafkaConsumerLagHigh,
LedgerDuplicatePaymentSuspected, GatekeeperLoginErrorRate.

To get PagerDuty access ask Alex Romero; install the app and test a notification before your
first shift.
""")

wiki("status-page-communication", "Status page and customer communication during incidents",
     ["on-call", "incident", "status-page", "support"],
     [("u.dsilva", "06-11 11:00"), ("u.kobrien", "10-10 10:30"), ("u.aromero", "10-12 16:00")], """
The status page is status.beacon.example. The comms lead for an incident (usually the support
engineer on shift) posts updates; engineers should not be writing customer text while debugging.

Templates exist for: ingest delay, export delay, dashboard slowness, login problems, API errors,
and since October, billing errors. The billing template says what happened, that we will refund
automatically, when, and that no action is needed from the customer.

Update every 30 minutes for SEV1 and every hour for SEV2, even if there is nothing new. Close
with a short summary and link the public postmortem for SEV1.

Lesson from INC-2026-033 and INC-2026-041: customers noticed first. If support sees more than
five tickets about the same problem within an hour, they post on the status page as
"investigating" without waiting for engineering.
""")

# ---- hiring & HR policies ----------------------------------------------------------------

wiki("hiring-process", "Hiring process", ["hiring", "hr", "recruiting", "interviews"],
     [("u.ysato", "06-03 10:00"), ("u.hlindqvist", "06-05 14:00"), ("u.ysato", "09-08 09:30")], """
Every role follows the same steps. Talent partner: Yuki Sato. Policy owner: Helena Lindqvist.

1. Intake meeting: hiring manager and Yuki agree on the scorecard (4-6 competencies), the
interview panel and the timeline.
2. Recruiter screen, 30 minutes (Yuki).
3. Hiring manager interview, 45 minutes.
4. Skills step: a paid take-home exercise (€300, capped at 3 hours) or a 90-minute live pairing
session; the candidate chooses.
5. Final loop: three 45-minute interviews (role deep-dive, collaboration and values, a
cross-functional partner).
6. Debrief within 48 hours of the final interview; the hiring manager decides, Helena breaks ties.
7. Offer within 5 business days, with references checked after verbal acceptance.

Interviewers write feedback in the applicant tracking system within 24 hours, before reading
anyone else's. Every interviewer needs the interview training (one hour, with Yuki).

Open roles (November 2026): Senior Android Engineer (Mobile), Data Engineer (Platform), Support
Engineer EMEA (Support), Account Executive US (Sales).
""")

wiki("interview-guide-engineering", "Engineering interview guide", ["hiring", "interviews", "engineering"],
     [("u.ysato", "06-16 11:00"), ("u.achen", "06-18 15:00"), ("u.ivolkova", "08-28 10:00")], """
Engineering interviews assess: problem solving, code quality, system design (senior and above),
ownership, and collaboration.

Take-home: a small event deduplication service with a README; we look at tests, naming and the
README's trade-offs, not at feature count. Pairing: extending the same service together.

System design prompts we use: an ingest pipeline for 10,000 events per second, a rate limiter,
a notification system for usage alerts. Do not use real incident details from Beacon.

Mobile candidates get the Android or iOS variant: a tiny offline event queue with batching.

Calibration: every new interviewer shadows two interviews and reverse-shadows one. Alex Chen
and Irina Volkova run calibration sessions once a quarter.
""")

wiki("leave-and-time-off", "Leave and time off policy", ["hr", "leave", "policy", "benefits"],
     [("u.bcarter", "06-02 09:00"), ("u.hlindqvist", "06-04 10:00"), ("u.bcarter", "09-15 14:30")], """
Annual leave: 25 days per year plus the public holidays of your country of employment. Up to 5
unused days carry over and must be used by 31 March of the following year.

Recharge Fridays: four company-wide days off per year (2026: 29 May, 14 August, 23 October and
18 December).

Sick leave: 10 days per year fully paid with self-certification; longer absences with a doctor's
note follow local law. Tell your manager by 10:00 on the day.

Parental leave: 20 weeks fully paid for every parent, regardless of gender or how the child
joined the family, to be taken within 18 months of the birth or adoption.

Other leave: 5 days of compassionate leave, 2 days for moving house, 3 days of learning leave.

Request leave in the HR system at least two weeks ahead for more than three consecutive days.
Questions go to Beth Carter.
""")

wiki("new-hire-onboarding", "New hire onboarding (employees)", ["hr", "onboarding", "new-hires", "people"],
     [("u.bcarter", "06-09 10:00"), ("u.ysato", "06-10 11:00"), ("u.ewalsh", "07-14 09:00")], """
Not to be confused with customer onboarding: this page is about new Lumenary employees.

Before day one: the laptop ships 5 business days before the start date; the manager picks an
onboarding buddy and writes a 30-60-90 day plan; Beth Carter sends the welcome email with the
first-week schedule.

Day one: accounts are created through Okta (email, Slack, wiki, Q&A, GitHub for engineers).
Welcome call with Helena Lindqvist at 10:00, lunch with the buddy (expensed).

First two weeks: security and privacy training (mandatory within 14 days, run by Eoin Walsh and
Thandi Nkosi), product walkthrough with a product manager, shadow two customer support calls.
Engineers ship a small change to production in their first week and shadow on-call in their
first two months.

Day 30 and day 90: check-ins with the manager and Beth.
""")

wiki("referral-program", "Employee referral program", ["hiring", "referrals", "hr"],
     [("u.ysato", "06-12 14:00"), ("u.hlindqvist", "06-13 09:00")], """
Refer someone through the referral form in the applicant tracking system, with a sentence on
how you know them. Referred candidates skip the queue: Yuki Sato reviews them within 3 business
days and tells you the outcome (not the details).

Bonus: €2,000 for a hire, paid after the new hire's 90th day. Hiring managers and members of the
interview panel for that role are not eligible for that hire.

Please do not pressure candidates or share internal interview questions with them. In 2026 so
far, 9 of our 14 hires came from referrals, and referred hires stayed longer on average.

Good referrals come with context: what you worked on together, what the person is great at, and
why they might like Lumenary. Yuki will ask you for a short chat if the role is senior.
""")

wiki("remote-work-and-expenses", "Remote work, equipment and expenses", ["hr", "remote", "expenses", "policy"],
     [("u.bcarter", "06-15 10:00"), ("u.owright", "06-16 15:00")], """
Lumenary is remote-friendly with offices in Dublin (HQ) and a small hub in Lisbon. Teams meet in
person once a quarter; travel is booked through the travel tool and paid by the company.

Home office: a one-off €1,000 budget for desk, chair and monitor, plus €60 per month for internet.
Coworking: up to €250 per month if you prefer not to work from home.

Expenses: submit within 30 days with a receipt in the expense tool; your manager approves, and
Finance (Oliver Wright) pays with the next payroll. Meals while travelling: up to €60 per day.
Software subscriptions for work: ask in #it first, we may already have a licence.

Working from another country for more than 20 working days a year needs approval from Beth Carter
for tax and insurance reasons.
""")

# ---- general ------------------------------------------------------------------------------

wiki("company-handbook", "Lumenary company handbook", ["company", "handbook", "values"],
     [("u.mhartley", "06-01 08:30"), ("u.hlindqvist", "06-03 09:00"), ("u.kfischer", "08-01 12:00")], """
Lumenary builds Beacon, a product-analytics platform: teams instrument their web and mobile apps,
send events, and use funnels, retention, paths and dashboards to understand what their users do.
We are about 40 people, mostly remote, with offices in Dublin and Lisbon, and around 2,600 paying
workspaces.

Values:
- Customers notice everything. Act as if they can see our dashboards, because they can see theirs.
- Write it down. Decisions live on the wiki or in Q&A, not in someone's head.
- Own it end to end, including the incident review.
- Be kind and direct.

How we work: weekly all-hands on Thursday at 15:00 Dublin time; quarterly planning; every team
has a page on this wiki with owners and how to reach them. If you do not know who owns something,
check who-owns-what or ask in #general.
""")

wiki("who-owns-what", "Who owns what (ownership map)", ["company", "ownership", "experts", "directory"],
     [("u.dokafor", "06-02 10:00"), ("u.pnair", "06-02 15:00"), ("u.dsilva", "09-20 10:00"),
      ("u.dokafor", "11-03 09:30")], """
Use this page to find the right person. Ask in the team channel first, then tag the person.

- Billing, invoices, refunds: Omar Garcia and Naomi Tanaka (ledger); Oliver Wright (Finance side);
Kate O'Brien (support).
- SSO, SAML, SCIM, login: Hana Kim and Marco Rossi; Aylin Yılmaz in support.
- Mobile SDKs: Sam Becker (Android), David Nguyen (iOS), Priya Raman (Android, React Native);
Irina Volkova (manager).
- Data export, Kafka, event pipeline, warehouse connectors: Lena Kowalski, Kwame Osei; Alex Chen
(manager).
- Dashboards and charts: Zoë Müller and Femi Adeyemi.
- Customer onboarding and checklists: Sam Johansson (product), Rachel Hughes (design), Femi Adeyemi.
- Pricing and plans: Lucie Moreau; for deals, Nicole Reyes.
- Public API and rate limits: Ravi Patel; Jordan Parker in support.
- GDPR, privacy, data retention: Thandi Nkosi and Grace White.
- On-call and incident process: Alex Romero and Camille Dubois.
- Hiring and HR policies: Yuki Sato (hiring), Beth Carter (leave, benefits, employee onboarding),
Helena Lindqvist.

Note there are two Alexes (Alex Chen, Platform manager, and Alex Romero, SRE), two Sams (Sam
Becker, Android, and Sam Johansson, Growth PM) and two Priyas (Priya Nair, VP Product, and Priya
Raman, Android). Use last names in tickets.
""")

wiki("glossary", "Glossary", ["company", "glossary", "reference"],
     [("u.pnair", "06-04 11:00"), ("u.lkowalski", "06-22 10:00"), ("u.sjohansson", "10-01 09:00")], """
- Workspace: a customer account; billing and access are per workspace. A workspace has projects.
- Project: one app or site sending events, with its own project key.
- Event: one tracked action (page_viewed, order_completed). The unit of billing.
- Distinct id: the identity of an end user or device.
- MTU: monthly tracked users, shown in usage reports, not used for billing since 2025.
- Activation: a new workspace completing 3 of 5 onboarding steps in 7 days.
- ledger: the billing service. gatekeeper: login and SSO. porter: exports. prism: query cache.
canvas: the dashboards frontend. enricher: the Flink job that enriches events. api-gw: the API
gateway with the rate limiter. ingest-gw: the ingest endpoint.
- IC: incident commander. SEV1-SEV4: incident severities.
- Demo Shop: the sample data project in every new workspace.
""")

# ---- restricted pages ----------------------------------------------------------------------

SECURITY_ONLY = {"public": False, "groups": ["security"]}
HR_ONLY = {"public": False, "groups": ["hr"]}
EXEC_ONLY = {"public": False, "groups": ["exec"]}

wiki("sec-postmortem-nightjar", "Security postmortem SEC-2026-07 (Nightjar): staging admin token exposed",
     ["security", "postmortem", "incident", "restricted"],
     [("u.gwhite", "08-27 10:00"), ("u.ewalsh", "08-27 16:00"), ("u.dokafor", "08-28 09:00")], """
Codename Nightjar. Restricted to the security group; do not discuss outside #security-private.

What happened: on Monday 24 August at 21:14 UTC a contractor working on the admin console
published a personal GitHub gist that contained a read token for the staging internal admin API.
An automated scanner picked it up 11 minutes later. From a VPS in a hosting provider's range the
attacker used the token to list 2,318 staging workspace names and 14 staging admin accounts, all
belonging to Lumenary employees. Staging holds synthetic data only; no production system or
customer data was reachable with this token.

Response: Eoin Walsh was paged by the GitHub secret-scanning alert at 21:40; the token was revoked
at 21:52, 38 minutes after the first malicious request. All staging admin tokens were rotated
by 23:30. Grace White led the incident; Daniel Okafor was informed that night.

Assessment: not notifiable under GDPR (no personal data of customers or end users; employee
emails of the 14 accounts were already public on the website). Customers were not informed.

Root causes: staging admin API reachable from the internet; long-lived token without IP
allow-listing; contractor laptop without our pre-commit secret scanning.

Actions: staging admin API behind the VPN (done 8/26); pre-commit secret scanning on all
contractor machines (done 8/31); quarterly access review of contractors (Grace, recurring);
include Nightjar scenario in the external penetration test by Redcliff Security in September.
""", access=SECURITY_ONLY)

wiki("security-pentest-2026", "External penetration test, September 2026 (Redcliff Security)",
     ["security", "pentest", "restricted"],
     [("u.ewalsh", "09-30 11:00"), ("u.gwhite", "10-01 09:30")], """
Redcliff Security tested app.beacon.example, api.beacon.example and the SDK ingest endpoints
from 7 to 18 September. Report delivered 25 September.

Findings: 0 critical, 2 high, 4 medium, 6 low.
- High: insecure direct object reference on dashboard share links; a share token for one
dashboard could be replayed against another dashboard id in the same workspace. Fixed 22
September by binding the token to the dashboard id.
- High: SCIM endpoint accepted a token after the workspace owner rotated it, for up to 10 minutes,
because of a cache. Fixed 24 September.
- Mediums: missing rate limit on password reset, verbose error on the export API, two outdated
JavaScript dependencies, and CSP allowing inline styles in canvas.

The Nightjar scenario (leaked staging token) was retested: the staging admin API is no longer
reachable from the internet. Retest of the highs is booked for 2 December.
""", access=SECURITY_ONLY)

wiki("salary-bands-2026", "Salary bands 2026 (Dublin and Lisbon)", ["hr", "pay", "restricted"],
     [("u.hlindqvist", "07-01 09:00"), ("u.rcastillo", "07-03 10:00"), ("u.hlindqvist", "09-30 15:00")], """
Confidential: HR group only. Managers get the salary band for their own reports from Helena
Lindqvist during review season; do not copy this table into other documents.

Engineering salary band per level (Dublin, EUR gross per year; Lisbon is 78% of Dublin):
| L2 Engineer | 58,000 - 70,000
| L3 Engineer | 68,000 - 82,000
| L4 Senior Engineer | 82,000 - 98,000
| L5 Staff Engineer | 98,000 - 118,500
| L6 Principal Engineer | 118,500 - 142,000
| M1 Engineering Manager | 105,000 - 128,000
| M2 Senior Engineering Manager | 124,000 - 142,000

Go-to-market salary band (base; sales roles add on-target commission of 40-50% of base):
| Support Engineer | 44,000 - 58,000
| Senior Support Engineer | 56,000 - 68,000
| Account Executive | 62,000 - 78,000
| Product Manager | 88,000 - 112,000

The 2026 review moved every band up 4%. Offers above the midpoint of a salary band need approval
from Helena Lindqvist and Rosa Castillo. New bands take effect on 1 October 2026.
""", access=HR_ONLY)

wiki("project-halcyon", "Project Halcyon: proposed acquisition of Quillmetrics", ["strategy", "exec", "restricted"],
     [("u.mhartley", "09-14 08:00"), ("u.rcastillo", "09-16 17:00"), ("u.dokafor", "10-05 11:00"),
      ("u.mhartley", "10-29 19:30")], """
Exec only. Project Halcyon is the proposed acquisition of Quillmetrics, a 9-person session replay
startup in Berlin. Do not mention the name outside #exec-private, even in DMs.

Why: session replay is the feature most often requested by Growth and Enterprise prospects (lost
or stalled deals mentioning it in Q3: 23). Building it ourselves was estimated at 14 months for a
team of 5. Quillmetrics has a working recorder SDK for web and a privacy-masking engine that
matches our GDPR posture.

Terms: term sheet signed on 28 October. €6.5M total: €4.2M cash at close and €2.3M in stock
vesting over two years for the four founders and key engineers. Seven of nine employees have
accepted offers in principle. Exclusivity until 15 January 2027.

Timeline: board approval on 12 November; due diligence (legal, security with Grace White,
financial with Rosa Castillo) until mid-December; close targeted for January 2027; the product
launched as Beacon Replay in Q2 2027.

Risks: integration of their Postgres-based storage into our ClickHouse pipeline (Daniel's
estimate: one quarter); cash runway drops from 26 to 19 months after close; customer perception
if the replay recorder affects page performance.
""", access=EXEC_ONLY)

wiki("board-update-q3-2026", "Board update Q3 2026 (exec notes)", ["exec", "board", "restricted"],
     [("u.rcastillo", "10-09 16:00"), ("u.mhartley", "10-11 10:00")], """
Exec only. Notes for the board meeting on 12 November.

Q3 numbers: ARR $7.8M (+9% quarter on quarter), 2,612 paying workspaces, net revenue retention
112%, gross margin 78%. Burn $410k per month, runway 26 months before Halcyon.

Incidents: INC-2026-041 (double charges, 431 workspaces) cost $9,600 in goodwill credits; 11
workspaces cancelled in October citing billing trust, about $41k of ARR. The Android SDK
incident in September did not cause measurable churn.

Growth plan price change on 1 September: 3.2% of affected customers downgraded to Starter, well
below the 8% we modelled.

Asks for the board: approve the Quillmetrics acquisition (Project Halcyon, term sheet attached);
approve hiring plan of 8 roles for H1 2027.
""", access=EXEC_ONLY)


# --------------------------------------------------------------------------------------------
# slack
# --------------------------------------------------------------------------------------------

CHANNELS: dict[str, tuple[str, dict[str, Any]]] = {
    "general": ("C0GENERAL", {"public": True}),
    "platform": ("C0PLATFORM", {"public": True}),
    "mobile": ("C0MOBILE", {"public": True}),
    "support": ("C0SUPPORT", {"public": True}),
    "billing-team": ("C0BILLING", {"public": True}),
    "sales": ("C0SALES", {"public": True}),
    "incidents": ("C0INCIDENTS", {"public": True}),
    "exec-private": ("G0EXECPRIV", EXEC_ONLY),
    "security-private": ("G0SECPRIV", SECURITY_ONLY),
    "dm-dokafor-eharris": ("D0OKAFHARR", {"public": False, "users": ["u.dokafor", "u.eharris"]}),
}

SLACK: list[dict[str, Any]] = []
_slack_rng = random.Random(SEED + 1)
_MENTION = {f"@{name}": pid for pid, name in NAME.items()}


def thread(channel: str, start: str, messages: list[tuple[str, str]]) -> None:
    """One Slack thread: ``messages`` are ``(person id, text)`` in order, a few minutes apart."""
    channel_id, access = CHANNELS[channel]
    moment = t(start)
    lines, contributions, seen = [], [], set()
    first_at = moment
    for i, (pid, text) in enumerate(messages):
        if i:
            moment += timedelta(minutes=_slack_rng.choice([1, 2, 3, 4, 6, 8, 11, 15, 22, 35]))
        lines.append(f"{NAME[pid]}: {text}")
        role = "author" if i == 0 else "replier"
        if (pid, role) not in seen and not (role == "replier" and (pid, "author") in seen):
            seen.add((pid, role))
            contributions.append({"person": pid, "role": role, "at": iso(moment)})
        for handle, mentioned in _MENTION.items():
            if handle in text and mentioned not in {c["person"] for c in contributions}:
                contributions.append({"person": mentioned, "role": "mentioned", "at": iso(moment)})
    stamp = int(first_at.timestamp())
    native = f"{stamp}.000100"
    while any(doc["id"].endswith(f"{channel_id}-{native}") for doc in SLACK):
        stamp += 1
        native = f"{stamp}.000100"
    first = messages[0][1]
    short = first if len(first) <= 80 else first[:77].rsplit(" ", 1)[0] + "…"
    label = "DM" if channel.startswith("dm-") else f"#{channel}"
    SLACK.append({
        "id": f"slack:{channel_id}-{native}",
        "source": "slack",
        "kind": "thread",
        "title": f"{label}: {short}",
        "text": "\n".join(lines),
        "url": f"https://lumenary.slack.example/archives/{channel_id}/p{native.replace('.', '')}",
        "created_at": iso(first_at),
        "updated_at": iso(moment),
        "contributions": contributions,
        "access": access,
        "audience": "internal",
        "meta": {"channel": "dm" if channel.startswith("dm-") else channel,
                 "message_count": len(messages)},
    })


# ---- #general -----------------------------------------------------------------------------

thread("general", "06-01 09:00", [
    ("u.mhartley", "Good morning all! H2 priorities, as discussed at the offsite: 1) Dashboards 2.0 shipped to everyone in Q4, 2) SDK quality: host-app crash-free sessions at 99.8% or better, 3) billing reliability, 4) fix the Okta SSO loop for good, 5) lift activation from 41% to 50%. Full doc on the wiki under company-handbook."),
    ("u.dokafor", "Engineering owners for each: Zoë for dashboards, Irina for SDKs, Omar for billing, Hana for SSO, and Sam Johansson with Femi for activation."),
    ("u.pnair", "And pricing changes land 1 September, Lucie will share the plan in July."),
    ("u.dsilva", "From support: the Okta loop and slow dashboards are our top two ticket drivers right now, so thank you for putting them on the list."),
])
thread("general", "06-15 08:45", [
    ("u.bcarter", "Please welcome Priya Raman, who joins Mobile today as an Android Engineer! Priya was previously building payment SDKs and loves Kotlin coroutines. Her buddy is Sam Becker."),
    ("u.ivolkova", "So happy to have you Priya! First week: Android SDK repo tour, then the React Native wrapper."),
    ("u.pnair", "Welcome! And yes, we now have two Priyas, so last names in tickets please 🙂"),
    ("u.praman", "Thank you all! Looking forward to it."),
])
thread("general", "07-16 10:00", [
    ("u.tnkosi", "Reminder: the annual security and privacy training is due by 31 July. It takes about 40 minutes. 11 people have not done it yet; I will DM you this week."),
    ("u.ewalsh", "New this year: a module on secrets in code and how to use the pre-commit scanner. Worth it even if you think you know it."),
    ("u.hlindqvist", "Completion is part of everyone's H2 goals, so please do it before the deadline."),
])
thread("general", "08-03 14:00", [
    ("u.rpatel", "Heads up: today we announced the deprecation of API v1. Shutdown is 31 January 2027, brownouts on 8 December and 12 January. Customers get the Sunset header on every v1 response from today. Details on the wiki page api-v1-deprecation."),
    ("u.jparker", "Support macro for v1 questions is ready, it links the migration guide. I will email the top 50 workspaces by v1 traffic every two weeks."),
    ("u.nreyes", "Can we give enterprise accounts more time if they ask?"),
    ("u.rpatel", "Yes, token-level exceptions until 31 March 2027. Ask me in #platform with the workspace id."),
])
thread("general", "09-01 09:05", [
    ("u.lmoreau", "New pricing is live 🎉 Team is now Growth at $399/month with unlimited seats; Starter and Free unchanged. Existing Team customers keep $349 until their first renewal after 1 October. FAQ for customer questions: wiki pricing-faq-for-sales."),
    ("u.kobrien", "Thanks Lucie. What do we say to monthly customers who renew every month? Is their 'first renewal after 1 October' in October?"),
    ("u.lmoreau", "Yes, monthly customers move to $399 at their October renewal. They were all emailed on 31 July with 30+ days notice. If someone is upset, offer annual (two months free), that is usually cheaper than what they paid before."),
    ("u.tbrennan", "Sales has the same guidance. Please flag any churn threats in #sales."),
])
thread("general", "09-08 11:30", [
    ("u.ysato", "Hiring push! We are looking for a Senior Android Engineer, a Data Engineer, a Support Engineer in EMEA and an Account Executive in the US. Referral bonus is €2,000 after the hire's 90th day. Refer via the form in the ATS."),
    ("u.ivolkova", "The Android role is the urgent one: we need a second senior person on the SDK."),
    ("u.achen", "Data Engineer will work with Kwame on the enricher and the warehouse connectors. Kafka experience is a plus, not a must."),
])
thread("general", "09-22 16:10", [
    ("u.ivolkova", "Android SDK 4.2.1 is out with the fix for the startup crash (WorkManager initialisation) from 4.2.0. Thank you Sam Becker and Priya Raman for a very long week, and Aylin for handling the flood of tickets. The ANR fix follows in 4.2.2 next Tuesday."),
    ("u.dsilva", "Support saw 140 tickets about it. We have a macro that tells customers to upgrade to 4.2.1 and explains the remaining ANR."),
    ("u.dokafor", "Postmortem on Friday. Short version: we skipped the canary. We won't again."),
])
thread("general", "10-08 12:00", [
    ("u.mhartley", "Everyone, a note on this week's billing incident (INC-2026-041). A change in our payment retry worker charged 431 workspaces twice. All duplicates are being refunded automatically, and every affected workspace gets a 10% credit. I emailed the affected customers this morning. The postmortem is on the wiki. This one hurt customers' trust, so please be patient and generous in any conversation about it."),
    ("u.ogarcia", "Refund status: 1,147 of 1,184 refunded automatically, the remaining 37 are being done by hand today."),
    ("u.kobrien", "If a customer asks where their refund is: card refunds take 5-10 business days to show. Kate, Diego or Oliver can look up the refund reference."),
    ("u.lpham", "Social is loud: lots of posts about the double charge since Tuesday. I am replying with a link to the status page and the email."),
])
thread("general", "10-22 09:00", [
    ("u.bcarter", "Friendly reminder that tomorrow, 23 October, is a Recharge Friday. The whole company is off. On-call is covered by Alex Romero and Kwame Osei."),
    ("u.aromero", "Confirmed, have a good long weekend!"),
])
thread("general", "11-02 15:05", [
    ("u.zmuller", "Dashboards 2.0 is live for everyone! 🎉 Drag-and-drop grid, cross-filtering, retention heatmaps, Sankey paths, and charts that load in under a second. Huge thanks to Femi, Rachel, Sam Johansson and the 30 beta workspaces."),
    ("u.sjohansson", "Blog post and in-app announcement are out. The classic layout stays available for 30 days behind 'Switch back to classic'."),
    ("u.kfischer", "Launch email went to 9,800 workspace owners at 15:00 UTC."),
    ("u.mhartley", "Congratulations team. This was the number one thing customers asked for."),
])
thread("general", "11-09 10:15", [
    ("u.lpham", "Week one of Dashboards 2.0 on social: about 80 positive posts and reviews, almost no negative ones. Most praised: cross-filtering, speed, the retention heatmap. Top asks: dark mode and copying charts between dashboards."),
    ("u.lpham", "Less happy: the Okta login loop keeps coming up every week, slowly but steadily, and a few people still mention the double charge."),
    ("u.hkim", "Thanks Linh. The full Okta fix (stateless RelayState) is on track for gatekeeper 1.34 in December."),
    ("u.zmuller", "Dark mode is on the December list; copy-to-dashboard too."),
])

# ---- #platform ----------------------------------------------------------------------------

thread("platform", "06-23 10:30", [
    ("u.wosei", "Schema v3 cutover: all SDKs and ingest-gw produce v3 now. I plan to switch off the v2 producers on 30 June. Last week v2 traffic was 0.02% of events, all from two workspaces on a very old Android SDK."),
    ("u.lkowalski", "+1. Did we tell those two workspaces?"),
    ("u.jparker", "Yes, both emailed on the 15th; one upgraded, the other one is a test app."),
    ("u.wosei", "Great, going ahead on the 30th. Registry subjects for v2 will be kept read-only for 90 days."),
])
thread("platform", "07-06 11:30", [
    ("u.rpatel", "Design review for the new rate limiter in api-gw: token bucket per API token in Redis, GCRA in one Lua script, burst to 2x for 10 seconds. Doc: wiki rate-limiter-design. Comments by Thursday please."),
    ("u.cdubois", "What happens when Redis is down?"),
    ("u.rpatel", "Fail open for 5 minutes with a per-pod in-memory bucket, then fail closed with 503 and page platform-primary."),
    ("u.achen", "Why per token instead of per workspace?"),
    ("u.rpatel", "Customers run several integrations; one noisy backfill script should not starve their BI tool. We keep a workspace-wide ceiling at 5x the token limit."),
    ("u.cdubois", "Works for me. Please add a dashboard for 429s per plan before rollout."),
])
thread("platform", "07-21 14:00", [
    ("u.achen", "On-call change: from August, Kwame and Ravi join the platform-primary rotation, which brings us to 8 people. Each of you shadows Alex Romero for one week first."),
    ("u.aromero", "Shadow weeks: Kwame 27 July, Ravi 3 August. I will walk you through PagerDuty and the runbooks."),
    ("u.wosei", "👍"),
    ("u.rpatel", "Sounds good."),
])
thread("platform", "08-19 09:40", [
    ("u.lkowalski", "Follow-up from INC-2026-033: I deleted events.debug and added a Terraform policy that rejects retention.ms=-1 and any topic without an owner tag. Manual topic creation via the CLI is blocked by ACL now."),
    ("u.aromero", "Disk alert moved from 90% to 80% on all brokers."),
    ("u.achen", "Thanks both. Lena, can you also add the broker disk forecast to the pipeline dashboard?"),
    ("u.lkowalski", "Done: 'kafka / capacity', 14-day forecast per broker."),
])
thread("platform", "08-31 15:20", [
    ("u.jparker", "Customer Quantly Retail: their S3 export fails every night with AccessDenied. They say the bucket policy grants s3:PutObject to our porter role. Any ideas?"),
    ("u.lkowalski", "porter also needs s3:GetBucketLocation on the bucket itself (not on bucket/*). That is the usual one. Check the error in the export log: if it's on the GetBucketLocation call, that's it."),
    ("u.jparker", "That was it. Added to the export page on the wiki too."),
    ("u.lkowalski", "Thanks. I will make porter's error message say which permission is missing."),
])
thread("platform", "09-09 10:50", [
    ("u.jparker", "Enterprise customer Orbitly asks to raise their API limit from 3,000 to 6,000 requests per minute on one token. They sync cohorts into their CRM every 15 minutes."),
    ("u.rpatel", "Looked at their traffic: peaks of 4,200/min for about 2 minutes every 15 minutes, nothing in between. I'm fine raising that token to 6,000. Please ask them to add jitter so they don't all hit at :00."),
    ("u.jparker", "Will do. Raised?"),
    ("u.rpatel", "Config change deployed, effective now."),
])
thread("platform", "09-24 11:00", [
    ("u.wosei", "ClickHouse 24.8 upgrade plan: EU replicas first on 6 October, US on 13 October, one replica at a time, no downtime expected. Rollback is a restart on the old image."),
    ("u.dokafor", "6 October is the day after the billing release, and ledger reads usage from ClickHouse. Can we move it a week?"),
    ("u.wosei", "Good point, moving to 13 and 20 October."),
    ("u.achen", "Thanks, that turned out to be a good call."),
])
thread("platform", "10-14 10:20", [
    ("u.ogarcia", "Proposal after INC-2026-041: a small shared idempotency library for every service that calls external APIs that move money or send messages (ledger → Stripe, notifier → Postmark). Keys derived from business ids, stored with the response for 24 hours."),
    ("u.rpatel", "api-gw already has idempotency for POST /exports, happy to merge that in."),
    ("u.cdubois", "+1, and a lint rule that flags Stripe calls without idempotency_key."),
    ("u.eharris", "Let's do it in Q4. Omar owns it."),
])
thread("platform", "10-21 16:00", [
    ("u.rpatel", "Contract tests for api-gw are merged: every 429 must include Retry-After and the three X-RateLimit headers, checked in CI against all plans. This is what we were missing for INC-2026-042."),
    ("u.jparker", "Thank you. I've replied to the 9 tickets about missing Retry-After."),
    ("u.cdubois", "Nice. Please add it to the postmortem action items as done."),
])
thread("platform", "11-11 09:10", [
    ("u.jparker", "Customer Stackbay wants a 90-day backfill into their BigQuery connector, roughly 400M events. Their backfill from last week has been 'queued' for two days."),
    ("u.lkowalski", "There's a 2-concurrent-backfill limit per workspace and they already had two file-export backfills running. I've bumped their connector job to the front."),
    ("u.wosei", "400M into BigQuery is fine; it'll take about 5 hours. I'll watch the load jobs."),
    ("u.jparker", "Thanks both, I'll let them know it's running."),
])

# ---- #mobile ------------------------------------------------------------------------------

thread("mobile", "07-21 13:00", [
    ("u.dnguyen", "iOS SDK 3.8.0 is out: privacy manifest updated for the new required-reason API categories, flush interval configurable down to 5 seconds, and the offline queue now survives a crash during write."),
    ("u.ivolkova", "Nice work David. Binary size?"),
    ("u.dnguyen", "1.1 MB, down from 1.8 MB in 3.6 after dropping the bundled JSON library."),
])
thread("mobile", "08-18 10:00", [
    ("u.praman", "React Native wrapper 2.4.0 released: supports the new architecture (TurboModules), and falls back to the bridge on older apps. Tested on RN 0.74 to 0.76."),
    ("u.sbecker", "Great, that was the most common question in support."),
    ("u.ayilmaz", "Updating the macro now, thanks Priya!"),
])
thread("mobile", "09-15 10:20", [
    ("u.sbecker", "Android SDK 4.2.0 is published to Maven Central. Flushing now uses WorkManager, batches are smaller and the SDK is ready for the new event batching. We skipped the 5-day canary to make the date we promised Shipfast Labs; internal apps look fine."),
    ("u.ivolkova", "OK from my side for this one, but let's watch Play Console numbers closely this week."),
    ("u.praman", "I'll keep an eye on the design partners' crash dashboards."),
])
thread("mobile", "09-16 08:30", [
    ("u.ayilmaz", "We have 19 tickets overnight about Android 4.2.0 crashing at startup. Stack trace: java.lang.IllegalStateException: WorkManager is not initialized properly ... at com.beacon.sdk.flush.FlushScheduler.schedule. All of them use a custom Configuration.Provider."),
    ("u.sbecker", "Got it. Beacon.init calls WorkManager.getInstance() immediately; with on-demand initialisation the host app's provider isn't ready if they init Beacon in attachBaseContext or a ContentProvider. Our internal apps use default init, which is why we never saw it."),
    ("u.ivolkova", "Declaring an incident. Workaround for customers in the meantime?"),
    ("u.sbecker", "Pin 4.1.3, or call Beacon.init after super.onCreate() in Application. Fix: lazy init, never touching WorkManager before the host app does. I can have 4.2.1 ready for canary tomorrow."),
    ("u.ayilmaz", "Sending the workaround to everyone now."),
])
thread("mobile", "09-18 14:40", [
    ("u.praman", "Second problem in 4.2.0: ANRs on Android 14, mostly Pixels. onTrimMemory flushes the offline queue synchronously on the main thread. Apps with big offline queues (over 5,000 events) block for 5+ seconds."),
    ("u.sbecker", "Ugh, that path was supposed to be tiny. Let's move it to a background executor and cap any synchronous flush at 500 events."),
    ("u.ivolkova", "4.2.1 ships the crash fix Tuesday; the ANR fix goes in 4.2.2 a week later with the full canary. I don't want to rush a second change."),
    ("u.praman", "Agreed. I'll add a test app with a Configuration.Provider and a 10k-event queue to the device matrix."),
])
thread("mobile", "09-29 15:00", [
    ("u.sbecker", "Android SDK 4.2.2 is out: trim-memory flush moved off the main thread, synchronous flush capped at 500 events, and the queue writes through immediately so events survive a force-stop. Canary ran 5 days on 8 apps, no ANR clusters."),
    ("u.ayilmaz", "Emailing the 212 workspaces still on 4.2.0 or 4.2.1."),
    ("u.ivolkova", "Thanks both. Crash-free sessions across the top 50 apps are back at 99.8%."),
])
thread("mobile", "10-13 11:00", [
    ("u.dnguyen", "iOS binary size plan for 3.9: move session properties into an optional module and drop our own gzip in favour of the system compression API. Estimate: 1.1 MB → 0.8 MB."),
    ("u.ivolkova", "Love it. Anything that changes the public API?"),
    ("u.dnguyen", "Only an import for the optional module. I'll document it in the migration notes."),
])
thread("mobile", "11-12 10:00", [
    ("u.ivolkova", "Planning Android 4.3.0 for 24 November: configurable flush interval on Android (parity with iOS) and a smaller offline queue format. Canary starts 17 November with the 3 internal apps and 5 design partners. No exceptions this time."),
    ("u.sbecker", "I'll cut the release branch Thursday the 12th."),
    ("u.praman", "Device matrix now includes the Configuration.Provider app and Android 15."),
])

# ---- #billing-team ------------------------------------------------------------------------

thread("billing-team", "06-30 10:15", [
    ("u.kobrien", "Customer Greenhollow needs a PO number on every invoice for procurement. Can we do that?"),
    ("u.ntanaka", "Yes: Billing settings → Invoice details → 'PO number'. It prints on every invoice from then on. For past invoices I can regenerate the PDF with ledger-cli for the last 90 days."),
    ("u.kobrien", "Perfect, they need the last two regenerated."),
    ("u.ntanaka", "Done, both PDFs regenerated."),
])
thread("billing-team", "07-22 09:30", [
    ("u.ntanaka", "VIES (the EU VAT checker) has been down since last night. New VAT IDs are saved as 'pending' and re-checked every 6 hours. Invoices finalized meanwhile charge Irish VAT at 23%."),
    ("u.owright", "I'll issue credit notes for those once the IDs validate. Please send me the list tomorrow."),
    ("u.kobrien", "Got one ticket already. I'll tell them a credit note is coming."),
])
thread("billing-team", "08-12 14:10", [
    ("u.ntanaka", "Found a proration bug: switching from monthly to annual in the middle of the month doesn't credit the unused days of the monthly period, so customers pay for ~2 weeks twice. Affects 23 workspaces since June."),
    ("u.ogarcia", "Good catch. Fix in ledger 2.12.3; can you script the credits for the 23?"),
    ("u.ntanaka", "Script ready, total $1,486.40 in credits. Oliver, OK to apply?"),
    ("u.owright", "Approved. Please put the reason on each credit note."),
])
thread("billing-team", "10-02 16:00", [
    ("u.ogarcia", "ledger v2.14.0 goes out Monday 5 October at 09:30 UTC. Main change: payment retries move from the cron job to a queue-based worker, so retries are spread over the day instead of all at 04:00."),
    ("u.ntanaka", "Reviewed. The worker waits 90 seconds for the succeeded webhook before treating an attempt as failed."),
    ("u.eharris", "Rollback plan?"),
    ("u.ogarcia", "Redeploy v2.13.3; the worker is stateless, nothing to migrate."),
])
thread("billing-team", "10-06 11:05", [
    ("u.kobrien", "Escalation: 23 tickets since yesterday about customers charged twice for the same invoice. Two succeeded payments in Stripe, same amount, minutes apart. Started yesterday afternoon. @Omar Garcia @Naomi Tanaka"),
    ("u.ogarcia", "Looking. That's the day v2.14.0 went out."),
    ("u.ogarcia", "Found it. When the webhook is later than 90 seconds the worker retries, and the retry path builds a new PaymentIntent without the original idempotency key. Stripe webhooks have been slow since yesterday morning, up to 40 minutes, so nearly every late webhook turned into a second charge."),
    ("u.ntanaka", "Query says 1,184 invoices in 431 workspaces so far. Pausing the retry worker now."),
    ("u.eharris", "Declare an incident, this is SEV1 territory. Roll back to v2.13.3."),
    ("u.owright", "Finance here. Please don't refund by hand yet, I want one list so the books match. Omar, can you script it?"),
    ("u.ogarcia", "Yes: refund_duplicates.py, refunds the second PaymentIntent for each invoice, dry-run first."),
])
thread("billing-team", "10-07 17:30", [
    ("u.ogarcia", "Refund status: refund_duplicates.py refunded 1,147 duplicate payments, total $93,980.10. 37 failed because the cards were reissued or closed; Oliver is handling those by bank transfer."),
    ("u.owright", "37 manual refunds will be done by Friday. I'll reconcile against Stripe's balance report."),
    ("u.kobrien", "Support macro updated with 'refund issued, 5-10 business days, and a 10% credit on your next invoice'."),
])
thread("billing-team", "10-09 15:00", [
    ("u.owright", "Reconciliation done: 1,184 duplicates, $96,412.50 refunded in total. Stripe does not return the processing fees on refunds, which cost us $2,870. Goodwill credits (10%) total about $9,600 and will apply on next invoices."),
    ("u.rcastillo", "Thanks Oliver. Please book the fees as incident cost so we can see it in the Q4 report."),
])
thread("billing-team", "10-14 09:00", [
    ("u.ogarcia", "ledger v2.14.1 shipped yesterday: idempotency keys on every payment call (inv_<invoice_id>_attempt_<n>), the duplicate-payment alert is live, and the retry worker ran 24 hours in shadow mode before taking over. The release checklist is on the wiki: billing-release-checklist."),
    ("u.ntanaka", "Shadow diff was empty for 3,902 invoices."),
    ("u.kobrien", "Thank you. Zero duplicate-charge tickets since Friday."),
])
thread("billing-team", "11-04 11:20", [
    ("u.ntanaka", "Dunning email redesign: clearer subject lines, the exact date the workspace becomes read-only (day 21), and a link straight to update the card. Copy reviewed by Kate."),
    ("u.kobrien", "Also sends to all billing contacts, not only the owner. That alone would have avoided half the 'suspended without warning' tickets."),
    ("u.ogarcia", "LGTM. Ship after the shadow period per the checklist."),
])

# ---- #sales ---------------------------------------------------------------------------------

thread("sales", "06-09 15:30", [
    ("u.nreyes", "Approval request: Northpine, Enterprise annual, 120M events a month, list $38,000. They ask for 22% off; competitor quote is about 20% below our list. Reason: 3-year relationship potential, they're a reference in banking."),
    ("u.tbrennan", "Approved at 20% if they agree to be a public case study. 22% without."),
    ("u.nreyes", "They took 20% with the case study 🎉"),
])
thread("sales", "07-29 11:00", [
    ("u.mlarsen", "Prospect on Growth wants SSO but can't justify Enterprise. Is the add-on available yet?"),
    ("u.lmoreau", "Yes, SSO add-on on Growth is $150/month from 1 September. SCIM stays Enterprise-only."),
    ("u.mlarsen", "Great. They use Okta; anything I should warn them about?"),
    ("u.hkim", "The login loop with IdP-initiated login (IDN-482). Tell them to set Default RelayState to '/' in Okta and it's mostly fine. A permanent fix is on our roadmap."),
])
thread("sales", "08-11 13:40", [
    ("u.mlarsen", "Security questionnaire from a German insurer: they want EU residency, the DPA, sub-processor list, and deletion timelines."),
    ("u.tnkosi", "EU residency: Frankfurt, contractual on Growth and Enterprise. DPA v3.1 with SCCs. Sub-processors: AWS, Stripe, Zendesk, Postmark, Cloudflare, Sentry. Deletions within 30 days legally, 7 days target, median 2.5 days."),
    ("u.mlarsen", "And backups?"),
    ("u.tnkosi", "35 days, encrypted, same region. I'll review the final answers before you send them."),
])
thread("sales", "09-03 10:00", [
    ("u.nreyes", "Getting pushback on the Growth price increase from three accounts. One says $349 → $399 for the same features is a non-starter."),
    ("u.lmoreau", "They keep $349 until their first renewal after 1 October. Annual Growth is $3,990, cheaper than 12 x $349. And unlimited seats is new for anyone who had more than 15."),
    ("u.tbrennan", "If they still want to leave, approval for 10% on annual is pre-granted this month."),
])
thread("sales", "10-07 09:30", [
    ("u.tbrennan", "Prospects are asking about the double-charge posts they've seen. Talking points?"),
    ("u.kobrien", "What happened: a billing release on 5 October charged some customers twice. All duplicates refunded automatically, plus a 10% credit. Fix shipped with idempotency keys and new release checks."),
    ("u.ogarcia", "And we now alert on any duplicate payment within minutes. Happy to join a call with a prospect's finance team if that helps."),
    ("u.tbrennan", "Perfect, thanks both."),
])
thread("sales", "10-27 14:15", [
    ("u.mlarsen", "Prospect (logistics, ~200M events a month) needs 5,000 API requests per minute for a nightly sync. Is that possible on Enterprise?"),
    ("u.rpatel", "Yes, Enterprise default is 3,000 per token and we raise it on request after looking at the pattern. For a nightly sync the export API is usually the better tool anyway: 10 concurrent jobs, no per-minute limit."),
    ("u.mlarsen", "Great, I'll propose both."),
])
thread("sales", "11-05 16:40", [
    ("u.nreyes", "Closed Parcelpoint, Growth annual! Their PM said the Dashboards 2.0 demo (cross-filtering on the funnel) is what sold it."),
    ("u.zmuller", "🎉 Love hearing that."),
    ("u.tbrennan", "Great work Nicole. Please use the dashboards demo in every Growth deal this month."),
])

# ---- #incidents ---------------------------------------------------------------------------

thread("incidents", "07-27 09:00", [
    ("u.cdubois", "On-call housekeeping: from today the KafkaConsumerLagHigh threshold is 500,000 messages for 10 minutes (was 1M for 5), and ExportLate is low-urgency until one hour late. Swaps go in PagerDuty and here."),
    ("u.aromero", "Also: handoff notes every Monday at 10:00 Dublin, in this channel."),
])
thread("incidents", "08-18 03:25", [
    ("u.aromero", "Declaring INC-2026-033 (SEV2): kafka-eu1-4 disk full, enricher lag at 1.8M and growing. Ingest is fine, ingest-gw is buffering. I'm IC. @Lena Kowalski paged."),
    ("u.lkowalski", "Here. It's events.debug, 1.1 TB, retention -1. Someone's staging job is producing into prod. Deleting the topic after checking nobody consumes it."),
    ("u.aromero", "Lag peaked at 3.2M at 04:40, draining now at ~150k/s."),
    ("u.lkowalski", "Lag at zero at 05:55. EU exports will be about 6 hours late; they're starting now."),
    ("u.jparker", "Status page updated at 08:30, sorry for the delay. Macro for late exports sent to 31 tickets."),
])
thread("incidents", "09-08 13:20", [
    ("u.mrossi", "INC-2026-037 (SEV2): GatekeeperLoginErrorRate firing, 14% of SAML logins failing with SAML_AUDIENCE_MISMATCH since the gatekeeper 1.29 deploy at 13:02. Rolling back."),
    ("u.hkim", "The new metadata URL normalisation strips the trailing slash from Entity IDs; some IdPs were configured with it."),
    ("u.mrossi", "Rollback done 13:27, error rate back to 0.3%. 25 minutes of impact."),
    ("u.hkim", "Fix: accept both forms. Postmortem light, I'll write it."),
])
thread("incidents", "09-16 09:10", [
    ("u.ivolkova", "Declaring INC-2026-038 (SEV2): Android SDK 4.2.0 crashes host apps at startup when they use a custom WorkManager Configuration.Provider. Sam Becker is ops lead, Aylin on comms."),
    ("u.ayilmaz", "Status page and a pinned forum post with the workaround (pin 4.1.3 or init after super.onCreate)."),
    ("u.sbecker", "4.2.1 with lazy init is in canary with the internal apps plus two affected customers who volunteered."),
    ("u.ivolkova", "Median crash-free sessions across the top 50 apps: 97.1%. Target to close the incident: back above 99.7%."),
])
thread("incidents", "10-06 14:05", [
    ("u.cdubois", "Declaring INC-2026-041: customers charged twice for one invoice after ledger v2.14.0. IC: Camille. Ops: Omar. Comms: Kate. Channel #inc-2026-041-double-charges. SEV2 for now."),
    ("u.ogarcia", "Retry worker paused at 14:02. Rolling back to v2.13.3."),
    ("u.cdubois", "Raising to SEV1 at 15:00: more than 100 workspaces affected and it's money. Exec informed."),
    ("u.ogarcia", "Rollback complete at 16:20. No new duplicates since the pause."),
    ("u.kobrien", "Status page posted 14:20, updated every 30 min. 96 tickets so far."),
])
thread("incidents", "10-12 10:00", [
    ("u.aromero", "On-call handoff (Alex Romero → Kwame Osei). Quiet week apart from INC-2026-041. Open: duplicate-payment alert is new, it's tuned to fire on 1 invoice; Omar is the contact. Noisy: ExportLate flapped twice on Wednesday for the US region, nothing actionable."),
    ("u.wosei", "Thanks, got it."),
])
thread("incidents", "10-20 13:45", [
    ("u.rpatel", "INC-2026-042 (SEV3): after api-gw 3.9 went out at 12:53, 429 responses have no Retry-After header. Clients that rely on it back off badly. Rolling forward with 3.9.1."),
    ("u.jparker", "Seeing tickets from 3 customers with retry storms."),
    ("u.rpatel", "3.9.1 out at 13:45, 52 minutes of impact. Contract test to follow."),
])
thread("incidents", "11-03 16:10", [
    ("u.zmuller", "INC-2026-044 (SEV2): dashboard chart p95 at 6 seconds since 15:20. prism cache entries expire in lockstep, every popular dashboard re-queries ClickHouse at the same minute (launch traffic, 4x the usual)."),
    ("u.wosei", "ClickHouse query queue at 180. Raising max_concurrent_queries temporarily."),
    ("u.zmuller", "Deployed request coalescing and 0-30 s random jitter on the TTL at 16:05. p95 back to 0.9 s at 16:10. 50 minutes of impact."),
    ("u.kobrien", "Closing the status page entry."),
])
thread("incidents", "11-10 07:05", [
    ("u.lkowalski", "INC-2026-045 (SEV3): EU daily exports running late, ClickHouse merges backed up after last night's partition drop for retention. Expected about 2 hours late."),
    ("u.jparker", "Status page posted, following the 'more than one hour late' rule."),
    ("u.lkowalski", "All EU exports complete at 08:05 UTC. Tuning the retention job to drop partitions in smaller batches."),
])

# ---- #support -----------------------------------------------------------------------------

thread("support", "07-14 10:40", [
    ("u.ayilmaz", "Pebblestack reports their users bouncing between Okta and Beacon in a loop ('too many redirects') when they click the Beacon tile. SP-initiated login works fine. Any ideas? @Hana Kim"),
    ("u.hkim", "Interesting. Can you get a SAML trace? I suspect the login state cookie isn't sent back on the POST to the ACS URL."),
    ("u.ayilmaz", "Trace attached to the ticket. The assertion looks valid, gatekeeper logs SAML_STATE_MISSING."),
    ("u.hkim", "Yes, the state cookie is SameSite=Lax and gets dropped on the cross-site POST in some browsers. Opened IDN-482. Workaround for now: log in from app.beacon.example/sso/<slug>."),
])
thread("support", "07-20 14:30", [
    ("u.jparker", "BigQuery connector for a customer fails with 'Access Denied: User does not have bigquery.jobs.create permission'. They did grant dataEditor on the dataset."),
    ("u.wosei", "They also need roles/bigquery.jobUser on the project; jobs are created at project level. dataEditor alone is not enough."),
    ("u.jparker", "Fixed. Adding that to the macro."),
])
thread("support", "07-23 11:00", [
    ("u.jparker", "Starter customer keeps hitting 429s writing a backfill script against /v2/events/query. 100 requests a minute isn't enough for them."),
    ("u.rpatel", "Querying events page by page is the slow path anyway. For bulk data, point them at the export API or the daily Parquet export (Growth). On Starter: respect Retry-After and they'll get ~100/min steadily."),
    ("u.jparker", "They'll upgrade to Growth for the export, thanks."),
])
thread("support", "07-30 16:20", [
    ("u.ayilmaz", "iOS customer says events show up in Beacon up to 30 seconds late while debugging, and asks whether the SDK is broken."),
    ("u.dnguyen", "Expected: we flush every 30 seconds or 50 events. For debug builds they can set Beacon.configure(flushInterval: 10) (minimum 5 s). Don't ship 5 s to production, it costs battery."),
    ("u.ayilmaz", "Perfect, thanks David."),
])
thread("support", "08-14 10:10", [
    ("u.jparker", "A customer sent a CSV with 12,000 distinct ids to delete under GDPR. Can support run that, or should it go to security?"),
    ("u.tnkosi", "Support can run it: beaconctl privacy delete --workspace <id> --file ids.csv. It creates one job per 1,000 ids. Attach the job ids to the ticket; the customer gets a user.deleted webhook per user."),
    ("u.jparker", "Running it now. Target is 7 days, right?"),
    ("u.tnkosi", "Yes, 7 days target, 30 days legal maximum. Median last month was 2.5 days."),
])
thread("support", "08-18 09:05", [
    ("u.jparker", "We're getting tickets about EU daily exports being late this morning. Is that the Kafka incident?"),
    ("u.lkowalski", "Yes, INC-2026-033. No data lost; EU exports will finish around 12:00 UTC instead of 06:00."),
    ("u.jparker", "Thanks. Posting on the status page now."),
])
thread("support", "08-20 15:40", [
    ("u.kobrien", "Customer says their workspace was suspended after a single failed payment with no warning. They're furious, the board meeting was on those dashboards."),
    ("u.ntanaka", "Looked it up: 4 failed attempts (days 1, 3, 5, 7) and emails on day 7 and 14, all to a billing contact who left the company in May. Read-only from day 21."),
    ("u.kobrien", "Ouch. I'll restore access now and ask them to update billing contacts."),
    ("u.ntanaka", "Done on my side. We should email all billing contacts, not just one; adding it to the dunning redesign."),
])
thread("support", "08-24 12:00", [
    ("u.jparker", "Customer complains that chart colors change every time they reload a dashboard, so screenshots don't match the legend."),
    ("u.fadeyemi", "Known: colors are assigned by series order, which changes with the data. Dashboards 2.0 assigns colors through a stable hash of the series name. Lands in November."),
    ("u.jparker", "I'll tell them it's coming with the dashboards release."),
])
thread("support", "08-26 13:10", [
    ("u.ayilmaz", "Another Okta loop, this time Ardent Legal. That's the sixth workspace. Anything better than 'use the SP-initiated URL'?"),
    ("u.hkim", "Yes: in the Okta app, set Default RelayState to '/'. With a non-empty RelayState gatekeeper has a fallback and most loops stop. I've added it to the known issue page sso-okta-login-loop."),
    ("u.ayilmaz", "Tagging all these tickets idn-482 so you can count them."),
])
thread("support", "09-02 10:30", [
    ("u.kobrien", "Customer on Team is upset: their invoice says $399 but they were told they keep $349. Is that right?"),
    ("u.lmoreau", "They keep $349 until their first renewal after 1 October. Let me check: their anniversary is 2 September, so this renewal should still be $349."),
    ("u.ntanaka", "Bug: the grandfathering rule compared with the invoice date instead of the period start. Fixing, and I'll credit the $50 difference on the 14 invoices affected."),
    ("u.kobrien", "Thank you, I'll tell them a credit note is on the way."),
])
thread("support", "09-10 11:00", [
    ("u.ayilmaz", "Azure AD customer gets SAML_NO_EMAIL on every login."),
    ("u.mrossi", "Their claims map the email attribute from user.userprincipalname, which is empty for guest users. Map it from user.mail instead."),
    ("u.ayilmaz", "That worked. Thanks Marco!"),
])
thread("support", "09-15 14:00", [
    ("u.kobrien", "A customer's legal team asks whether Beacon stores end-user IP addresses."),
    ("u.tnkosi", "We truncate at ingest: the last octet for IPv4 and the last 80 bits for IPv6, before anything is written. Geo is derived from the truncated IP. Full IP storage is an Enterprise opt-in in writing."),
    ("u.kobrien", "Great, I'll quote that."),
])
thread("support", "09-23 09:30", [
    ("u.ayilmaz", "Customer on Android 4.2.1: no more crashes, but events recorded while offline disappear after the app is force-stopped."),
    ("u.sbecker", "In 4.2.x the queue is written in batches every 2 seconds, so a force-stop can lose the last few events. 4.2.2 (next Tuesday) writes through immediately."),
    ("u.ayilmaz", "I'll let them know, they're happy to wait a week."),
])
thread("support", "09-25 10:00", [
    ("u.kobrien", "Vue customer: the onboarding checklist never ticks 'Send your first event', but events are clearly arriving."),
    ("u.fadeyemi", "The Vue snippet sets library name 'beacon-js-vue-test' by mistake, so we count those events as test events. Fix in both the snippet and the checklist logic, shipping 30 September."),
    ("u.sjohansson", "Thanks Femi. Kate, can you tag those tickets onboarding-vue so we know how many workspaces to nudge after the fix?"),
    ("u.kobrien", "Will do, 7 so far."),
])
thread("support", "09-28 15:10", [
    ("u.jparker", "Data customer says the Parquet export changed a column type from int64 to string without notice and broke their Snowflake pipeline."),
    ("u.lkowalski", "Top-level columns haven't changed (export schema version 3 since June). I think it's their 'revenue' property inside properties: their new app version sends it as a string. Properties is a JSON string column, so types follow what they send."),
    ("u.jparker", "Confirmed with them, their app team changed it. They're fixing on their side."),
    ("u.lkowalski", "I'll add a warning in the UI when a property changes type. It's a common trap."),
])
thread("support", "10-06 09:12", [
    ("u.kobrien", "Seeing a few tickets this morning about customers charged twice for the same invoice. Did anything change in billing recently?"),
    ("u.ntanaka", "v2.14.0 went out yesterday (new retry worker). How many tickets?"),
    ("u.kobrien", "Six so far, all with two succeeded payments minutes apart. I'll collect the invoice numbers."),
    ("u.ntanaka", "Please do, looping in Omar."),
])
thread("support", "10-08 10:40", [
    ("u.ayilmaz", "A bank in procurement sent redlines to our DPA: they want 72-hour breach notification and audit rights once a year."),
    ("u.tnkosi", "72 hours is fine, our standard is 'without undue delay and within 48 hours' so that's already covered. Annual audit: we offer our SOC 2 report instead; on-site audits only for Enterprise above $50k. Send me the redlined file."),
    ("u.ayilmaz", "Sent, thanks Thandi."),
])
thread("support", "10-15 14:20", [
    ("u.ayilmaz", "Customer wants to hide the onboarding checklist for their analysts who don't install anything."),
    ("u.sjohansson", "Admins can hide it for the whole workspace: Settings → Workspace → 'Show onboarding checklist'. Individuals can dismiss it from the ⋯ menu."),
    ("u.ayilmaz", "Thanks Sam!"),
])
thread("support", "10-16 11:30", [
    ("u.kobrien", "Customer from the double-charge incident says their refund still isn't on their statement, 7 business days later."),
    ("u.owright", "The refund went out on 7 October. Give them the Stripe refund reference (the ARN); their bank can trace it with that. Some issuers take up to 10 business days."),
    ("u.kobrien", "Sent them the ARN. Thanks Oliver."),
])
thread("support", "10-19 10:00", [
    ("u.jparker", "React Native customer asks if the wrapper supports the new architecture (Fabric and TurboModules)."),
    ("u.praman", "Yes, since wrapper 2.4.0 (August). No code change on their side; it detects the architecture at build time."),
    ("u.jparker", "Great, thanks Priya."),
])
thread("support", "10-20 14:00", [
    ("u.jparker", "Three customers report 429s with no Retry-After header in the last hour, their clients are hammering us."),
    ("u.rpatel", "Yes, api-gw 3.9 regression, that's INC-2026-042. 3.9.1 is rolling out now."),
    ("u.jparker", "I'll reply to them with the status page link."),
])
thread("support", "10-21 16:30", [
    ("u.jparker", "Growth customer hit 61M events this month instead of their usual 18M: a bug in their app fired page_viewed in a loop for 4 days. Overage would be $738. Can we waive it?"),
    ("u.lmoreau", "Yes, first waiver per year is automatic. Approved."),
    ("u.ntanaka", "Applied in ledger, their next invoice will show the waiver."),
])
thread("support", "10-27 09:45", [
    ("u.ayilmaz", "Okta loop is back for Westmark Logistics, even after the 20 October gatekeeper fix. They have 'Force authentication' enabled in Okta and most users are on Safari."),
    ("u.hkim", "That's the remaining case: ForceAuthn plus Safari's tracking protection drops the cookie again. Until 1.34 in December: turn off Force authentication for the Beacon app, or use the SP-initiated URL."),
    ("u.ayilmaz", "They can't turn it off (policy). SP-initiated it is. This is workspace 31 on IDN-482."),
    ("u.hkim", "Thanks for tracking. I'll ask them to join the early test of 1.34."),
])
thread("support", "10-29 13:00", [
    ("u.kobrien", "Customer deleted the Demo Shop project and now wants it back to train new colleagues."),
    ("u.fadeyemi", "beaconctl demo-shop create --workspace <id> re-creates it with fresh data, takes about a minute."),
    ("u.kobrien", "Done, thanks Femi!"),
])
thread("support", "11-03 10:30", [
    ("u.kobrien", "Several customers asking where the 'duplicate chart' button went in Dashboards 2.0."),
    ("u.fadeyemi", "It moved into the chart menu (⋯ → Duplicate). Copy to another dashboard comes in December."),
    ("u.rhughes", "I'll add a one-time tooltip pointing to the new place."),
])
thread("support", "11-06 15:00", [
    ("u.ayilmaz", "Public dashboard links render an empty grid on mobile Safari since 2.0."),
    ("u.zmuller", "Reproduced: the grid measures width before the page has laid out. Fix deployed 15:40, please ask them to reload."),
    ("u.ayilmaz", "Confirmed fixed. Fast!"),
])
thread("support", "11-09 11:15", [
    ("u.jparker", "Voyagr can't finish the API v1 migration before January (a team of two, and a freeze in December). Can they get an extension?"),
    ("u.rpatel", "Yes, token-level exception until 31 March 2027. Send me the token prefix. That's the 7th."),
    ("u.jparker", "Sent. Thanks Ravi."),
])
thread("support", "11-11 10:20", [
    ("u.jparker", "Customer's 90-day export backfill has been 'queued' for two days and they're annoyed."),
    ("u.lkowalski", "They had two backfills running already (limit is 2 per workspace), the third waits. The first one is huge, 1.3 billion events. I've split it so the queue moves."),
    ("u.jparker", "Thanks, I'll explain the limit."),
])
thread("support", "11-17 14:45", [
    ("u.ayilmaz", "Customer says SCIM deprovisioning took 40 minutes to remove a leaver from Beacon. Security concern for them."),
    ("u.mrossi", "They're on Azure AD: Azure provisions on a ~40-minute cycle. Once Azure sends the deactivation we revoke sessions and tokens within 60 seconds. For urgent cases they can use 'Provision on demand' in Azure."),
    ("u.ayilmaz", "Clear, thanks Marco."),
])

# ---- private channels and a DM ------------------------------------------------------------

thread("exec-private", "09-14 08:15", [
    ("u.mhartley", "Project Halcyon: the Quillmetrics founders are open to an acquisition. Nine people, session replay for web, privacy masking that fits our GDPR stance. I'd like to move fast."),
    ("u.dokafor", "Their recorder is good. Storage is Postgres, so integration into our ClickHouse pipeline is a quarter of work."),
    ("u.rcastillo", "I'll model it: runway today 26 months; a cash-heavy deal could take it under 20."),
    ("u.pnair", "Session replay came up in 23 stalled or lost deals in Q3. Building it is 14 months for 5 people."),
])
thread("exec-private", "10-09 16:30", [
    ("u.rcastillo", "Board deck draft is in the exec folder. Q3 ARR $7.8M, NRR 112%. The double-charge incident: 11 cancellations citing billing trust, about $41k ARR. Halcyon numbers in the appendix."),
    ("u.mhartley", "Thanks Rosa. Let's be straightforward about the incident with the board."),
    ("u.tbrennan", "Sales pipeline impact looks limited, two deals delayed."),
])
thread("exec-private", "10-28 18:00", [
    ("u.mhartley", "Halcyon term sheet signed: €6.5M, €4.2M cash and €2.3M stock vesting over two years. Exclusivity until 15 January."),
    ("u.hlindqvist", "Seven of nine have accepted offers in principle. I'll prepare the people side of the acquisition with Rosa."),
    ("u.dokafor", "Grace will run security due diligence, starting with their SDK and data retention."),
])
thread("exec-private", "11-12 17:45", [
    ("u.mhartley", "The board approved Project Halcyon. Due diligence until mid-December, close in January. Still strictly confidential."),
    ("u.rcastillo", "Lawyers start Monday. Runway after close: 19 months."),
    ("u.pnair", "I'll draft the Beacon Replay product plan for Q2."),
])
thread("security-private", "08-24 21:45", [
    ("u.ewalsh", "Nightjar: GitHub secret scanning flagged a staging admin API token in a contractor's public gist at 21:40. Access logs show requests from an unknown VPS since 21:14 listing staging workspaces. Revoking now."),
    ("u.gwhite", "I'm on. Rotate all staging admin tokens, then check whether anything in production accepts that token."),
    ("u.ewalsh", "Revoked 21:52. Production rejects it (different signing key). 2,318 staging workspace names and 14 staging admin accounts listed, all ours."),
    ("u.gwhite", "Not notifiable, no customer data. Postmortem on the restricted wiki, codename Nightjar. Daniel is informed."),
])
thread("security-private", "09-25 11:30", [
    ("u.ewalsh", "Redcliff pentest report is in: 0 critical, 2 high, 4 medium, 6 low. Highs: IDOR on dashboard share links, and SCIM token still accepted 10 minutes after rotation. Both already fixed (22 and 24 September)."),
    ("u.gwhite", "Good. Nightjar retest passed? Staging admin API not reachable?"),
    ("u.ewalsh", "Passed, it's behind the VPN. Retest of the highs booked for 2 December."),
])
thread("security-private", "11-02 10:00", [
    ("u.gwhite", "Quarterly contractor access review (Nightjar follow-up): 6 contractors, 2 with GitHub org access no longer needed. Removing today."),
    ("u.ewalsh", "All contractor machines have the pre-commit scanner, verified via MDM."),
    ("u.dokafor", "Thanks. Please keep doing this every quarter."),
])
thread("dm-dokafor-eharris", "10-19 17:20", [
    ("u.dokafor", "Got a minute? I'd like to talk about Kestrel before it goes to the leads."),
    ("u.eharris", "Sure. The split of Product Engineering?"),
    ("u.dokafor", "Yes. Kestrel: from January, a Core squad (billing, identity) and a Growth squad (dashboards, onboarding). You'd lead Core, and we hire an EM for Growth."),
    ("u.eharris", "I like it. Billing and identity need the same rigor. Can Kestrel wait until the Okta fix ships? I don't want Hana changing teams mid-fix."),
    ("u.dokafor", "Agreed, announce in January. Keep it between us until then."),
])


# --------------------------------------------------------------------------------------------
# internal Q&A
# --------------------------------------------------------------------------------------------

QA: list[dict[str, Any]] = []
Answer = tuple[str, str, str]  # person id, "MM-DD HH:MM", text


def slugify(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", ascii_fold(text).lower()).strip("-")[:60].rstrip("-")


def qa(number: int, title: str, tags: list[str], asker: str, asked: str, body: str,
       accepted: Answer | None, others: Iterable[Answer] = (), comments: Iterable[Answer] = (),
       score: int = 0) -> None:
    others, comments = list(others), list(comments)
    parts = [prose(body)]
    contributions = [{"person": asker, "role": "asker", "at": iso(t(asked))}]
    if accepted:
        parts.append("Answer (accepted): " + prose(accepted[2]))
        contributions.append({"person": accepted[0], "role": "accepted_answerer", "at": iso(t(accepted[1]))})
    for pid, when, text in others:
        parts.append("Answer: " + prose(text))
        contributions.append({"person": pid, "role": "answerer", "at": iso(t(when))})
    for pid, when, text in comments:
        parts.append("Comment: " + prose(text))
        contributions.append({"person": pid, "role": "commenter", "at": iso(t(when))})
    updated = max(datetime.fromisoformat(c["at"]) for c in contributions)
    QA.append({
        "id": f"qa:{number}",
        "source": "qa",
        "kind": "qa",
        "title": title,
        "text": "\n\n".join(parts),
        "url": f"https://qa.lumenary.example/questions/{number}/{slugify(title)}",
        "created_at": iso(t(asked)),
        "updated_at": iso(updated),
        "contributions": contributions,
        "access": {"public": True},
        "audience": "internal",
        "tags": tags,
        "meta": {"score": score, "answer_count": len(others) + (1 if accepted else 0)},
    })


# ---- billing
qa(101, "How do I refund just one duplicate payment without refunding the whole invoice?",
   ["billing", "refunds", "stripe"], "u.kobrien", "06-18 10:00", """
A customer paid an invoice twice by card (they clicked "Pay now" twice before we added the
button lock). I want to refund only the second payment. The admin console refund button seems
to refund the invoice.""",
   ("u.ogarcia", "06-18 10:40", """
In the admin console open Billing → Payments (not Invoices), find the second payment and use
Refund there. That refunds the PaymentIntent only and leaves the invoice paid. From the CLI:
`ledger-cli payments refund --payment pi_... --reason duplicate`. Both create a Stripe credit
note the customer can download. Don't use the Stripe dashboard, ledger would not know about it."""),
   comments=[("u.owright", "06-18 11:05", "Please tag the ticket refund_issued so it shows up in the monthly reconciliation.")],
   score=14)

qa(102, "Why does a customer's invoice show Irish VAT when they have a VAT ID?",
   ["billing", "vat", "invoices"], "u.ayilmaz", "07-22 14:00", """
A French customer saved their VAT ID last week but their new invoice charged 23% VAT. Shouldn't
it be reverse charged?""",
   ("u.ntanaka", "07-22 14:30", """
Their ID is probably still "pending": VIES (the EU checker) has been down since last night, and
invoices finalized while an ID is pending charge Irish VAT. We re-check every 6 hours. Once the
ID validates, Oliver Wright issues a credit note for the VAT. You can see the status in the admin
console under Billing → Tax ID."""),
   others=[("u.owright", "07-23 09:15", "Credit notes for all invoices affected by the VIES outage are done; 11 customers.")],
   score=9)

qa(103, "What is the dunning schedule when a card payment fails?",
   ["billing", "dunning", "payments"], "u.nreyes", "08-21 09:30", """
A prospect's finance team asks what happens if a payment fails. How many retries and when do we
suspend?""",
   ("u.ntanaka", "08-21 10:05", """
Retries on day 1, 3, 5 and 7 after the first failure. The owner and billing contacts get emails on
day 7 and day 14. On day 21 the workspace becomes read-only (data keeps flowing in, nobody can
view it) until payment succeeds. We never delete data because of a failed payment. Enterprise
customers on bank transfer are handled by Finance instead."""),
   score=11)

qa(104, "What caused the double charges on 5-6 October, and can it happen again?",
   ["billing", "incident", "idempotency", "stripe"], "u.mlarsen", "10-09 11:00", """
Prospects keep asking about the double-charge posts. I'd like to understand the technical cause
well enough to explain it to a finance team.""",
   ("u.ogarcia", "10-09 12:20", """
The new retry worker in ledger v2.14.0 waited 90 seconds for Stripe's "payment succeeded" webhook.
Stripe was delivering webhooks late that day (up to 40 minutes), so the worker assumed the payment
had failed and tried again, and the retry did not reuse the idempotency key, so Stripe treated it as
a new payment. 1,184 invoices were charged twice. Now every payment call carries a deterministic
idempotency key (inv_<invoice_id>_attempt_<n>), so Stripe refuses to charge twice for the same
attempt, and an alert fires within minutes if two payments succeed for one invoice. Billing releases
also run 24 hours in shadow mode and go to a 5% canary first."""),
   others=[("u.ntanaka", "10-09 13:00", "One more point for finance teams: all duplicates were refunded automatically within four days, plus a 10% credit.")],
   score=23)

# ---- SSO
qa(105, "Okta users get 'too many redirects' when logging into Beacon from the Okta tile. Fix?",
   ["sso", "okta", "saml", "login-loop"], "u.ayilmaz", "07-15 09:00", """
Several customers see a loop between Okta and Beacon with IdP-initiated login. Logging in from the
Beacon login page works. Is there a fix I can give them?""",
   ("u.hkim", "07-15 10:10", """
This is IDN-482. In IdP-initiated login our state cookie (SameSite=Lax) is dropped on the cross-site
POST to the ACS URL, so gatekeeper can't match the assertion and sends the user back to Okta.
Workarounds: set "Default RelayState" to "/" in the Okta app, or log in via
https://app.beacon.example/sso/<workspace-slug>. If the customer has "Force authentication"
enabled, turn it off for Beacon. The real fix (stateless RelayState) is on the Identity roadmap."""),
   others=[("u.mrossi", "10-21 11:30", "Update: gatekeeper 1.31 (20 October) sets SameSite=None; Secure on the ACS route, which fixes most Chrome and Firefox cases. Force authentication with Safari still loops until 1.34 in December.")],
   comments=[("u.ayilmaz", "11-16 17:00", "Count is 37 workspaces as of today, all tagged idn-482.")],
   score=31)

qa(106, "Can a customer on Growth use SSO?", ["sso", "pricing", "plans"], "u.nreyes", "07-30 10:00", """
Prospect wants SAML SSO but is not ready for Enterprise.""",
   ("u.lmoreau", "07-30 10:20", """
Yes: from 1 September SSO is a $150/month add-on on Growth. SCIM provisioning stays
Enterprise-only. The add-on is enabled by support or sales in the admin console under
Plan → Add-ons."""),
   score=8)

qa(107, "How do we rotate a customer's SAML signing certificate without locking everyone out?",
   ["sso", "saml", "certificates"], "u.mlarsen", "08-06 15:00", """
An enterprise customer rotates their IdP certificate every year and asks how to do it without
downtime.""",
   ("u.hkim", "08-06 15:30", """
They upload the new certificate in Settings → Security → SSO while the old one is still active.
Gatekeeper accepts assertions signed with either certificate for 14 days, then drops the old one.
So: upload new cert in Beacon, switch the IdP to sign with the new cert, done. If they do it in the
other order, logins fail with SAML_BAD_SIGNATURE until the new cert is uploaded."""),
   score=12)

qa(108, "Does deprovisioning a user in Azure AD remove them from Beacon immediately?",
   ["sso", "scim", "azure-ad", "security"], "u.gwhite", "09-03 09:00", """
A customer security review asks how quickly a leaver loses access.""",
   ("u.mrossi", "09-03 09:45", """
As soon as the IdP sends the SCIM deactivation we revoke sessions and API tokens within 60 seconds.
Okta sends it immediately. Azure AD provisions on a cycle of about 40 minutes, so worst case is
around 40 minutes plus 60 seconds. Azure admins can use "Provision on demand" for urgent cases."""),
   score=7)

# ---- mobile SDK
qa(109, "Android SDK 4.2.0 crashes with 'WorkManager is not initialized properly'. Workaround?",
   ["mobile-sdk", "android", "crash", "workmanager"], "u.ayilmaz", "09-16 09:00", """
Customers upgrading to Android SDK 4.2.0 crash at startup. All use a custom
Configuration.Provider for WorkManager. What should I tell them?""",
   ("u.sbecker", "09-16 09:20", """
Upgrade to 4.2.1 (out 22 September) or 4.2.2, which never touch WorkManager before the host app
initialises it. Until then, either pin com.beacon:beacon-android:4.1.3, or call Beacon.init() after
super.onCreate() in the Application class (not from attachBaseContext or a ContentProvider). The
crash only happens when Beacon.init runs before WorkManager's on-demand initialisation."""),
   others=[("u.praman", "09-18 15:00", "If they also see ANRs on Android 14 with large offline queues, that's a second bug fixed in 4.2.2 (trim-memory flush on the main thread).")],
   score=27)

qa(110, "How big can the offline event queue get on iOS and Android?",
   ["mobile-sdk", "ios", "android", "offline"], "u.jparker", "07-09 11:00", """
A field-service app is offline for hours. Will events be lost?""",
   ("u.dnguyen", "07-09 11:40", """
Both SDKs keep up to 10,000 events (iOS also caps at 5 MB). When full, the oldest events are
dropped and a queue_overflow counter is sent with the next batch, so the customer can see the
loss in Beacon. The queue survives app termination on both platforms (on Android reliably since
4.2.2, which writes through immediately)."""),
   score=10)

qa(111, "Does the iOS SDK ship a privacy manifest for App Store review?",
   ["mobile-sdk", "ios", "privacy", "app-store"], "u.mlarsen", "08-12 10:00", """
A prospect's iOS team got an App Store warning about required-reason APIs and asks if Beacon is
covered.""",
   ("u.dnguyen", "08-12 10:15", """
Yes, since iOS SDK 3.6.0. It declares UserDefaults (for the anonymous id) and file timestamp APIs
(queue housekeeping), and no tracking domains. If they're on 3.5 or older, upgrading fixes the
warning. We don't collect IDFA unless the app passes it in."""),
   score=6)

qa(112, "Is there an official Flutter plugin?", ["mobile-sdk", "flutter"], "u.nreyes", "10-02 14:00", """
Prospect building in Flutter asks about SDK support.""",
   ("u.ivolkova", "10-02 14:30", """
Not yet. There is a community plugin we don't maintain; it wraps Android 4.1 and iOS 3.7 and is
behind. An official Flutter plugin is on the 2027 plan. Until then they can call the HTTP ingest
API directly or use platform channels to our native SDKs."""),
   others=[("u.praman", "10-03 09:00", "I've helped two customers with the platform-channel approach, happy to share a sample.")],
   score=5)

# ---- data export & Kafka
qa(113, "When do daily exports land in S3, and how does a customer know a day is complete?",
   ["data-export", "s3", "parquet"], "u.jparker", "06-17 10:00", """
Customers schedule Airflow DAGs after our export and sometimes read partial days.""",
   ("u.lkowalski", "06-17 10:30", """
porter starts at 02:00 UTC for the previous UTC day; the target is complete by 06:00 UTC.
The _manifest.json file is written last and lists every file with row counts. Tell customers to
use an S3 sensor on the manifest (dt=YYYY-MM-DD/_manifest.json), not on the first Parquet file."""),
   score=15)

qa(114, "How do I backfill a customer's export for a past date range?",
   ["data-export", "backfill", "beaconctl"], "u.kobrien", "07-28 13:00", """
Customer's bucket was misconfigured for two weeks in July, they need those days again.""",
   ("u.lkowalski", "07-28 13:25", """
`beaconctl export backfill --workspace <id> --from 2026-07-01 --to 2026-07-14`. Max 90 days per
job and 2 concurrent backfills per workspace. Files are written with the same layout and a
manifest per day. Anything over a billion events, ping me first so we schedule it off-peak."""),
   others=[("u.wosei", "07-28 14:00", "For warehouse connectors add --target connector; loads are idempotent on insert_id.")],
   score=12)

qa(115, "What does KafkaConsumerLagHigh mean and when should I worry?",
   ["kafka", "on-call", "pipeline"], "u.rpatel", "08-02 16:00", """
First on-call week coming up. What's normal lag on the pipeline and what do I do when it pages?""",
   ("u.lkowalski", "08-02 16:30", """
Normal lag is under 50,000 messages. The alert fires above 500,000 for 10 minutes. Check which
consumer group: enricher (look at Flink backpressure, restart from checkpoint is safe),
clickhouse-sink (usually ClickHouse 'too many parts'), or porter-live. Once healthy it drains at
~150k messages per second. Ingest is safe meanwhile: ingest-gw buffers to disk for 2 hours.
Runbook: kafka-operations-runbook."""),
   comments=[("u.aromero", "08-02 17:00", "And if broker disk is involved, that's the INC-2026-033 pattern: find the topic, check retention.")],
   score=19)

qa(116, "Why does the export have properties as a JSON string instead of columns?",
   ["data-export", "parquet", "schema"], "u.sjohansson", "09-29 11:00", """
A customer asked why properties aren't typed columns in the Parquet export.""",
   ("u.wosei", "09-29 11:40", """
Properties are free-form and differ per event and per customer; typed columns would change the
file schema every time someone adds a property and break readers. So standard fields are typed
columns and properties are one JSON string column. Warehouse connectors parse them into a VARIANT
(Snowflake) or JSON (BigQuery) column. The types inside follow what the customer sends, which is
why a property can change from number to string if their app changes."""),
   score=8)

qa(117, "How many partitions does events.raw.v3 have and how is it keyed?",
   ["kafka", "pipeline", "architecture"], "u.praman", "07-01 12:00", """
Curious how ordering works for events from the same device.""",
   ("u.wosei", "07-01 12:20", """
48 partitions, 7 days retention, keyed by workspace id plus distinct id, so all events of one user
land on one partition in order. events.enriched.v3 has the same partitioning with 3 days retention."""),
   score=4)

# ---- dashboards
qa(118, "Why are dashboards with many charts slow, and will Dashboards 2.0 fix it?",
   ["dashboards", "performance", "charts"], "u.dsilva", "07-10 09:30", """
Customers complain about 6-8 second load times on dashboards with more than 10 charts.""",
   ("u.zmuller", "07-10 10:15", """
Each chart runs its own ClickHouse query on every load today. Dashboards 2.0 adds prism, a query
cache (5-minute TTL, invalidated when the hourly rollup changes), and loads charts progressively.
In tests the chart p95 goes from 2.8 s to 0.9 s and a 12-chart dashboard is ready in under 2 s.
Ships to everyone in Q4."""),
   score=13)

qa(119, "How does cross-filtering work in Dashboards 2.0?", ["dashboards", "cross-filtering", "charts"],
   "u.mlarsen", "11-02 16:00", """
I want to demo it properly. Which charts react and how do I select multiple values?""",
   ("u.fadeyemi", "11-02 16:20", """
Click a bar, pie slice, table row or funnel step: every chart on the dashboard that has the same
property available filters to that value. Shift-click adds values (OR). The filter bar at the top
shows active filters; Esc clears them. Charts without that property show a small 'not filterable'
badge instead of silently ignoring it."""),
   others=[("u.rhughes", "11-02 16:45", "Tip for demos: the retention heatmap plus a country bar chart is the most impressive combo.")],
   score=16)

qa(120, "Where did 'duplicate chart' go, and can I copy a chart to another dashboard?",
   ["dashboards", "charts"], "u.kobrien", "11-03 09:50", """
Customers can't find duplicate in the new layout.""",
   ("u.fadeyemi", "11-03 10:00", """
It's in the chart menu: ⋯ → Duplicate. Copying a chart to another dashboard is not there yet;
it's planned for the December release together with dark mode."""),
   score=9)

qa(121, "What are the limits on charts per dashboard and points per series?",
   ["dashboards", "limits", "charts"], "u.nreyes", "10-30 13:00", """
A prospect has a dashboard with 60 charts in their current tool.""",
   ("u.zmuller", "10-30 13:20", """
40 charts per dashboard, 20 series per chart, 10,000 points per series. For 60 charts suggest two
dashboards linked from each other; in practice anything above 25 charts is hard to read anyway."""),
   score=5)

# ---- onboarding
qa(122, "What exactly counts as 'activated' for a new workspace?",
   ["onboarding", "activation", "metrics"], "u.kfischer", "06-25 10:00", """
Marketing wants to use activation in campaign reporting.""",
   ("u.sjohansson", "06-25 10:30", """
A workspace completing 3 of the 5 onboarding checklist steps (install SDK, first event, invite a
teammate, first dashboard, first alert) within 7 days of signup. Self-serve signups only. Q2 was
41%. The definition is in the metrics repo; please don't use a different one in campaigns, the
board deck uses this one."""),
   score=10)

qa(123, "Did the onboarding checklist v2 experiment work?", ["onboarding", "experiment", "activation"],
   "u.mhartley", "09-29 17:00", """
Quick summary for the all-hands?""",
   ("u.sjohansson", "09-29 17:30", """
Yes. 4,620 workspaces, 50/50. Activation 41.2% → 47.9% (+6.7 points, p = 0.003). Time to first event
from 1 h 52 min to 41 min. Fewer onboarding tickets (3.1 → 2.2 per 100 signups). Shipping to 100% on
1 October. Biggest driver: the Demo Shop sample project."""),
   comments=[("u.rhughes", "09-30 09:00", "And the Vue bug fix on 30 September should add a bit more on top.")],
   score=18)

qa(124, "Can a customer get the Demo Shop project back after deleting it?",
   ["onboarding", "demo-shop", "sample-data"], "u.ayilmaz", "08-28 15:00", """
Customer deleted it by accident.""",
   ("u.fadeyemi", "08-28 15:10", """
Yes: `beaconctl demo-shop create --workspace <id>`. It takes about a minute and the data is
re-dated to the last 90 days. It doesn't count toward their event quota."""),
   score=6)

qa(125, "How many onboarding emails does a new signup get?", ["onboarding", "email", "lifecycle"],
   "u.lpham", "10-05 11:00", """
Seeing a few complaints on social about too many emails after signup.""",
   ("u.sjohansson", "10-05 11:20", """
It was 6 in the first 3 days for trials; since 1 October it's 4 emails over 14 days: welcome, SDK
install help (only if no event after 24 h), dashboard templates (day 4), trial ending (day 12).
Users who finish the checklist skip the nudges."""),
   score=4)

# ---- pricing
qa(126, "What's the discount I can give without approval?", ["pricing", "sales", "discounts"],
   "u.nreyes", "06-08 10:00", """
New to the team, want to check the discount rules.""",
   ("u.tbrennan", "06-08 10:30", """
Up to 15% on annual Growth or Enterprise contracts, no approval. Up to 30% needs me; above that,
Rosa and Maya. No discounts on monthly plans, and they don't stack with the startup or nonprofit
programs. Details: discount-approval-matrix on the wiki."""),
   score=12)

qa(127, "Do existing Team plan customers pay the new Growth price immediately?",
   ["pricing", "plans", "growth"], "u.kobrien", "08-25 15:00", """
Preparing for the 1 September change.""",
   ("u.lmoreau", "08-25 15:20", """
No. They keep $349 until their first renewal after 1 October. Monthly customers therefore move to
$399 at their October renewal; annual customers at their next annual renewal. Everyone was emailed
on 31 July. If someone pushes back, offer annual Growth at $3,990 (two months free)."""),
   others=[("u.nreyes", "08-25 16:00", "Sales can also pre-approve 10% on annual in September for at-risk accounts, ask Tom.")],
   score=15)

qa(128, "How is overage calculated on Growth?", ["pricing", "overage", "billing"], "u.jparker", "07-08 09:00", """
Customer asks how they'll be billed if they go over 20M events.""",
   ("u.lmoreau", "07-08 09:20", """
$18 per additional 1M events, rounded up to the next million, billed on the next invoice. Emails at
80% and 100%. If the spike was an instrumentation bug (event in a loop), the first waiver per year
is automatic: ask me and Naomi applies it in ledger."""),
   score=7)

qa(129, "Does the startup program stack with an annual discount?", ["pricing", "startups", "discounts"],
   "u.mlarsen", "09-10 11:00", """
Startup asks for startup program 50% plus annual two months free.""",
   ("u.lmoreau", "09-10 11:15", """
The startup program is annual-only and is 50% off Growth list price; the two-months-free annual
pricing doesn't apply on top, and neither do sales discounts. They get whichever is larger, which is
always the 50%."""),
   score=3)

# ---- API
qa(130, "What are the API rate limits per plan, and are they per token or per workspace?",
   ["api", "rate-limits"], "u.kobrien", "06-15 10:00", """
Customers ask this weekly, I'd like one canonical answer.""",
   ("u.rpatel", "06-15 10:30", """
Per API token, per minute: Starter 100, Growth 600, Enterprise 3,000 (raisable). Bursts up to 2x
for 10 seconds. There is also a workspace-wide ceiling at 5x the token limit. Every 429 has a
Retry-After header, and all responses have X-RateLimit-Limit / Remaining / Reset. The ingest API has
separate limits: 5,000 events per second per project."""),
   others=[("u.jparker", "06-15 11:00", "Macro 'API limits' now says exactly this.")],
   score=22)

qa(131, "How do I create a read-only API token for a BI tool?", ["api", "tokens", "scopes"],
   "u.ayilmaz", "07-17 14:00", """
Customer wants Looker to read dashboards and events without write access.""",
   ("u.rpatel", "07-17 14:20", """
Settings → API tokens → New token, scopes read:events and read:dashboards only. Tokens expire
after 365 days by default; we email the creator 14 days before. Recommend a token created by a
service user rather than a person, so it doesn't get revoked when that person leaves."""),
   score=9)

qa(132, "Can a customer get more time after the API v1 shutdown on 31 January?",
   ["api", "deprecation", "v1"], "u.nreyes", "10-01 10:00", """
Large account says they can't migrate before February.""",
   ("u.rpatel", "10-01 10:20", """
Yes, token-level exceptions until 31 March 2027. Ask in #platform with the workspace id and token
prefix. The brownouts on 8 December and 12 January still apply to them unless they ask, so warn them."""),
   score=6)

qa(133, "Why did some clients get 429s without Retry-After on 20 October?",
   ["api", "rate-limits", "incident"], "u.dsilva", "10-21 09:00", """
Want to close the loop with customers who were affected.""",
   ("u.rpatel", "10-21 09:30", """
api-gw 3.9 refactored response headers and lost Retry-After on 429 responses for 52 minutes
(INC-2026-042). Clients that depend on it retried immediately and hit the limit harder. Fixed in 3.9.1,
and a contract test now checks the headers on every 429 in CI."""),
   score=5)

# ---- GDPR
qa(134, "How long do we keep raw events after a customer downgrades?",
   ["gdpr", "data-retention", "pricing"], "u.kobrien", "09-04 13:00", """
Customer moving from Growth (25 months) to Starter (13 months) worries about losing history.""",
   ("u.tnkosi", "09-04 13:30", """
After the downgrade, data older than 13 months is hidden immediately and deleted 30 days later, so
they can re-upgrade within 30 days without losing it. Backups with that data expire within 35 days.
If they need the history, suggest a one-off export before downgrading."""),
   score=8)

qa(135, "How do we handle a GDPR deletion request for an end user?",
   ["gdpr", "dsar", "deletion"], "u.jparker", "06-29 10:00", """
Customer asks for the process to delete one of their end users.""",
   ("u.tnkosi", "06-29 10:40", """
They call DELETE /v2/users/{distinct_id} with a token that has delete:users, or send us a CSV of ids
for bulk. We delete events and profile in ClickHouse and Postgres and cohort memberships; target 7
days, legal maximum 30. A user.deleted webhook confirms each one. Files already exported to their
bucket are their responsibility. Runbook: gdpr-deletion-requests-runbook."""),
   comments=[("u.gwhite", "06-29 11:00", "Please never delete from backups by hand; they expire in 35 days and that's in the DPA.")],
   score=14)

qa(136, "Is EU data residency available on Starter?", ["gdpr", "eu", "data-residency", "plans"],
   "u.nreyes", "09-16 10:00", """
German prospect on a small budget.""",
   ("u.tnkosi", "09-16 10:20", """
Their data will physically be in Frankfurt (every EU signup lands in the EU region since July), but
the contractual residency commitment is only on Growth and Enterprise. For most small customers the
physical location is enough; if their legal team needs it in the contract, it has to be Growth."""),
   others=[("u.lmoreau", "09-16 11:00", "We've discussed adding contractual residency to Starter; not planned for 2026.")],
   score=7)

qa(137, "Does Beacon store full IP addresses?", ["gdpr", "privacy", "ip-address"], "u.mlarsen", "08-11 16:00", """
Security questionnaire question.""",
   ("u.tnkosi", "08-11 16:10", """
No. IPs are truncated at ingest before anything is written: the last octet for IPv4, the last 80
bits for IPv6. Geo lookup uses the truncated address. Enterprise customers can opt into full IP
storage in writing."""),
   score=9)

# ---- on-call
qa(138, "What do I do if I can't cover my on-call week?", ["on-call", "pagerduty", "process"],
   "u.wosei", "08-20 09:00", """
I'll be travelling for a family event during my secondary week.""",
   ("u.aromero", "08-20 09:20", """
Find a swap and record it in PagerDuty (Schedule → Override), then post it in #incidents. If you
can't find anyone, tell Camille at least a week ahead. Don't just hand your phone to someone, the
override is what routes the pages."""),
   score=6)

qa(139, "When does an incident need a postmortem, and who writes it?",
   ["on-call", "incident", "postmortem"], "u.fadeyemi", "11-04 10:00", """
After INC-2026-044 (dashboards slow after launch) I'm not sure whether I or Zoë should write it.""",
   ("u.cdubois", "11-04 10:30", """
SEV1 and SEV2 always get a postmortem within 5 business days; SEV3 only if the IC asks. The ops lead
usually writes it (here Zoë), anyone involved can contribute, and it's reviewed in the Thursday
operations review. Template: postmortem-template on the wiki. Blameless: describe what the system
allowed."""),
   others=[("u.aromero", "11-04 11:00", "Add the action items to Jira with the label postmortem so I can track them.")],
   score=8)

qa(140, "Do I get time off after being paged at night?", ["on-call", "policy", "time-off"],
   "u.rpatel", "08-10 18:00", """
Got paged at 03:00 for 90 minutes on my first primary shift.""",
   ("u.cdubois", "08-10 18:20", """
Yes: if you're paged for more than one hour between 00:00 and 07:00, take the next morning off, no
need to ask. The on-call allowance is €250 for a primary week and €100 for secondary, paid with the
next payroll."""),
   score=11)

# ---- hiring & HR
qa(141, "How long is parental leave, and does it differ between parents?",
   ["hr", "leave", "parental-leave"], "u.dnguyen", "07-07 12:00", """
Expecting a child in December!""",
   ("u.bcarter", "07-07 12:30", """
Congratulations! 20 weeks fully paid for every parent, regardless of gender or adoption, to be
taken within 18 months of the birth. You can split it into up to three blocks. Let your manager
and me know the dates at least 8 weeks ahead."""),
   score=9)

qa(142, "How does the take-home exercise work, and is it paid?", ["hiring", "interviews", "take-home"],
   "u.achen", "06-20 10:00", """
A candidate asked whether they'd be paid for the take-home.""",
   ("u.ysato", "06-20 10:15", """
Yes, €300, capped at 3 hours. Candidates can pick a 90-minute live pairing session instead. We send
the exercise after the hiring manager interview and give a week to complete it."""),
   score=7)

qa(143, "When is the referral bonus paid?", ["hiring", "referrals"], "u.lkowalski", "09-09 15:00", """
My referral started last week.""",
   ("u.ysato", "09-09 15:10", """
€2,000 after the new hire's 90th day, with the following payroll. Hiring managers and panel members
for that role aren't eligible."""),
   score=4)

qa(144, "Can I work from another country for a few weeks?", ["hr", "remote", "policy"],
   "u.zmuller", "06-22 09:00", """
Thinking of spending a month with family in Germany.""",
   ("u.bcarter", "06-22 09:20", """
Up to 20 working days a year abroad is fine with your manager's OK. Beyond that it needs my
approval for tax and insurance reasons. Tell me the country and dates in advance either way."""),
   score=5)


# ---- a few more, added as questions came up
qa(145, "How long does a card refund take to show up on the customer's statement?",
   ["billing", "refunds", "support"], "u.lpham", "10-07 15:00", """
People on social are asking when they'll see the refund for the double charge. What can I say
publicly?""",
   ("u.kobrien", "10-07 15:20", """
Refunds were issued on 7 October for almost everyone. Card refunds take 5-10 business days to
appear, depending on the bank; some issuers show them as a separate credit rather than removing
the original charge. If someone has waited longer than 10 business days, ask them to open a
ticket and we'll send the refund reference (ARN) their bank can trace. Please don't promise a date."""),
   others=[("u.owright", "10-07 16:00", "The 37 refunds that failed because of reissued cards are going out by bank transfer this week; those customers get an email from Finance.")],
   score=10)

qa(146, "Who approves creating a new Kafka topic in production?",
   ["kafka", "data-export", "process"], "u.ogarcia", "09-01 10:00", """
ledger would like to publish invoice events for the data team. Can I just create the topic?""",
   ("u.achen", "09-01 10:30", """
Not by hand: since INC-2026-033 topics are created only through Terraform in infra/kafka, and the
policy rejects topics without an owner tag, retention and a schema subject. Open a PR there and
add Lena Kowalski or Kwame Osei as reviewers; for anything over 12 partitions or 7 days of
retention, I sign off too. Invoice events probably want 6 partitions and 7 days."""),
   others=[("u.lkowalski", "09-01 11:00", "Also register the schema first (BACKWARD compatibility), otherwise producers fail at startup.")],
   score=9)

qa(147, "If we have a security incident involving customer data, when must customers be told?",
   ["gdpr", "security", "incident", "breach"], "u.dsilva", "09-02 14:00", """
Writing the support part of the incident process and I want to get the GDPR timing right.""",
   ("u.gwhite", "09-02 14:40", """
Our DPA commits us to tell affected customers without undue delay and within 48 hours of
confirming a breach of their data; they, as controllers, then have 72 hours to notify their
regulator. Support never sends that notice on its own: Grace White (or Thandi Nkosi as deputy)
approves the wording, and Legal reviews it. Security events without personal data of customers
are not notifiable, but we still record them in the security incident register."""),
   comments=[("u.tnkosi", "09-02 15:00", "Template for the notice is in the security drive under gdpr/breach-notice.")],
   score=12)

# --------------------------------------------------------------------------------------------
# customer posts: building blocks
# --------------------------------------------------------------------------------------------

Post = dict[str, Any]


def tw(text: str, by: str | None = None, at: str | None = None, raw: bool = False,
       within: tuple[str, str] | None = None, lang: str | None = None) -> Post:
    return {"channel": "twitter", "text": text, "by": by, "at": at, "raw": raw, "within": within, "lang": lang}


def sup(text: str, by: str | None = None, at: str | None = None,
        within: tuple[str, str] | None = None) -> Post:
    return {"channel": "support", "text": text, "by": by, "at": at, "raw": False, "within": within, "lang": None}


def rev(title: str, rating: int, text: str, by: str | None = None, at: str | None = None,
        within: tuple[str, str] | None = None) -> Post:
    return {"channel": "review", "title": title, "rating": rating, "text": text, "by": by, "at": at,
            "raw": True, "within": within, "lang": None}


BEFORE_DASHBOARDS_2 = ("08-28", "11-01")
BEFORE_CHECKLIST_V2 = ("08-28", "09-30")

# ---- story 1: double-charged invoices after the billing release of Monday 5 October (W41).
# Chronological: the posts are given dates in this order.
DOUBLE_CHARGE: list[Post] = [
    tw("Not the email I wanted tonight: 'Your payment of {amt} to Lumenary succeeded'. Twice. What went wrong, @beaconhq? Not happy."),
    tw("Anyone else get double-billed by Beacon today? Two identical charges of {amt} within minutes. Weird and annoying."),
    tw("@beaconhq just charged our card twice for the same invoice ({inv}, {amt} each). Finance is asking me why we're paying double for analytics. Not great."),
    tw("Seeing a lot of Beacon customers reporting duplicate invoice charges today. If you're on @beaconhq, check your payments. Vendors: idempotency keys are not optional. 🧵",
       by="metricsmaven", at="10-06 08:40"),
    tw("PSA for Beacon customers: check your card statement. We were wrongly charged twice for {inv}. Looks like a widespread problem."),
    tw("Love starting the week with a surprise double charge from @beaconhq. Truly innovative billing. 🙃"),
    tw("our bank flagged two {amt} payments to Lumenary within 4 minutes. fraud alert, card frozen, half our tools now failing. thanks beacon"),
    sup("We were charged twice for invoice {inv}. Both charges of {amt} show as succeeded on the billing page. Can you refund the duplicate and confirm it won't happen again next month? Our finance team has already escalated this and it's frustrating."),
    tw("Two payments, same invoice number, same amount, both taken. @beaconhq your billing is broken, this is a mess. #saas"),
    tw("Me cobraron dos veces la factura de Beacon este mes 😡 ¿A alguien más le pasó? @beaconhq", by="ana_data", raw=True, lang="es"),
    tw("that moment when the analytics tool you pay for can't count its own invoices 🤡 @beaconhq"),
    sup("We were billed twice this cycle. I opened ticket {ticket} this morning and only got an auto-reply. Our policy requires vendors to fix billing errors within 48 hours, otherwise procurement gets involved. Very disappointing."),
    tw("Hey @beaconhq, we got charged twice ({inv}). Can someone DM me? The email auto-reply says 48h, which is way too slow for a billing error."),
    tw("Is it just me or did @beaconhq bill everyone twice this week? My feed is full of angry customers. Yikes."),
    tw("Beacon double charged us. The product is fine, but a billing bug like this is unacceptable."),
    tw("So the rumours are true, Beacon double charged a bunch of us. Mine: {amt} twice. Refund requested. Disappointed."),
    sup("Our invoice {inv} was paid twice and now we also got a 'payment failed' email for it. Very confusing. Which one is real? I don't want our workspace suspended over your billing bug."),
    tw("@beaconhq your billing system charged our startup twice and our account nearly went overdrawn. Small companies really feel this kind of mistake. Terrible."),
    tw("Beacon charged us {amt_x2} instead of {amt}. It took an afternoon to reconcile and it's terrible for trust."),
    tw("Just got off a call with our accountant about the duplicate Beacon charge. Nobody wants to explain a vendor's billing bug on a Wednesday. Painful."),
    tw("Dear @beaconhq, I do not want to pay for my product analytics twice. Sincerely, a founder with a short runway"),
    rev("Awful billing week", 2, "Beacon's funnels are decent, but this month we were charged twice for the same invoice and it took {days} days and three emails to get clarity on the refund. Billing errors destroy trust. Two stars until the process is fixed."),
    tw("Accounting just asked why Lumenary shows up twice on the card statement for {amt}. Great question! Ask @beaconhq 🙃"),
    sup("Is the double charge issue fixed? The status page mentions it, but a second charge from yesterday is still pending on our card. Should we expect another one at the next retry? Worried."),
    tw("Beacon double charge confirmed on our side too. {amt} x2. Disappointed, we literally just renewed."),
    tw("Nothing like a 2x charge on the company Amex to ruin month-end close. @beaconhq sort it out please"),
    sup("The duplicate charge broke our expense workflow because the same invoice number now appears twice in our finance system. We need a corrected credit note as a PDF and an explanation of what went wrong. Really annoying mess to clean up."),
    tw("The Beacon billing bug hit us. Refund promised in 5-10 business days. Meanwhile we're {amt} short this month. Annoying."),
    rev("Double charged, slow response", 1, "We got hit by the duplicate invoice bug. Support was slow and we had to chase them twice. For a tool we pay {amt} a month for, this is poor. Considering alternatives."),
    tw("Day 3 of waiting for my refund for the Beacon double charge. My bank shows nothing. Frustrating and stressful."),
    tw("🤬 double charged. again. @beaconhq"),
    rev("Billing surprise hurt our trust", 2, "Beacon's funnels are the reason we bought it. But a double charge this month, and a refund that takes a week to show up, made our finance team angry and suspicious of the vendor. Fix billing reliability."),
    tw("Refund for the double charge still hasn't arrived and the invoice page shows a failed payment for the second one?? What is going on @beaconhq"),
    rev("Billing problems", 2, "Product is fine. Billing is not. Two charges for one invoice and an unclear refund timeline. Frustrating."),
    tw("Still annoyed about the Beacon double charge. Two wasted hours on a bug that wasn't ours."),
    tw("Finally got the refund for Beacon's double charge. A week of chasing for a bug that wasn't ours. Not a fun week."),
]
DOUBLE_CHARGE_DAYS = {"10-05": 3, "10-06": 11, "10-07": 9, "10-08": 6, "10-09": 4, "10-10": 2, "10-11": 1}

REFUND_AFTERMATH: list[Post] = [
    tw("Credit where due: @beaconhq refunded the duplicate charge and added a 10% credit to our next invoice without us asking. Good recovery.", at="10-12 10:20"),
    tw("Beacon sent a clear, honest email about the double charge bug and the refund landed today. Appreciate the transparency. 👍", at="10-13 16:05"),
    sup("Just confirming the duplicate charge was refunded and the credit shows on our billing page. Thanks to Kate for the quick and friendly help!", at="10-15 09:40"),
]

# ---- story 2: mobile SDK crashes after Android SDK 4.2.0 (released Tuesday 15 September).
ANDROID_CRASH: list[Post] = [
    tw("Beacon Android SDK 4.2.0 tanked our crash-free rate overnight. Play Console is on fire. Rolling back. Terrible."),
    tw("Why does an analytics SDK need to crash my app?? Beacon 4.2.0 on Android 14 = ANRs everywhere 😡"),
    tw("Heads up Android devs: @beaconhq Android SDK 4.2.0 crashes our app on startup for a chunk of users (IllegalStateException from WorkManager). Rolled back to 4.1.3. Crash-free sessions dropped from 99.8% to 97%. 😬",
       by="shipfast_sean", at="09-16 08:05"),
    sup("Android SDK 4.2.0 crashes at app start. Stack trace: java.lang.IllegalStateException: WorkManager is not initialized properly, at com.beacon.sdk.flush.FlushScheduler.schedule. We use a custom WorkManager Configuration.Provider in our Application class. This did not happen on 4.1.3. Is there a workaround other than downgrading? This is blocking our release."),
    tw("kotlin devs: avoid beacon android 4.2.0, it crashes if you initialise workmanager yourself. broken release."),
    tw("Crashlytics says the top crash in our app this week is inside Beacon's SDK. Awkward conversation with my manager. Not great @beaconhq"),
    sup("Our app crashes on launch on Samsung devices after upgrading to Beacon Android 4.2.0. We had to roll back the whole release. Please publish a post-mortem, we need to explain this failure to our stakeholders."),
    tw("Day 2 of the Beacon Android SDK crash. Support replied with a workaround, but we're angry we had to find this in production."),
    tw("Shipping a crash in an analytics SDK is bad. Shipping it without a canary is worse. Come on @beaconhq."),
    tw("Pinned Beacon Android SDK to 4.1.3 in all our apps until they sort out the WorkManager crash. Sad, 4.2 had stuff we wanted."),
    sup("We see ANRs in the Play Console pointing at BeaconQueue.flushSync on the main thread after upgrading to 4.2.0, mostly Pixel devices on Android 14. Our users are often offline so the queue gets big. Very frustrating, our vitals are now above the bad behavior threshold."),
    tw("Android SDK update from Beacon broke our release. Had to push an emergency build on a Friday night. Not happy."),
    tw("beacon sdk crashed our app on 12k devices. cool. very cool. 🙃"),
    tw("The Beacon Android crash is the worst kind of bug: only on cold start, only some devices, only release builds. Lost 6 hours bisecting. Awful."),
    tw("Reminder to self: never bump an analytics SDK the same week as a big release. Beacon 4.2.0 crash cost us the weekend."),
    tw("@beaconhq is there an ETA for a fix to the Android 4.2.0 crash? Our Play Store rating dropped from 4.6 to 4.3 this week. Painful."),
    tw("Another app hit by the Beacon 4.2.0 crash. Friends don't let friends auto-update SDK dependencies. 😩"),
    rev("Android SDK quality issues", 2, "The Android SDK 4.2.0 release crashed our app in about 3% of sessions and the fix took a week. An analytics SDK should never take down the host app. Poor release testing."),
    tw("Our QA caught the Beacon SDK crash before it hit production, thankfully. Still, really disappointing quality for a paid product."),
    tw("Beacon 4.2.1 fixed the startup crash but we still get ANRs when the offline queue is big 😞 @beaconhq"),
    sup("After updating to Android SDK 4.2.1 the crash is gone, but events recorded while offline are missing after the app is force-stopped. Data loss is a serious problem for us. Does the queue survive process death in 4.2.x?"),
    rev("Shaky Android SDK", 2, "The September Android SDK release crashed our app and at first support could only tell us to downgrade. Lost a lot of trust with our mobile team. Disappointing."),
]
ANDROID_CRASH_DAYS = {"09-15": 2, "09-16": 5, "09-17": 4, "09-18": 3, "09-19": 1, "09-20": 1,
                      "09-21": 2, "09-23": 1, "09-24": 2, "09-27": 1}
ANDROID_FIXED: list[Post] = [
    tw("Kudos @beaconhq for the quick 4.2.1 hotfix and the detailed changelog. Crash-free back to 99.8% for us. 👏", at="09-23 11:30"),
    tw("Beacon Android SDK 4.2.2 is out and our ANRs are gone. Thanks to Sam from their mobile team who replied on the forum within an hour.", at="09-30 14:10"),
]

# ---- story 3: praise for Dashboards 2.0 (launched Monday 2 November, 15:00 UTC).
DASHBOARDS_PRAISE: list[Post] = [
    tw("The new Beacon dashboards are 🔥. Love the cross-filtering between charts, exactly what we needed for our weekly product review."),
    tw("Charts loading instantly now in @beaconhq. Amazing. Whatever you did to the query cache, keep doing it."),
    tw("Honestly didn't expect much from a dashboard redesign but Beacon nailed it. Dashboard-level date filters ftw."),
    tw("Just discovered you can shift-click bars in the new Beacon dashboards to filter on several values. Delightful."),
    tw("Beacon Dashboards 2.0 is the best analytics UX update I've seen this year. Drag-and-drop layout, retention heatmaps, and charts load in under a second. Great work @beaconhq 👏",
       by="productpaula", at="11-03 13:15"),
    tw("📊🔥🙌", by="martina_ux", raw=True),
    tw("Rebuilt our exec dashboard in Beacon in 20 minutes with the new grid layout. It used to take me half a day to get it looking right. So good."),
    tw("The Sankey path chart in the new Beacon dashboards finally showed us where users drop off after signup. Love it."),
    tw("Die neuen Dashboards in Beacon sind richtig gut. Endlich Cross-Filter und schnelle Charts 👍", by="fbergmann", raw=True, lang="de"),
    sup("Just wanted to say the new dashboards are excellent. Quick tip for others: hold Shift while clicking a bar to cross-filter on multiple values."),
    tw("new beacon dashboards = my monday metrics meeting is 15 min shorter. thank you 🙏"),
    tw("Beacon's new retention heatmap is gorgeous and actually useful. Our CS team is obsessed."),
    rev("Dashboards 2.0 is a big step up", 5, "We've used Beacon for two years. The November dashboards release fixed almost every complaint we had: charts are fast (under a second in our workspace), the layout is flexible, and cross-filtering works across chart types. Highly recommended for product teams."),
    tw("Funnel charts in the new Beacon dashboards are so much clearer. Conversion between steps is readable at a glance now. Nice job @beaconhq"),
    tw("Stable chart colors! Finally! Beacon dashboards 2.0 fixed my biggest pet peeve 😍"),
    tw("Moved all 14 of our team dashboards to the new Beacon layout today. Zero breakage, everything faster. Impressed."),
    tw("Cross-filtering in @beaconhq dashboards is so good that our weekly metrics review now happens inside the dashboard instead of a slide deck."),
    sup("Love the new dashboards! Great job. Is there a way to copy a chart to another dashboard? That would make it perfect."),
    tw("Beacon dashboards update is superb. Annotations on the timeline saved me from a very awkward 'why did signups spike' thread."),
    rev("Finally, dashboards I enjoy using", 5, "Resizable charts, a proper grid, fast loading and the new Sankey chart. Our PMs stopped exporting Beacon data to spreadsheets, which is the best compliment I can give."),
    tw("The retention heatmap in Beacon's new dashboards answered in 5 minutes a question our data team had on the backlog for a month. Wonderful."),
    tw("Just shared a Beacon dashboard with our board via a public link and it looked great on mobile. Excellent update."),
    rev("Fast, flexible, beautiful", 5, "The new dashboards load almost instantly even with 20 charts, and the resizable grid finally lets us build a proper overview page. Annotations are great for marking releases. Excellent work."),
    tw("I was a Dashboards 2.0 beta tester for Beacon and the final version is even better. The team clearly listened to feedback. 💜"),
    tw("Our PMs stopped exporting Beacon data to spreadsheets since the new dashboards shipped. Best compliment I can give."),
    rev("Great redesign", 4, "The new dashboards are excellent and much faster. Only wishes: more color palettes and a dark mode for TV displays. Otherwise fantastic."),
]
DASHBOARDS_PRAISE_DAYS = {"11-02": 4, "11-03": 6, "11-04": 5, "11-05": 3, "11-06": 3, "11-07": 1,
                          "11-09": 2, "11-10": 1, "11-12": 1}
DASHBOARDS_QUESTIONS: list[Post] = [
    sup("Where did the 'duplicate chart' button go in the new dashboards? I can't find it.", at="11-03 09:20"),
    sup("Is Dashboards 2.0 available on the Starter plan or only on Growth?", at="11-05 12:45"),
    sup("Will the old dashboard URLs keep working after the move to the new layout? We link them from our wiki.", at="11-09 10:05"),
]

# ---- story 4: the slow-burn Okta SSO login loop (every few days, the whole period).
SSO_LOOP: list[Post] = [
    tw("Beacon SSO with Okta is stuck in a redirect loop again. Okta → Beacon → Okta → Beacon. Our analysts can't log in. @beaconhq"),
    sup("SAML login loop with the Okta tile: when our users click the Beacon tile in the Okta dashboard, the browser bounces between Okta and app.beacon.example about ten times and then shows 'too many redirects'. Logging in from the Beacon login page works. Ticket {ticket}. Is a fix planned? This is very annoying for our staff."),
    tw("Is anyone else's Okta SSO into Beacon looping forever? Started for us after enabling 'force re-authentication' in Okta. Frustrating."),
    tw("Third time this month our team got caught in the Beacon/Okta login loop. Clearing cookies works, for a day. Frustrating."),
    tw("Pro tip if you're stuck in the Beacon Okta loop: log in from the Beacon URL (/sso/your-org) instead of the Okta tile. Works every time for us."),
    tw("Our IT team is asking why Beacon is the only app in our Okta tenant with a login loop. I don't have a good answer. @beaconhq"),
    rev("SSO is painful", 2, "SSO via Okta has been unreliable for months: intermittent redirect loops that support can only work around. For an Enterprise plan that's a serious problem."),
    tw("Beacon SSO loop hit our whole sales team this morning. 40 people locked out for an hour. Not ok for an enterprise tool."),
    sup("Does the Okta login loop also affect Azure AD? We're migrating identity providers next quarter and want to know whether to expect the same behaviour."),
    tw("Login loop again 🙄 so annoying. @beaconhq #okta"),
    sup("The workaround for the Okta loop (setting Default RelayState to '/') helped most of our users but not people on Safari. Any update on a permanent fix? This has been open for weeks and it's frustrating."),
    tw("still stuck in the okta loop on beacon. 6 weeks now. this is ridiculous."),
    tw("Spent my morning as an Okta admin debugging a SAML loop that turned out to be Beacon's session cookie. Again. Wasted morning, fix it properly."),
    tw("@beaconhq any ETA on the Okta SSO loop fix? Your support said 'this quarter' back in September. Still broken."),
    tw("Incognito window is now part of our official Beacon login instructions because of the SSO loop. Embarrassing."),
    sup("After the Beacon update on 20 October the loop is less frequent, but users with 'Force authentication' enabled in Okta still get stuck every time. Can you confirm whether this is a known limitation? It's blocking people daily."),
    tw("Beacon + Okta: login, loop, login, loop. Our security team is threatening to turn off SSO, and that's the whole reason we pay for Enterprise."),
    tw("Our new hires can't get into Beacon on day one because of the Okta redirect loop. Bad first impression of the tool."),
    sup("Users in our Okta org are intermittently stuck in a redirect loop when opening Beacon from the Okta dashboard. It started again this week after a quiet period. Ticket {ticket}. We already set Default RelayState to '/'. What else can we try? Getting very frustrating."),
    tw("Our Okta admins now call the Beacon login 'the merry-go-round'. Okta → Beacon → Okta. Not funny anymore."),
    rev("Enterprise features need work", 2, "SAML with Okta loops for some users every few days. Support responds quickly, but we need a real fix, not workarounds. Frustrating for an Enterprise customer."),
    sup("Is the Okta login loop fix planned for December going to require any change on our side, like new metadata or a new ACS URL?"),
    tw("SSO login loop is back after your release this week. Okta → Beacon → Okta. Awful. Add a test for this. 😩"),
    tw("Week 12 of telling people 'use the other login link' for Beacon. The Okta loop is ridiculous."),
]

# ---- baseline traffic: every area, every sentiment, spread over twelve weeks ---------------
BASELINE: dict[str, dict[str, list[Post]]] = {
    "billing": {
        "neg": [
            tw("Beacon's invoice PDFs still don't show our VAT number even though it's in billing settings. Our accountant keeps rejecting them. Annoying."),
            tw("Why does @beaconhq bill overage without a clear warning? Unexpected {amt} invoice. Not cool, very annoying."),
            sup("We switched our plan from monthly to annual and got charged for the full year without any credit for the current month. Confusing and frustrating. Can someone explain the proration?"),
            sup("Our workspace went read-only because of a failed payment and no warning email reached us. Terrible timing, our dashboards were down during a board meeting. Please send dunning emails to all billing contacts."),
        ],
        "neu": [
            sup("How can I add a PO number to Beacon invoices? Our procurement team requires it on every invoice."),
            sup("Can we pay Beacon invoices by bank transfer instead of card? We're on the annual Growth plan."),
            tw("Does anyone know if Beacon invoices can go to a shared finance@ address instead of the account owner?"),
            sup("Where do I download past invoices? I need the last 6 months for our auditors."),
            sup("Is it possible to change the billing currency from USD to EUR in the middle of a contract?"),
            sup("What day of the month does Beacon bill? Our invoices arrive on the 17th, not the 1st."),
            tw("Finance question for Beacon users: do you book it as software or as data infrastructure? Asking for our budget split."),
            sup("We need a W-9 from Lumenary for our vendor setup. Where can I get it?"),
        ],
        "pos": [
            tw("Beacon's billing page is refreshingly clear: usage graph, projected overage, invoice history. More vendors should do this."),
            tw("Had a billing mix-up with Beacon and their support fixed it in 20 minutes with a credit note. Great service 👏"),
            tw("Love that @beaconhq emails a heads-up at 80% of our event quota. Saved us from an overage twice already."),
            rev("Clear pricing, painless billing", 5, "Invoices are clear, the usage page shows exactly where our events come from, and the VAT reverse charge worked first time. Easy to get through procurement."),
            sup("Thanks for adding the PO number field to invoices, our procurement team is happy now!"),
            tw("Switched Beacon to annual billing and the proration credit showed up right away. Smooth."),
        ],
    },
    "sso": {
        "neg": [
            tw("Beacon requires Enterprise for SCIM. In 2026. The SSO tax is real and annoying 😒"),
            sup("SCIM deprovisioning didn't remove a departed employee from Beacon for 40 minutes. That's a security problem for us. Why so slow?"),
            tw("Set up SAML for Beacon with Azure AD and every login failed with SAML_NO_EMAIL. Docs could be much clearer. Lost an afternoon."),
        ],
        "neu": [
            sup("Does Beacon support SAML with Google Workspace? The docs only show Okta and Azure AD examples."),
            sup("How do we rotate the SAML signing certificate without locking everyone out?"),
            tw("Setting up Beacon SSO with Azure AD today. Any gotchas? #sysadmin"),
            sup("Can we enforce SSO for all users but keep one break-glass admin with password login?"),
            sup("Is JIT provisioning supported, or do we need SCIM to create users?"),
            sup("Can Okta groups be mapped to Beacon roles (Admin, Editor, Viewer) automatically?"),
            tw("Evaluating product analytics tools and SSO is on our checklist. Beacon has SAML on Growth as an add-on now."),
        ],
        "pos": [
            tw("Set up Beacon SAML with Azure AD in about 15 minutes. The step-by-step guide was excellent."),
            tw("SCIM provisioning in Beacon just works. Added 120 users from Okta groups, roles mapped correctly. Great. 👍"),
            sup("Beacon support helped me debug our SAML clock-skew issue on a Sunday. Above and beyond, thank you!"),
            sup("Thanks for the quick help with our Okta group mapping, everything works now. Great support!"),
            rev("Enterprise-ready", 4, "SSO and SCIM were easy to set up and our security team approved Beacon quickly. The log of login attempts is a nice touch for audits."),
        ],
    },
    "mobile-sdk": {
        "neg": [
            tw("The Beacon iOS SDK adds over a megabyte to our app binary. Too bloated for an analytics library."),
            tw("Still no official Flutter plugin for Beacon? The community one is outdated and breaks on iOS 18. Disappointing."),
            sup("Events from our iOS app show up in Beacon with long delays while debugging. Makes live testing painful. Is something broken?"),
            tw("React Native upgrade + old Beacon wrapper = broken build. Annoying afternoon."),
        ],
        "neu": [
            sup("How do I set the flush interval in the iOS SDK? We want events sent every 10 seconds in debug builds."),
            sup("Does the Beacon React Native wrapper support the new architecture (Fabric/TurboModules)?"),
            tw("Anyone using Beacon with Kotlin Multiplatform? Curious how you share event definitions between iOS and Android."),
            sup("Does the iOS SDK include a privacy manifest for App Store review?"),
            sup("What's the maximum size of the offline event queue on Android?"),
            sup("Can the Android SDK send events through a proxy? Some of our enterprise users route all traffic through one."),
            tw("Comparing mobile analytics SDK sizes for a blog post: Beacon, two others, and rolling our own. Results next week."),
        ],
        "pos": [
            tw("Beacon iOS SDK setup took 10 minutes including the privacy manifest. Clean API. 👌"),
            tw("Beacon's mobile SDK docs are some of the best I've used. Swift and Kotlin samples side by side."),
            tw("Beacon's React Native wrapper 2.4 works with the new architecture out of the box. Painless upgrade 🙌", raw=True),
            tw("Offline queue in Beacon's iOS SDK is excellent. Our field app is offline for hours and every event still arrives."),
            rev("Great mobile analytics", 5, "We instrumented both our iOS and Android apps in a day. Event names are consistent across platforms and the debug view shows events within seconds. Highly recommend."),
        ],
    },
    "data-export": {
        "neg": [
            tw("Our Beacon daily S3 export was hours late again. Downstream dbt jobs all failed. @beaconhq 😤"),
            sup("The Parquet export changed a column type from int64 to string without notice and broke our Snowflake pipeline. Terrible surprise on a Monday. Version the schema!"),
            tw("Beacon BigQuery connector kept failing with a permissions error even though the service account had dataEditor. Wasted a day on it."),
            tw("Beacon export backfill for 90 days has been 'queued' for two days. Hello? Very frustrating.", within=("11-08", "11-12")),
            sup("Our export files for yesterday are incomplete, some event folders are missing. This breaks our finance reporting. Very frustrating."),
        ],
        "neu": [
            sup("What time do daily exports land in S3? We want to schedule our Airflow DAG after it."),
            sup("Can we export raw events to GCS instead of S3?"),
            sup("Is there a way to backfill the Snowflake connector for events from before we enabled it?"),
            tw("Evaluating Beacon's raw event export for our data lake. Anyone have numbers on file sizes per million events?"),
            sup("Do the export files include a manifest so we know when a day is complete?"),
            sup("Which IAM permissions does the export role need on our S3 bucket?"),
            tw("Moving our Beacon data into Snowflake this sprint, then joining it with billing data. Will report back."),
            sup("Are deleted users (GDPR deletions) also removed from files that were already exported to our bucket?"),
        ],
        "pos": [
            tw("Beacon's Parquet exports are nicely partitioned by date and event name. Our data team is very happy."),
            tw("Hooked Beacon to Snowflake in under an hour. Data arrived with sensible column names. Great job."),
            sup("Just want to say the BigQuery connector has been rock solid for us for six months. Great work."),
            tw("The export manifest file in Beacon made our Airflow sensor trivial. Small detail, big win 🙌"),
            rev("The best raw data access of any analytics tool", 5, "Daily Parquet files to our own bucket plus an hourly BigQuery connector. Our analysts use Beacon for quick questions and the warehouse for deep dives. Reliable and well documented."),
            tw("Ran a 90-day Beacon backfill into BigQuery, about 400M events, done in 5 hours. Impressive."),
        ],
    },
    "dashboards": {
        "neg": [
            tw("Beacon dashboards take forever to load with more than 10 charts. 8 seconds for our main board. Painful.", within=BEFORE_DASHBOARDS_2),
            tw("Can't resize charts in Beacon dashboards. Everything is the same size. It's 2026, this is frustrating.", within=BEFORE_DASHBOARDS_2),
            tw("Beacon chart colors change every time I reload. Our legend is useless in screenshots. 🙄", within=BEFORE_DASHBOARDS_2),
            tw("Another week, another Beacon dashboard that times out on a 90-day range. 😩", within=BEFORE_DASHBOARDS_2),
        ],
        "neu": [
            sup("Is there a way to schedule a Beacon dashboard to be emailed every Monday as a PDF?"),
            sup("Can I embed a Beacon chart in Notion?"),
            tw("Beacon folks: any plans for a dark mode on dashboards? Asking for our office TV."),
            sup("How do I compare this week vs last week on a line chart?"),
            sup("What's the maximum number of charts on a single dashboard?"),
            sup("Can I share a dashboard with someone outside our workspace without giving them a seat?"),
            tw("Rebuilding our KPI dashboards this quarter. Beacon for product metrics, the BI tool for finance. Seems to be the common split."),
        ],
        "pos": [
            tw("Beacon's funnel charts are the clearest of any tool we evaluated. Love them."),
            tw("Our growth team lives in Beacon dashboards. Easy to share and everyone actually uses them."),
            tw("Built a retention dashboard in Beacon for our investor update. Took 15 minutes and looks excellent."),
            tw("Annotated our release dates on Beacon charts and the before/after story is crystal clear. Love it.", within=("11-02", "11-19")),
            rev("Great for product teams", 4, "Funnels and retention are excellent and easy to share. Dashboards get slow with many charts, but the analysis itself is top notch.", within=BEFORE_DASHBOARDS_2),
        ],
    },
    "onboarding": {
        "neg": [
            tw("Beacon onboarding checklist says 'send your first event' is incomplete even though events are clearly arriving. Confusing and annoying.", within=BEFORE_CHECKLIST_V2),
            tw("Signed up for a Beacon trial, got 6 onboarding emails in 3 days. Way too much, feels like spam.", within=BEFORE_CHECKLIST_V2),
            sup("The setup wizard assumes React. Our app is Vue and the snippet didn't work out of the box. Frustrating first hour.", within=BEFORE_CHECKLIST_V2),
            tw("Beacon onboarding wants me to invite teammates before I've even decided if I like the tool. Pushy and annoying."),
        ],
        "neu": [
            sup("Can I hide the onboarding checklist? It keeps popping up for analysts who don't need to install anything."),
            sup("How do I delete the Demo Shop sample project after onboarding?"),
            tw("First day trying Beacon. The sample data project is handy for seeing what charts look like."),
            sup("Is there an onboarding checklist for admins, e.g. setting up SSO and roles?"),
            tw("Evaluating Beacon vs two other tools this week. Any tips for getting the most out of a 14-day trial?"),
            sup("We deleted Demo Shop by accident, can it be restored? We use it to train new colleagues."),
            sup("Does the checklist count events from our staging environment? We only want production to count."),
        ],
        "pos": [
            tw("Beacon's onboarding checklist is great. From signup to first dashboard in 25 minutes."),
            tw("The Demo Shop sample data in Beacon is a smart idea. I could explore funnels before installing anything."),
            tw("Onboarded our whole team to Beacon in an afternoon. The invite flow and checklist made it easy."),
            tw("Beacon's trial was the easiest onboarding of the three analytics tools we tested. Clear checklist, helpful emails."),
            tw("Really nice touch: Beacon's checklist links straight to the SDK snippet with our project key filled in. 👏"),
            rev("Easiest setup of any analytics tool", 5, "Signed up, installed the snippet, saw the first event live on the checklist within minutes. The sample project helped our PMs learn the tool before our own data arrived. Great experience."),
        ],
    },
    "pricing": {
        "neg": [
            tw("Beacon raised the Growth plan from $349 to $399. Same features. Disappointed and annoyed by a 14% increase."),
            tw("Love Beacon but the jump from Starter to Growth is brutal for a 5-person startup."),
            tw("Overage pricing on Beacon is painful. $18 per extra million events adds up fast during launch weeks."),
            tw("Why is SCIM locked behind the Enterprise plan? Pricing feels designed to squeeze mid-size teams. Frustrating."),
            rev("Good tool, getting expensive", 2, "We've used Beacon for a year, but the new Growth price plus overage charges make it hard to justify for a small team. Too expensive now, considering a cheaper plan."),
        ],
        "neu": [
            sup("Does the annual plan include two months free on Growth, or only on Enterprise?"),
            sup("Do you have a nonprofit discount? We're a registered charity."),
            tw("Comparing product analytics pricing: Beacon Growth is $399/mo for 20M events. Anyone negotiated on annual?"),
            sup("What counts as an event for billing purposes? Do identify calls count?"),
            sup("If we downgrade from Growth to Starter, what happens to data older than 13 months?"),
            sup("Is the SSO add-on billed monthly even if we're on an annual Growth plan?"),
            tw("Spreadsheet time: Beacon Starter vs Growth for our volume (~8M events/mo). Starter caps at 5M, so Growth it is, I guess."),
        ],
        "pos": [
            tw("Beacon's startup program gave us 50% off for the first year. Huge help at our stage. 🙏"),
            tw("Beacon's free tier with 1M events a month was plenty to validate our MVP. Great way to start."),
            tw("Transparent pricing page, no 'contact sales' for the main plans. Respect, @beaconhq."),
            tw("Beacon's annual plan with two months free made the budget conversation easy. Great value for us."),
            tw("Unlimited seats on Beacon Growth means the whole company can finally look at the same numbers. Worth it."),
            sup("Thanks for the overage waiver after our tracking bug. Very fair of you."),
        ],
    },
    "api": {
        "neg": [
            tw("Hitting Beacon API rate limits constantly at 100 req/min on Starter. That's nothing for a backfill script. Frustrating."),
            tw("Beacon API returned 429s without a Retry-After header for an hour today. Our client backed off blindly and failed. Broken.", at="10-20 14:30"),
            tw("API v1 deprecation email from Beacon gives us until January. Not enough time for a team of two. Stressful."),
            tw("The Beacon query API times out on anything longer than 60 days. Disappointing."),
        ],
        "neu": [
            sup("What are the API rate limits on the Growth plan? Is the limit per token or per workspace?"),
            sup("Is there an official Python client for the Beacon API?"),
            sup("How do we create a read-only API token for our BI tool?"),
            tw("Migrating from Beacon API v1 to v2 this sprint. Pagination is cursor-based now, heads up."),
            sup("Does the ingest API have a separate limit from the REST API?"),
            sup("Can API tokens be set to never expire? Our integration broke when a token expired after a year."),
            sup("Is there a sandbox or test mode for the API so we don't pollute production data?"),
        ],
        "pos": [
            tw("Beacon's API docs are excellent. Clear examples, consistent errors, and proper Retry-After headers."),
            tw("The Beacon v2 API is a joy. Cursor pagination and scoped tokens done right."),
            tw("Beacon's API returns helpful error messages with a request id. Support found our issue in minutes. Excellent."),
            tw("Wrote a Beacon → Slack weekly digest using their API in 40 lines of Python. Nice API design. 🐍"),
            rev("Developer friendly", 5, "Good REST API, official Python and Node clients, clear rate limits. We automated our weekly reporting in an afternoon."),
            sup("Thanks for extending our API v1 access until March, that really helps our small team.", within=("11-09", "11-19")),
        ],
    },
    "gdpr": {
        "neg": [
            tw("Beacon user deletion requests can take up to 30 days to complete. Our DPO is not thrilled."),
            tw("No contractual EU data residency on Beacon's Starter plan. Deal-breaker for us in Germany. Disappointing."),
            tw("Asked Beacon for their sub-processor list and waited a week. Slow and annoying, it should just be a public page."),
        ],
        "neu": [
            sup("How do we submit a GDPR deletion request for a single end user via the API?"),
            sup("What's the default data retention for raw events on the Growth plan?"),
            sup("Can we sign a DPA with Beacon? Our legal team needs it before procurement."),
            tw("Any Beacon users in the EU: is the Frankfurt region the default for new workspaces now?"),
            sup("Does Beacon store IP addresses? We need to know for our privacy notice."),
            sup("How long are backups kept after we delete a user?"),
            sup("Can we set a shorter retention than our plan default, for example 6 months?"),
        ],
        "pos": [
            tw("Beacon's EU region + IP truncation made our GDPR review painless. Legal signed off in a day."),
            tw("Deletion API in Beacon is simple and the confirmation webhook is a nice touch for our DSAR audit trail."),
            tw("Beacon's security & privacy docs are thorough. Made our vendor assessment quick. 👍"),
            sup("Thank you for the fast DPA turnaround, our legal team was impressed."),
            rev("Privacy-conscious analytics", 4, "EU hosting, IP truncation by default and a clear DPA. Our legal team was happy. Only minus: contractual residency needs Growth."),
        ],
    },
    "general": {
        "neg": [
            tw("Beacon was down for 40 minutes this afternoon and the status page said 'operational' the whole time. Not great."),
            tw("Beacon support response times have gotten slower lately. 2 days for a first reply. Disappointing."),
            tw("Beacon's UI is getting cluttered. Too many features in the sidebar, hard to find anything."),
        ],
        "neu": [
            rev("Powerful, with a learning curve", 3, "Beacon can answer almost any product question, but it took our team a few weeks to get comfortable. Decent docs, busy UI."),
            tw("Switching our product analytics from spreadsheets to Beacon this quarter. Wish us luck."),
            tw("Anyone using Beacon and a data warehouse side by side? Which one do your PMs actually open?"),
            tw("Hosting a product analytics meetup next week, folks from @beaconhq will talk about event naming."),
            tw("Beacon or build our own on ClickHouse? Debating this with the team today."),
            tw("Reading Beacon's blog post on event naming conventions. Useful checklist."),
            tw("Our PM asked for Beacon access for the whole design team. Checking our plan now."),
        ],
        "pos": [
            tw("Beacon has become the first tab I open every morning. Best product analytics tool we've used."),
            tw("Shoutout to Beacon support, fastest responses of any vendor we work with."),
            tw("Six months with Beacon: our PMs answer their own questions now instead of waiting on the data team. Excellent tool."),
            tw("Beacon keeps getting better. Every release this year has been useful."),
            tw("We replaced three tools with Beacon. Cheaper, and our PMs are happier. 💯"),
            rev("Our team's favourite tool", 5, "Beacon is fast, the funnels and retention reports are excellent, and support actually knows the product. Great value."),
        ],
    },
}

# Who tends to post about what.
AREA_PERSONAS = {
    "billing": {"finance", "founder"}, "sso": {"admin"}, "mobile-sdk": {"mobile", "dev"},
    "data-export": {"data", "dev"}, "dashboards": {"pm", "data"}, "onboarding": {"pm", "founder", "dev"},
    "pricing": {"founder", "finance", "pm"}, "api": {"dev", "data"}, "gdpr": {"admin", "data"},
    "general": {"pm", "founder", "dev", "data", "finance", "admin", "mobile"},
}

OPENERS = {
    "neg": ["Ugh. ", "Seriously, ", "Not impressed: ", "Sigh. ", "Honest feedback: "],
    "neu": ["Q for Beacon users: ", "Quick question: ", "Curious: "],
    "pos": ["Small win today: ", "Big fan: ", "Shoutout: "],
}
CLOSERS = {
    "neg": [" 😤", " 🙄", " Anyone else?", " Please fix.", " 👎"],
    "neu": [" #productanalytics", " Tips welcome.", " 🤔"],
    "pos": [" 🙌", " 👏", " 💯", " #productanalytics", " Thanks @beaconhq!"],
}
GREETINGS = ["Hi! ", "Hello team! ", "Hi all. ", ""]
CONTEXTS = ["New admin here. ", "Couldn't find this in the docs. ", "We're on Starter. ",
            "Asking for our data team. ", "Following up on an older thread: ", "We just moved to Growth. ",
            "Setting up our second workspace. ", "Sorry if this was asked before. "]
SIGNOFFS = [" Thanks!", " Thanks in advance.", " Any help appreciated.", ""]


# --------------------------------------------------------------------------------------------
# customer posts: scheduling and authors
# --------------------------------------------------------------------------------------------

BASELINE_START, BASELINE_END = date(2026, 8, 28), date(2026, 11, 19)
EXTRA_REPEATS = 15  # common support questions get asked again, by different people


def _day(stamp: str) -> date:
    month, day = stamp.split("-")
    return date(YEAR, int(month), int(day))


def _at(day: date, rng: random.Random, earliest: int = 6) -> datetime:
    hour = rng.choice([h for h in (6, 7, 8, 9, 9, 10, 10, 11, 12, 13, 13, 14, 14, 15, 16, 16, 17, 18, 19, 20, 21, 22) if h >= earliest])
    return datetime(day.year, day.month, day.day, hour, rng.randrange(60), tzinfo=UTC)


def _money(value: float) -> str:
    return f"${value:,.2f}"


class PostWriter:
    """Turns building blocks into dated, attributed customer posts (deterministically)."""

    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)
        self.posted: dict[str, int] = {handle: 0 for handle in CUSTOMER}
        self.items: list[tuple[datetime, str, str, Post, str]] = []  # when, area, sentiment, post, author
        days = [BASELINE_START + timedelta(days=i) for i in range((BASELINE_END - BASELINE_START).days + 1)]
        # daily variation: weekends are quiet, and every day gets its own mood
        self.day_weights = [(0.45 if d.weekday() >= 5 else 1.0) * self.rng.uniform(0.6, 1.5) for d in days]
        self.days = days

    def author(self, area: str, by: str | None) -> str:
        if by:
            self.posted[by] += 1
            return by
        personas = AREA_PERSONAS[area]
        handles = list(CUSTOMER)
        weights = [CUSTOMER[h][4] * (3.0 if CUSTOMER[h][3] in personas else 0.6) / (1 + 0.25 * self.posted[h])
                   for h in handles]
        handle = self.rng.choices(handles, weights)[0]
        self.posted[handle] += 1
        return handle

    def add(self, when: datetime, area: str, sentiment: str, post: Post) -> None:
        handle = self.author(area, post["by"])
        self.items.append((when, area, sentiment, post, handle))

    def story(self, pool: list[Post], days: dict[str, int], area: str, sentiment: str,
              first_hour: int = 6) -> None:
        assert sum(days.values()) == len(pool), (area, sum(days.values()), len(pool))
        slots = []
        for i, (stamp, count) in enumerate(days.items()):
            slots += [_at(_day(stamp), self.rng, first_hour if i == 0 else 6) for _ in range(count)]
        for post, when in zip(pool, sorted(slots), strict=True):
            self.add(t(post["at"]) if post["at"] else when, area, sentiment, post)

    def spread(self, pool: list[Post], start: str, end: str, area: str, sentiment: str) -> None:
        first, last = _day(start), _day(end)
        span = (last - first).days
        for i, post in enumerate(pool):
            offset = round(i * span / (len(pool) - 1) + self.rng.uniform(-1.2, 1.2))
            day = first + timedelta(days=min(max(offset, 0), span))
            self.add(_at(day, self.rng), area, sentiment, post)

    def fixed(self, pool: list[Post], area: str, sentiment: str) -> None:
        for post in pool:
            self.add(t(post["at"]), area, sentiment, post)

    def baseline_day(self, within: tuple[str, str] | None) -> date:
        lo, hi = (_day(within[0]), _day(within[1])) if within else (BASELINE_START, BASELINE_END)
        choices = [(d, w) for d, w in zip(self.days, self.day_weights, strict=True) if lo <= d <= hi]
        return self.rng.choices([d for d, _ in choices], [w for _, w in choices])[0]

    def baseline(self) -> None:
        entries = [(area, sentiment, post) for area, by_sentiment in BASELINE.items()
                   for sentiment, pool in by_sentiment.items() for post in pool]
        repeatable = [e for e in entries if e[1] == "neu" and not e[2]["at"] and e[2]["channel"] == "support"]
        repeats = [(area, sentiment, {**post, "context": self.rng.choice(CONTEXTS)})
                   for area, sentiment, post in self.rng.sample(repeatable, EXTRA_REPEATS)]
        for area, sentiment, post in entries + repeats:
            when = t(post["at"]) if post["at"] else _at(self.baseline_day(post["within"]), self.rng)
            self.add(when, area, sentiment, post)

    def render(self, post: Post, sentiment: str) -> str:
        rng = self.rng
        amount = rng.choice([49.0, 399.0, 349.0, 549.0, 1250.0, 3990.0, 4788.0, 149.0])
        text: str = str(post["text"]).format(
            amt=_money(amount), amt_x2=_money(2 * amount), inv=f"INV-2026-{rng.randint(10100, 19999)}",
            ticket=f"#{rng.randint(48000, 52999)}", days=rng.randint(3, 7))
        if post["raw"]:
            return text
        if post["channel"] == "twitter":
            if rng.random() < 0.3 and not text.startswith("@"):
                text = rng.choice(OPENERS[sentiment]) + text
            if rng.random() < 0.3 and text[-1].isascii():
                text += rng.choice(CLOSERS[sentiment])
        elif post["channel"] == "support":
            text = post.get("context", "") + text
            if rng.random() < 0.5:
                text = rng.choice(GREETINGS) + text
            if rng.random() < 0.5 and "thank" not in text.lower():
                text += rng.choice(SIGNOFFS)
        return text.strip()

    def records(self) -> list[dict[str, Any]]:
        records = []
        counters = {"review": 4100, "support": 8100}
        for i, (when, area, sentiment, post, handle) in enumerate(sorted(self.items, key=lambda x: (x[0], x[4]))):
            assert WINDOW[0] <= when <= WINDOW[1], when
            name, _company, followers, _persona, _weight = CUSTOMER[handle]
            channel = post["channel"]
            text = self.render(post, sentiment)
            if channel == "twitter":
                native = f"{int(when.timestamp())}{i:03d}"
                url = f"https://social.example/{handle}/status/{native}"
                boost = 2.5 if sentiment == "neg" and area in ("billing", "mobile-sdk") else 1.0
                likes = int(followers * self.rng.uniform(0.002, 0.012) * boost) + self.rng.randint(0, 8)
                reposts = int(likes * self.rng.uniform(0.05, 0.3))
            else:
                counters[channel] += self.rng.randint(1, 9)
                native = str(counters[channel])
                if channel == "review":
                    url = f"https://reviews.example/products/beacon/reviews/{native}"
                else:
                    url = f"https://community.lumenary.example/t/{slugify(text[:50])}/{native}"
                likes = self.rng.randint(0, 30 if channel == "review" else 14)
                reposts = 0
            meta: dict[str, Any] = {
                "author": handle, "author_name": name, "followers": followers, "likes": likes,
                "reposts": reposts, "product": "Beacon", "area": area, "channel": channel,
            }
            if channel == "review":
                meta["rating"] = post["rating"]
            if post["lang"]:
                meta["lang"] = post["lang"]
            records.append({
                "id": f"customers:{channel}-{native}",
                "source": "customers",
                "kind": "post",
                "title": post.get("title", ""),
                "text": text,
                "url": url,
                "created_at": iso(when),
                "contributions": [{"person": f"c.{handle}", "role": "author", "at": iso(when)}],
                "access": {"public": True},
                "audience": "customer",
                "tags": [area],
                "meta": meta,
            })
        return records


def customer_posts() -> list[dict[str, Any]]:
    writer = PostWriter(SEED)
    writer.story(DOUBLE_CHARGE, DOUBLE_CHARGE_DAYS, "billing", "neg", first_hour=15)
    writer.fixed(REFUND_AFTERMATH, "billing", "pos")
    writer.story(ANDROID_CRASH, ANDROID_CRASH_DAYS, "mobile-sdk", "neg", first_hour=14)
    writer.fixed(ANDROID_FIXED, "mobile-sdk", "pos")
    writer.story(DASHBOARDS_PRAISE, DASHBOARDS_PRAISE_DAYS, "dashboards", "pos", first_hour=16)
    writer.fixed(DASHBOARDS_QUESTIONS, "dashboards", "neu")
    writer.spread(SSO_LOOP, "08-28", "11-19", "sso", "neg")
    writer.baseline()
    return writer.records()


# --------------------------------------------------------------------------------------------
# checks and output
# --------------------------------------------------------------------------------------------

def check(people: list[dict[str, Any]], documents: list[dict[str, Any]]) -> None:
    """Refuse to write a corpus that breaks the promises the tests rely on."""
    ids = [d["id"] for d in documents] + [p["id"] for p in people]
    duplicates = {i for i in ids if ids.count(i) > 1}
    assert not duplicates, duplicates
    known = {p["id"] for p in people}
    for doc in documents:
        for c in doc["contributions"]:
            assert c["person"] in known, (doc["id"], c["person"])
        for key in ("created_at", "updated_at"):
            if key in doc:
                assert WINDOW[0] <= datetime.fromisoformat(doc[key]) <= WINDOW[1], (doc["id"], key)
    words = [w.lower() for group in RESTRICTED_WORDS.values() for w in group]
    public = [json.dumps(d, ensure_ascii=False).lower() for d in documents if d["access"].get("public")]
    public += [json.dumps(p, ensure_ascii=False).lower() for p in people]
    for word in words:
        leaks = [blob[:60] for blob in public if word in blob]
        assert not leaks, (word, leaks)
    restricted = [json.dumps(d, ensure_ascii=False).lower() for d in documents if not d["access"].get("public")]
    for word in words:
        assert any(word in blob for blob in restricted), word


def write(name: str, records: list[dict[str, Any]]) -> None:
    with open(OUT / name, "w", encoding="utf-8", newline="\n") as fh:
        for record in records:
            fh.write(json.dumps(record, ensure_ascii=False) + "\n")


def main() -> None:
    people = employee_records() + customer_records()
    slack = sorted(SLACK, key=lambda d: (d["created_at"], d["id"]))
    customers = customer_posts()
    check(people, WIKI + slack + QA + customers)
    write("people.jsonl", people)
    write("wiki.jsonl", WIKI)
    write("slack.jsonl", slack)
    write("qa.jsonl", QA)
    write("customers.jsonl", customers)
    for name, records in [("people", people), ("wiki", WIKI), ("slack", slack), ("qa", QA),
                          ("customers", customers)]:
        print(f"{name}.jsonl: {len(records)} records")


if __name__ == "__main__":
    main()
