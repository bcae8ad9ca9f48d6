"""The stylesheet and the script of the HTML report, inlined into every page.

The script only filters the findings table; it reads ticket data from escaped ``data-``
attributes and never writes HTML, so tracker text cannot become markup. The page's Content
Security Policy allows this exact script (by hash) and nothing else: no other script runs and
nothing is fetched, even if a ticket title carried a ``<script>``.
"""

from __future__ import annotations

import base64
import hashlib

STYLE = """
:root {
  --ink: #1f2328; --muted: #59636e; --faint: #8c959f; --line: #d8dee4; --soft: #f6f8fa;
  --card: #ffffff; --page: #f3f4f6; --accent: #0969da;
  --error: #cf222e; --warning: #d4a72c; --info: #0969da; --clean: #2da44e;
}
* { box-sizing: border-box; }
html { -webkit-text-size-adjust: 100%; }
body {
  margin: 0; background: var(--page); color: var(--ink);
  font: 14px/1.5 Inter, system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial,
    sans-serif;
  font-feature-settings: "tnum" 1;
}
a { color: var(--accent); text-decoration: none; }
a:hover { text-decoration: underline; }
.page { max-width: 1160px; margin: 0 auto; padding: 32px 24px 64px; }
header.top { display: flex; justify-content: space-between; align-items: flex-end; gap: 16px;
  margin-bottom: 20px; flex-wrap: wrap; }
.eyebrow { text-transform: uppercase; letter-spacing: .08em; font-size: 11px; font-weight: 600;
  color: var(--muted); }
h1 { font-size: 26px; line-height: 1.2; margin: 4px 0 6px; font-weight: 700;
  overflow-wrap: anywhere; }
h2 { font-size: 15px; margin: 0 0 2px; font-weight: 650; }
.sub { color: var(--muted); font-size: 12.5px; margin: 0 0 14px; }
.meta { color: var(--muted); }
.card { background: var(--card); border: 1px solid var(--line); border-radius: 12px;
  padding: 20px 22px; box-shadow: 0 1px 2px rgba(31,35,40,.04); }
.grid { display: grid; gap: 16px; margin-bottom: 16px; }
.g2 { grid-template-columns: repeat(2, minmax(0, 1fr)); }
.hero { grid-template-columns: minmax(0, 1.05fr) minmax(0, 1.4fr); }
@media (max-width: 860px) { .g2, .hero { grid-template-columns: 1fr; } }
.score { display: flex; gap: 24px; align-items: center; }
.gauge-score { font-size: 44px; font-weight: 750; fill: var(--ink); }
.gauge-of { font-size: 12px; fill: var(--faint); }
.band { display: inline-block; padding: 2px 10px; border-radius: 999px; font-weight: 600;
  font-size: 12px; color: #fff; text-transform: capitalize; }
.band.healthy { background: #1a7f37; } .band.fair { background: #9a6700; }
.band.needs-work { background: #bc4c00; } .band.poor { background: #cf222e; }
.stats { display: grid; grid-template-columns: repeat(2, auto); gap: 6px 18px; margin-top: 12px;
  font-size: 13px; }
.stats b { font-size: 15px; }
.delta { font-weight: 650; } .delta.up { color: #1a7f37; } .delta.down { color: var(--error); }
.famrow { display: grid; grid-template-columns: 150px 1fr 40px 150px; gap: 12px;
  align-items: center; padding: 7px 0; border-top: 1px solid var(--soft); font-size: 13px; }
.famrow:first-of-type { border-top: 0; }
.famrow .bar { height: 8px; background: #eaeef2; border-radius: 99px; overflow: hidden; }
.famrow .bar i { display: block; height: 100%; border-radius: 99px; }
.famrow .num { text-align: right; font-weight: 650; }
.famrow .counts { color: var(--muted); font-size: 12px; white-space: nowrap; }
svg.chart { width: 100%; height: auto; display: block; }
svg .axis-label { font-size: 12px; fill: var(--ink); }
svg .value-label { font-size: 11.5px; fill: var(--muted); font-weight: 600; }
svg .tick { font-size: 11px; fill: var(--faint); }
svg .grid { stroke: #eaeef2; stroke-width: 1; }
svg .track { fill: #f6f8fa; }
svg.trend .line { stroke: var(--accent); stroke-width: 2.5; stroke-linejoin: round; }
svg.trend .area { fill: rgba(9,105,218,.08); }
svg.trend .dot { fill: #fff; stroke: var(--accent); stroke-width: 2.5; }
.legend { display: flex; gap: 14px; flex-wrap: wrap; font-size: 12px; color: var(--muted);
  margin-top: 8px; }
.legend .key i { display: inline-block; width: 10px; height: 10px; border-radius: 2px;
  margin-right: 6px; vertical-align: -1px; }
.changes { display: grid; grid-template-columns: repeat(3, minmax(0, 1fr)); gap: 16px;
  margin-top: 14px; }
.changes h3 { font-size: 12px; text-transform: uppercase; letter-spacing: .06em; margin: 0 0 6px;
  color: var(--muted); }
.changes ul { list-style: none; padding: 0; margin: 0; font-size: 13px; max-height: 220px;
  overflow: auto; }
.changes li { padding: 3px 0; overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }
.empty { color: var(--faint); font-size: 13px; }
table { width: 100%; border-collapse: collapse; font-size: 13px; }
th { text-align: left; font-weight: 600; color: var(--muted); font-size: 11.5px;
  text-transform: uppercase; letter-spacing: .05em; padding: 8px 10px;
  border-bottom: 1px solid var(--line); background: var(--soft); position: sticky; top: 0; }
td { padding: 9px 10px; border-bottom: 1px solid #eef1f4; vertical-align: top; }
tr:hover td { background: #fafbfc; }
td.key { white-space: nowrap; font-weight: 600; }
td.title, td.msg { overflow-wrap: anywhere; }
td.num { text-align: right; white-space: nowrap; }
.pill { display: inline-block; padding: 1px 8px; border-radius: 999px; font-size: 11.5px;
  font-weight: 600; white-space: nowrap; }
.sev-error { background: #ffebe9; color: #a40e26; }
.sev-warning { background: #fff8c5; color: #7d4e00; }
.sev-info { background: #ddf4ff; color: #0550ae; }
.health { display: inline-block; min-width: 34px; text-align: center; padding: 1px 6px;
  border-radius: 6px; font-weight: 700; font-size: 12px; color: #fff; }
.label { display: inline-block; padding: 0 7px; margin: 1px 3px 1px 0; border-radius: 999px;
  border: 1px solid var(--line); font-size: 11.5px; color: var(--muted); background: #fff; }
.rule { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: 12px; }
.rule-name { color: var(--muted); font-size: 12px; }
.filters { display: flex; gap: 10px; flex-wrap: wrap; align-items: center; margin: 6px 0 14px; }
.filters label { font-size: 12px; color: var(--muted); display: flex; gap: 6px;
  align-items: center; }
.filters select, .filters input { font: inherit; font-size: 13px; padding: 6px 9px;
  border: 1px solid var(--line); border-radius: 8px; background: #fff; color: var(--ink); }
.filters input { min-width: 220px; }
.filters .count { margin-left: auto; color: var(--muted); font-size: 12.5px; }
.scroll { max-height: 720px; overflow: auto; border: 1px solid var(--line); border-radius: 10px; }
footer { color: var(--faint); font-size: 12px; margin-top: 28px; text-align: center; }
@media print { body { background: #fff; } .card { box-shadow: none; break-inside: avoid; }
  .filters { display: none; } .scroll { max-height: none; overflow: visible; } }
"""

SCRIPT = """
(function () {
  "use strict";
  var table = document.getElementById("findings");
  if (!table) { return; }
  var rows = Array.prototype.slice.call(table.tBodies[0].rows);
  var family = document.getElementById("f-family");
  var severity = document.getElementById("f-severity");
  var label = document.getElementById("f-label");
  var search = document.getElementById("f-search");
  var count = document.getElementById("f-count");
  function apply() {
    var shown = 0;
    var text = search.value.trim().toLowerCase();
    rows.forEach(function (row) {
      var labels = JSON.parse(row.getAttribute("data-labels") || "[]");
      var ok = (!family.value || row.getAttribute("data-family") === family.value) &&
        (!severity.value || row.getAttribute("data-severity") === severity.value) &&
        (!label.value || labels.indexOf(label.value) !== -1) &&
        (!text || row.textContent.toLowerCase().indexOf(text) !== -1);
      row.hidden = !ok;
      if (ok) { shown += 1; }
    });
    count.textContent = "Showing " + shown + " of " + rows.length + " findings";
  }
  [family, severity, label].forEach(function (el) { el.addEventListener("change", apply); });
  search.addEventListener("input", apply);
  apply();
  document.documentElement.setAttribute("data-ready", "1");
})();
"""


def script_hash(script: str = SCRIPT) -> str:
    """The CSP source (``'sha256-…'``) that allows exactly ``script``."""
    digest = hashlib.sha256(script.encode("utf-8")).digest()
    return "'sha256-" + base64.b64encode(digest).decode("ascii") + "'"


def content_security_policy() -> str:
    """Nothing from the network; inline styles, data: images and our one script only."""
    return (
        "default-src 'none'; style-src 'unsafe-inline'; img-src data:; "
        f"script-src {script_hash()}; base-uri 'none'; form-action 'none'"
    )
