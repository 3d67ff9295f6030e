"""The public status page as server-rendered HTML: no JavaScript, readable on a phone.

Accessible by construction: a language, landmarks (header, main, footer, labelled
sections), one heading outline, every status written out in words beside its colour,
times in <time> elements, and the uptime bars summarised in text. Everything shown
comes from the public view and is escaped.
"""

from __future__ import annotations

import base64
import hashlib
from datetime import datetime
from html import escape

from domain.statuspage.model import ComponentStatus
from domain.statuspage.public import (
    PublicComponentView,
    PublicIncidentView,
    PublicMaintenanceView,
    PublicStatusPage,
)

STYLE = """
:root{color-scheme:light dark;--ok:#1a7f37;--maint:#0969da;--degraded:#9a6700;
--partial:#bc4c00;--major:#cf222e;--none:#8c959f;--muted:#57606a}
*{box-sizing:border-box}
body{font:1rem/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:0;padding:0 1rem}
header,main,footer{max-width:48rem;margin:0 auto}
header{padding:1.5rem 0 .5rem}
h1{font-size:1.6rem;margin:0}
h2{font-size:1.25rem;margin:2rem 0 .75rem}
h3{font-size:1.05rem;margin:1rem 0 .25rem}
.banner{border-left:.5rem solid var(--none);padding:.75rem 1rem;font-size:1.15rem;font-weight:600;
background:rgba(127,127,127,.08)}
.banner.operational{border-color:var(--ok)}.banner.under_maintenance{border-color:var(--maint)}
.banner.degraded_performance{border-color:var(--degraded)}
.banner.partial_outage{border-color:var(--partial)}.banner.major_outage{border-color:var(--major)}
ul.components{list-style:none;margin:0;padding:0}
ul.components>li{padding:.75rem 0;border-bottom:1px solid rgba(127,127,127,.3)}
.row{display:flex;flex-wrap:wrap;justify-content:space-between;gap:.25rem 1rem}
.name{font-weight:600}
.status{font-weight:600}
.status.operational{color:var(--ok)}.status.under_maintenance{color:var(--maint)}
.status.degraded_performance{color:var(--degraded)}.status.partial_outage{color:var(--partial)}
.status.major_outage{color:var(--major)}
.bars{display:flex;gap:1px;height:1.75rem;margin:.4rem 0 .15rem}
.bar{flex:1 1 0;min-width:1px;background:var(--none);border-radius:1px}
.bar.operational{background:var(--ok)}.bar.under_maintenance{background:var(--maint)}
.bar.degraded_performance{background:var(--degraded)}
.bar.partial_outage{background:var(--partial)}.bar.major_outage{background:var(--major)}
.legend{display:flex;justify-content:space-between;color:var(--muted);font-size:.85rem}
article{border-left:.25rem solid var(--muted);padding:.25rem 0 .25rem .75rem;margin:.75rem 0}
article ol{list-style:none;padding:0;margin:.25rem 0}
article li{margin:.4rem 0}
.meta{color:var(--muted);font-size:.9rem}
form{display:flex;flex-wrap:wrap;gap:.5rem;align-items:end}
label{display:block;font-weight:600}
input{font:inherit;padding:.4rem;min-width:16rem;max-width:100%}
button{font:inherit;padding:.4rem 1rem}
:focus-visible{outline:3px solid var(--maint);outline-offset:2px}
footer{padding:2rem 0;color:var(--muted);font-size:.9rem}
"""
STYLE_HASH = "sha256-" + base64.b64encode(hashlib.sha256(STYLE.encode()).digest()).decode()
CONTENT_SECURITY_POLICY = (
    f"default-src 'none'; style-src '{STYLE_HASH}'; form-action 'self'; base-uri 'none'; "
    "frame-ancestors 'none'"
)


def _time(moment: datetime) -> str:
    return f'<time datetime="{moment.isoformat()}">{moment:%Y-%m-%d %H:%M} UTC</time>'


def _status(status: ComponentStatus) -> str:
    return f'<span class="status {status.value}">{escape(status.label)}</span>'


def document(title: str, body: str) -> str:
    """A whole page: every public page shares this frame."""
    return (
        '<!doctype html><html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{escape(title)}</title><style>{STYLE}</style></head><body>{body}</body></html>"
    )


def message_page(title: str, paragraphs: list[str], form: str = "") -> str:
    """A short page (subscribe, confirm, unsubscribe, errors); paragraphs are HTML."""
    text = "".join(f"<p>{p}</p>" for p in paragraphs)
    return document(title, f"<main><h1>{escape(title)}</h1>{text}{form}</main>")


def confirm_form(label: str) -> str:
    """A button that POSTs to the same address: opening a link must not act by itself."""
    return f'<form method="post"><button type="submit">{escape(label)}</button></form>'


def status_page(view: PublicStatusPage) -> str:
    parts = [
        f"<header><h1>{escape(view.title)}</h1>",
        f"<p>{escape(view.description)}</p>" if view.description else "",
        "</header><main>",
        f'<p class="banner {view.status.value}" id="overall">{escape(view.summary)}</p>',
        _incidents("Active incidents", "active", view.incidents, "No incidents reported."),
        _maintenance(view.maintenance),
        _components(view),
        _incidents("Recent incidents", "past", view.past_incidents, None),
        _subscribe(view.slug),
        "</main>",
        f"<footer><p>Updated {_time(view.generated_at)}. Also as "
        f'<a href="/status/{escape(view.slug)}.json">JSON</a>.</p></footer>',
    ]
    return document(f"{view.title} status", "".join(parts))


def _section(key: str, heading: str, body: str) -> str:
    """A landmark named by its own heading."""
    return f'<section aria-labelledby="{key}-h"><h2 id="{key}-h">{heading}</h2>{body}</section>'


def _affects(names: list[str]) -> str:
    return f'<p class="meta">Affects: {escape(", ".join(names))}</p>' if names else ""


def _incidents(
    heading: str, key: str, incidents: list[PublicIncidentView], empty: str | None
) -> str:
    """`empty`: what to say when there are none; None leaves the section out."""
    if incidents:
        return _section(key, heading, "".join(_incident(i) for i in incidents))
    return "" if empty is None else _section(key, heading, f"<p>{empty}</p>")


def _incident(incident: PublicIncidentView) -> str:
    updates = "".join(
        f"<li><strong>{escape(u.state.label)}</strong> — {escape(u.body)}"
        f'<br><span class="meta">{_time(u.at)}</span></li>'
        for u in incident.updates
    )
    return (
        f'<article aria-labelledby="incident-{incident.id}">'
        f'<h3 id="incident-{incident.id}">{escape(incident.title)}</h3>'
        f'<p class="meta">{escape(incident.state.label)} · {escape(incident.impact.value)} impact'
        f"</p>{_affects(incident.affected)}<ol>{updates}</ol></article>"
    )


def _maintenance(windows: list[PublicMaintenanceView]) -> str:
    if not windows:
        return ""
    items = "".join(
        f'<article aria-labelledby="maintenance-{m.id}">'
        f'<h3 id="maintenance-{m.id}">{escape(m.title)}</h3>'
        f'<p class="meta">{"In progress" if m.active else "Scheduled"}: {_time(m.starts_at)} '
        f"to {_time(m.ends_at)}</p>"
        + (f"<p>{escape(m.description)}</p>" if m.description else "")
        + _affects(m.affected)
        + "</article>"
        for m in windows
    )
    return _section("maintenance", "Scheduled maintenance", items)


def _components(view: PublicStatusPage) -> str:
    body = "".join(
        f'<h3 id="group-{g.id}">{escape(g.name)} — {_status(g.status)}</h3>'
        f'<ul class="components" aria-labelledby="group-{g.id}">'
        + "".join(_component(c) for c in g.components)
        + "</ul>"
        for g in view.groups
    )
    if view.ungrouped:
        body += '<ul class="components">' + "".join(_component(c) for c in view.ungrouped) + "</ul>"
    if not view.components:
        body = "<p>No components yet.</p>"
    return _section("components", "Components", body)


def _component(c: PublicComponentView) -> str:
    uptime = "no data yet" if c.uptime_percent is None else f"{c.uptime_percent:g} % uptime"
    bars = "".join(
        f'<span class="bar {"none" if b.worst is None else b.worst.value}" title="{b.day}: '
        + (
            "no data"
            if b.worst is None or b.operational_percent is None
            else f"{escape(b.worst.label)}, {b.operational_percent:g} % up"
        )
        + '"></span>'
        for b in c.uptime
    )
    description = f'<p class="meta">{escape(c.description)}</p>' if c.description else ""
    return (
        f'<li data-component="{c.id}"><div class="row"><span class="name">{escape(c.name)}</span>'
        f"{_status(c.status)}</div>{description}"
        f'<div class="bars" role="img" aria-label="{escape(c.name)}: {uptime} over the last '
        f'{len(c.uptime)} days">{bars}</div>'
        f'<div class="legend" aria-hidden="true"><span>{len(c.uptime)} days ago</span>'
        f"<span>{uptime}</span><span>Today</span></div></li>"
    )


def _subscribe(slug: str) -> str:
    form = (
        f'<form method="post" action="/status/{escape(slug)}/subscribe">'
        '<div><label for="subscribe-address">E-mail address</label>'
        '<input id="subscribe-address" name="address" type="email" autocomplete="email" required>'
        '</div><button type="submit">Subscribe</button></form>'
        '<p class="meta">We send a confirm link first; every message has an unsubscribe link.</p>'
    )
    return _section("subscribe", "Get updates by e-mail", form)
