/**
 * The dashboard page: one self-contained HTML document (uPlot's script and CSS inlined, no external
 * request, so it works offline and on a locked-down host). Its script opens `/events` (SSE) and redraws
 * the tables and the two charts on every snapshot. Text goes in through `textContent` only: tickers and
 * error messages are never parsed as HTML.
 */

/** Options of `renderPage`. */
export interface PageOptions {
  /** Show the kill-switch button (the server accepts `POST /api/kill`). Default false. */
  readonly killButton?: boolean;
}

/**
 * The kill-switch control: a red button, a confirm() naming what happens, then a JSON POST with the
 * header the server requires (web/kill-post.ts); the answer is shown next to the button.
 */
const KILL_CONTROL = `<div id="kill-control"><button id="kill" type="button">KILL SWITCH: cancel every order and stop the bot</button> <span id="kill-result"></span></div>`;
const KILL_SCRIPT = `
$("kill").onclick = async () => {
  if (!confirm("Trip the kill switch?\\n\\nThe bot stops quoting, cancels every resting order, verifies none is left and exits (code 1). It does not restart by itself.")) return;
  const out = $("kill-result"); out.textContent = "stopping…";
  try {
    const r = await fetch("api/kill", { method: "POST", headers: { "content-type": "application/json", "x-kalshi-mm": "kill" }, body: JSON.stringify({ reason: "kill button" }) });
    out.textContent = r.ok ? "kill switch tripped: cancelling and stopping" : "refused: " + (await r.text());
  } catch (e) { out.textContent = "failed: " + e; }
};`;

/** Returns the page; `uplotJs`/`uplotCss` are uPlot's IIFE build and CSS (empty: no charts library). */
export function renderPage(uplotJs: string, uplotCss: string, options: PageOptions = {}): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>kalshi-mm</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>${uplotCss}</style>
<style>
body{font:13px/1.4 system-ui,sans-serif;margin:16px;background:#fafafa;color:#222}
h1{font-size:18px;margin:0 0 8px}h2{font-size:14px;margin:16px 0 6px}
#health span{display:inline-block;margin-right:14px;padding:2px 6px;border-radius:4px;background:#e8e8e8}
#health .bad{background:#f8c9c9}#health .good{background:#cfeccf}
table{border-collapse:collapse;background:#fff}th,td{padding:3px 8px;border-bottom:1px solid #eee;text-align:right}
th:first-child,td:first-child{text-align:left}tr.stale td{color:#a33}
.charts{display:flex;flex-wrap:wrap;gap:16px}.chart{background:#fff;padding:6px}
.neg{color:#b00}.pos{color:#070}
#kill{background:#b00020;color:#fff;font-weight:bold;border:2px solid #600;border-radius:4px;padding:4px 10px;cursor:pointer}
#kill-control{margin:8px 0}
</style></head>
<body>
<h1>kalshi-mm <small id="env"></small></h1>
<div id="health"></div>
${options.killButton ? KILL_CONTROL : ''}
<h2>Markets</h2>
<table id="markets"><thead><tr><th>market</th><th>score</th><th>chosen</th><th>best bid</th><th>our bid</th><th>our ask</th><th>best ask</th><th>position</th><th>PnL $</th><th>fills</th><th>health</th></tr></thead><tbody></tbody></table>
<h2>PnL and inventory</h2>
<div class="charts"><div class="chart" id="pnl-chart"></div><div class="chart" id="inv-chart"></div></div>
<h2>Recent fills</h2>
<table id="fills"><thead><tr><th>time</th><th>market</th><th>side</th><th>price ¢</th><th>contracts</th><th>fee $</th><th>maker</th></tr></thead><tbody></tbody></table>
<h2>Selection</h2><div id="selection"></div>
<script>${uplotJs}</script>
<script>
"use strict";
const $ = (id) => document.getElementById(id);
const fmt = (v, d) => v === undefined || v === null ? "-" : Number(v).toFixed(d);
function cell(tr, text, cls) { const td = document.createElement("td"); td.textContent = text; if (cls) td.className = cls; tr.appendChild(td); }
function badge(text, good) { const s = document.createElement("span"); s.textContent = text; s.className = good ? "good" : "bad"; return s; }
let pnlPlot, invPlot;
function chart(el, label, color) {
  if (typeof uPlot === "undefined") return undefined;
  return new uPlot({ width: 520, height: 220, title: label, series: [{}, { label, stroke: color, width: 2 }], axes: [{}, {}] }, [[], []], el);
}
function render(s) {
  $("env").textContent = s.env + " · " + s.state;
  const h = $("health"); h.replaceChildren();
  h.appendChild(badge(s.connected ? "stream connected" : "stream DOWN", s.connected));
  h.appendChild(badge(s.tradingActive ? "trading active" : "exchange paused", s.tradingActive));
  if (s.rateHeadroom !== undefined) h.appendChild(badge("rate headroom " + Math.round(s.rateHeadroom * 100) + "%", s.rateHeadroom > 0.2));
  h.appendChild(badge("orders " + s.totals.restingOrders, true));
  h.appendChild(badge("fills " + s.totals.fills, true));
  h.appendChild(badge("PnL $" + fmt(s.totals.pnlDollars, 2) + " (day $" + fmt(s.totals.dailyPnlDollars, 2) + ")", s.totals.pnlDollars >= 0));
  if (s.killSwitch) h.appendChild(badge("KILL SWITCH " + s.killSwitch, false));
  if (s.errors) h.appendChild(badge("errors " + s.errors + (s.lastError ? ": " + s.lastError : ""), false));
  if (s.positionMismatches) h.appendChild(badge("position mismatches " + s.positionMismatches, false));
  const mb = $("markets").tBodies[0]; mb.replaceChildren();
  for (const m of s.markets) {
    const tr = document.createElement("tr"); tr.dataset.ticker = m.ticker; if (m.stale) tr.className = "stale";
    cell(tr, m.ticker); cell(tr, fmt(m.score, 2)); cell(tr, m.chosen ?? "-"); cell(tr, fmt(m.bestBidCents, 2));
    cell(tr, m.ourBidCents === undefined ? "-" : fmt(m.ourBidCents, 2) + " ×" + m.ourBidContracts);
    cell(tr, m.ourAskCents === undefined ? "-" : fmt(m.ourAskCents, 2) + " ×" + m.ourAskContracts);
    cell(tr, fmt(m.bestAskCents, 2)); cell(tr, String(m.positionContracts));
    cell(tr, fmt(m.pnlDollars, 2), m.pnlDollars < 0 ? "neg" : "pos"); cell(tr, String(m.fills)); cell(tr, m.health + (m.ageMs !== undefined ? " (" + (m.ageMs / 1000).toFixed(1) + "s)" : ""));
    mb.appendChild(tr);
  }
  const fb = $("fills").tBodies[0]; fb.replaceChildren();
  for (const f of s.fills) {
    const tr = document.createElement("tr");
    cell(tr, new Date(f.tsMs).toISOString().slice(11, 23)); cell(tr, f.ticker); cell(tr, f.side); cell(tr, fmt(f.priceCents, 2)); cell(tr, String(f.contracts)); cell(tr, fmt(f.feeDollars, 4)); cell(tr, f.maker ? "yes" : "no");
    fb.appendChild(tr);
  }
  const sel = s.selection;
  $("selection").textContent = sel ? "scanned " + sel.scanned + " markets, " + sel.candidates + " candidates at " + new Date(sel.atMs).toISOString().slice(11, 19) + ": " + sel.top.map((c) => c.ticker + " " + c.score.toFixed(2)).join(", ") : "fixed markets";
  pnlPlot ??= chart($("pnl-chart"), "PnL $", "#1565c0");
  invPlot ??= chart($("inv-chart"), "inventory (contracts)", "#ef6c00");
  pnlPlot?.setData([s.history.t, s.history.pnl]);
  invPlot?.setData([s.history.t, s.history.inventory]);
  document.body.dataset.seq = String(s.seq);
}
const source = new EventSource("events");
source.onmessage = (e) => render(JSON.parse(e.data));
source.onerror = () => { const h = $("health"); if (h.firstChild) h.firstChild.textContent = "dashboard disconnected"; };${options.killButton ? KILL_SCRIPT : ''}
</script>
</body></html>
`;
}
