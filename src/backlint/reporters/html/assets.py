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
  --card: #ffffff; --page: #f3f4f6; --accent: #0969da; --lost: #e5534b;
  --error: #cf222e; --warning: #d4a72c; --info: #0969da; --clean: #2da44e;
}
* { box-sizing: border-box; }
html { -webkit-text-size-adjust: 100%; }
body {
  margin: 0; background: var(--page); color: var(--ink);
  font: 14px/1.5 Inter, system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial,
    sans-serif;
  font-feature-settings: "tnum" 1;
  /* Words never break in the middle; only a word wider than its whole box may. */
  overflow-wrap: break-word;
}
.long { overflow-wrap: anywhere; }
a { color: var(--accent); text-decoration: none; }
a:hover { text-decoration: underline; }
.page { max-width: 1160px; margin: 0 auto; padding: 32px 24px 64px; }
header.top { margin-bottom: 20px; }
.eyebrow { text-transform: uppercase; letter-spacing: .08em; font-size: 11px; font-weight: 600;
  color: var(--muted); }
h1 { font-size: 26px; line-height: 1.2; margin: 4px 0 6px; font-weight: 700; }
h2 { font-size: 15px; margin: 0 0 2px; font-weight: 650; }
.sub { color: var(--muted); font-size: 12.5px; margin: 0 0 14px; }
.meta { color: var(--muted); }
.explain { color: var(--muted); font-size: 12.5px; margin: 14px 0 0; }
.card { background: var(--card); border: 1px solid var(--line); border-radius: 12px;
  padding: 20px 22px; box-shadow: 0 1px 2px rgba(31,35,40,.04); min-width: 0; }
.grid { display: grid; gap: 16px; margin-bottom: 16px; }
.grid > * { min-width: 0; }
.g2 { grid-template-columns: repeat(2, minmax(0, 1fr)); }
.hero { grid-template-columns: minmax(0, 1fr) minmax(0, 1.45fr); }
@media (max-width: 1060px) { .hero { grid-template-columns: minmax(0, 1fr); } }
@media (max-width: 900px) { .g2 { grid-template-columns: minmax(0, 1fr); } }
.score { display: flex; gap: 20px 24px; align-items: center; flex-wrap: wrap; }
.score > div { flex: 1 1 190px; min-width: 0; }
.score .meta { margin-top: 8px; }
.gauge-score { font-size: 44px; font-weight: 750; fill: var(--ink); }
.gauge-of { font-size: 12px; fill: var(--faint); }
.band { display: inline-block; padding: 2px 10px; border-radius: 999px; font-weight: 600;
  font-size: 12px; color: #fff; text-transform: capitalize; }
.band.healthy { background: #1a7f37; } .band.fair { background: #9a6700; }
.band.needs-work { background: #bc4c00; } .band.poor { background: #cf222e; }
.stats { display: grid; grid-template-columns: repeat(2, auto); gap: 6px 18px; margin-top: 12px;
  font-size: 13px; justify-content: start; }
.stats b { font-size: 15px; }
.delta { font-weight: 650; } .delta.up { color: #1a7f37; } .delta.down { color: var(--error); }
.famrow { display: grid; grid-template-columns: minmax(0, 150px) minmax(0, 1fr) 40px 64px 150px;
  gap: 12px; align-items: center; padding: 7px 0; border-top: 1px solid var(--soft);
  font-size: 13px; }
.famrow.head { border-top: 0; padding-top: 0; font-size: 11px; color: var(--muted);
  text-transform: uppercase; letter-spacing: .05em; }
.famrow.head .lost { grid-column: span 2; }
.famrow.head span:nth-child(3) { text-align: right; }
.famrow .bar { height: 8px; background: #eaeef2; border-radius: 99px; overflow: hidden; }
.famrow .bar i { display: block; height: 100%; border-radius: 99px; background: var(--lost); }
.famrow .num { text-align: right; font-weight: 650; white-space: nowrap; }
.famrow .num small { display: none; }
.famrow .alone { text-align: right; color: var(--muted); white-space: nowrap; }
.famrow .counts { color: var(--muted); font-size: 12px; white-space: nowrap; }
@media (max-width: 600px) {
  .famrow { grid-template-columns: minmax(0, 1fr) auto; gap: 4px 12px;
    grid-template-areas: "fam num" "bar bar" "counts alone"; }
  .famrow.head { display: none; }
  .famrow .fam { grid-area: fam; } .famrow .bar, .famrow .empty { grid-area: bar; }
  .famrow .num { grid-area: num; } .famrow .num small { display: inline; font-size: 13px;
    font-weight: 400; }
  .famrow .alone { grid-area: alone; } .famrow .counts { grid-area: counts; }
}
.chart { margin: 4px 0; }
.bars .brow { display: grid; grid-template-columns: minmax(0, 150px) minmax(0, 1fr); gap: 10px;
  align-items: center; font-size: 12px; padding: 3px 0; }
.bars.wide .brow { grid-template-columns: minmax(0, 230px) minmax(0, 1fr); }
.blabel { text-align: right; white-space: nowrap; overflow: hidden; text-overflow: ellipsis; }
.btrack { position: relative; display: flex; align-items: center; height: 16px;
  padding-right: 3em; }
.btrack::before { content: ""; position: absolute; left: 0; right: 3em; top: 0; bottom: 0;
  background: var(--soft); border-radius: 3px; }
.btrack .mark { position: relative; display: block; height: 100%; flex: none; }
.btrack .mark:first-child { border-radius: 3px 0 0 3px; }
.btrack b, .ctrack b { font-size: 11.5px; color: var(--muted); font-weight: 600; }
.btrack b { position: relative; margin-left: 6px; white-space: nowrap; }
.cols { display: flex; gap: 6px; height: 220px; padding-top: 4px; }
.col { flex: 1 1 0; min-width: 0; display: flex; flex-direction: column-reverse; }
.ctrack { flex: 1; display: flex; flex-direction: column-reverse; align-items: center;
  padding-top: 18px; border-bottom: 1px solid var(--line); }
.ctrack .mark { display: block; width: min(56px, 70%); height: var(--v); flex: none; }
.ctrack b { margin-bottom: 3px; }
.clabel { text-align: center; font-size: 12px; line-height: 1.3; padding-top: 6px;
  min-height: calc(2.6em + 6px); overflow: hidden; text-overflow: ellipsis; }
.clabel small { display: block; color: var(--faint); font-size: 11px; }
@media (max-width: 600px) {
  .bars .brow, .bars.wide .brow { grid-template-columns: minmax(0, 1fr); gap: 2px;
    padding: 4px 0; }
  .blabel { text-align: left; }
  .cols { display: block; height: auto; padding-top: 0; }
  .col { display: grid; grid-template-columns: minmax(0, 9em) minmax(0, 1fr); gap: 10px;
    align-items: center; padding: 4px 0; }
  .clabel { text-align: left; padding-top: 0; min-height: 0; white-space: nowrap; }
  .clabel small { display: inline; margin-left: 4px; }
  .ctrack { flex-direction: row; align-items: center; padding-top: 0; border-bottom: 0;
    height: 16px; }
  .ctrack .mark { width: var(--v); height: 100%; }
  .ctrack b { margin: 0 0 0 6px; }
}
.trend .plot { position: relative; height: 180px; margin: 8px 8px 0 34px; }
.trend svg { position: absolute; inset: 0; width: 100%; height: 100%; overflow: visible; }
.trend svg * { vector-effect: non-scaling-stroke; }
.trend .grid { stroke: #eaeef2; stroke-width: 1; }
.trend .line { fill: none; stroke: var(--accent); stroke-width: 2.5; stroke-linejoin: round; }
.trend .area { fill: rgba(9,105,218,.08); }
.trend .dot { position: absolute; width: 11px; height: 11px; margin: -5.5px 0 0 -5.5px;
  border-radius: 50%; background: #fff; border: 2.5px solid var(--accent); }
.trend .ytick { position: absolute; left: -34px; width: 28px; text-align: right;
  transform: translateY(-50%); font-size: 11px; color: var(--faint); }
.trend .xaxis { position: relative; height: 22px; margin: 6px 8px 0 34px; }
.trend .xtick { position: absolute; top: 0; transform: translateX(-50%); font-size: 11px;
  color: var(--faint); white-space: nowrap; }
.trend .xtick.first { transform: none; } .trend .xtick.last { transform: translateX(-100%); }
@media (max-width: 600px) { .trend .xtick.minor { display: none; } }
.legend { display: flex; gap: 6px 14px; flex-wrap: wrap; font-size: 12px; color: var(--muted);
  margin-top: 10px; }
.legend .key i { display: inline-block; width: 10px; height: 10px; border-radius: 2px;
  margin-right: 6px; vertical-align: -1px; }
.changes { display: grid; grid-template-columns: repeat(3, minmax(0, 1fr)); gap: 16px;
  margin-top: 14px; }
@media (max-width: 700px) { .changes { grid-template-columns: minmax(0, 1fr); } }
.changes h3 { font-size: 12px; text-transform: uppercase; letter-spacing: .06em; margin: 0 0 6px;
  color: var(--muted); }
.changes ul { list-style: none; padding: 0; margin: 0; font-size: 13px; }
.changes li { padding: 3px 0; overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }
.changes summary { cursor: pointer; color: var(--accent); font-size: 12.5px; padding: 3px 0; }
.notes { margin: 14px 0 0; padding: 10px 14px; border-radius: 8px; background: #fff8c5;
  border: 1px solid #eed888; font-size: 13px; }
.notes p { margin: 0; } .notes p + p { margin-top: 4px; }
.empty { color: var(--faint); font-size: 13px; }
table { width: 100%; border-collapse: collapse; font-size: 13px; }
th { text-align: left; font-weight: 600; color: var(--muted); font-size: 11.5px;
  text-transform: uppercase; letter-spacing: .05em; padding: 8px 10px;
  border-bottom: 1px solid var(--line); background: var(--soft); position: sticky; top: 0; }
td { padding: 9px 10px; border-bottom: 1px solid #eef1f4; vertical-align: top; }
tr:hover td { background: #fafbfc; }
td.key { font-weight: 600; min-width: 8em; }
@media (min-width: 1100px) { td.key { white-space: nowrap; } }
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
  border: 1px solid var(--line); border-radius: 8px; background: #fff; color: var(--ink);
  max-width: 100%; }
.filters input { min-width: 220px; flex: 1 1 220px; }
.filters .count { margin-left: auto; color: var(--muted); font-size: 12.5px; }
table.findings { border: 1px solid var(--line); }
/* On a phone each row becomes a small block: key, severity and rule on one line, then the
   title, the message, the family and labels. */
@media (max-width: 900px) {
  table.stack, table.stack tbody { display: block; }
  table.stack thead { display: none; }
  table.stack tr { display: flex; flex-wrap: wrap; align-items: center; gap: 4px 8px;
    padding: 10px 2px; border-bottom: 1px solid var(--line); }
  table.stack tr[hidden] { display: none; }  /* flex would show a filtered-out row */
  table.stack td { display: block; border: 0; padding: 0; min-width: 0; }
  table.stack tr:hover td { background: none; }
  table.stack td.title, table.stack td.msg, table.stack td.labels { flex: 1 1 100%; }
  table.findings td.title { order: 1; } table.findings td.msg { order: 2; }
  table.findings td.fam { order: 3; } table.findings td.labels { order: 4; }
  table.stack .rulecell .rule-name { display: inline; margin-left: 6px; }
  table.stack td.fam, table.stack td.prio { color: var(--muted); font-size: 12px; }
  table.stack td[data-th]::before { content: attr(data-th) ": "; }
  table.stack td.labels:empty { display: none; }
  table.findings { border: 0; border-top: 1px solid var(--line); }
  .filters label { flex: 1 1 100%; display: grid; grid-template-columns: 5.5em minmax(0, 1fr); }
  .filters input { min-width: 0; flex-basis: 100%; }
  .filters .count { margin-left: 0; }
}
@media (max-width: 480px) {
  .page { padding: 20px 12px 48px; }
  .card { padding: 16px 14px; }
  h1 { font-size: 22px; }
}
footer { color: var(--faint); font-size: 12px; margin-top: 28px; text-align: center; }
@media print { body { background: #fff; } .card { box-shadow: none; break-inside: avoid; }
  .filters { display: none; } }
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
