/**
 * Self-contained HTML reports: uPlot's script and stylesheet are read from node_modules/uplot/dist
 * when the page is built and inlined, with the data as embedded JSON, so the file opens anywhere
 * without a network. A run report draws mid and our quotes with fills, inventory and equity; a grid
 * report draws a γ × κ heatmap of mean PnL and the per-parameter table.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { BacktestResult } from './result.js';
import type { OverallRecord } from './grid.js';

let uplotAssets: { js: string; css: string } | undefined;

/** Returns uPlot's minified script and stylesheet (read once). */
function uplot(): { js: string; css: string } {
  if (!uplotAssets) {
    const require = createRequire(import.meta.url);
    const js = readFileSync(require.resolve('uplot/dist/uPlot.iife.min.js'), 'utf8');
    const css = readFileSync(require.resolve('uplot/dist/uPlot.min.css'), 'utf8');
    uplotAssets = { js, css };
  }
  return uplotAssets;
}

/** Returns `value` as JSON safe to embed inside a <script> element. */
function embed(value: unknown): string {
  return JSON.stringify(value).replace(/</g, '\\u003c').replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029');
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function page(title: string, body: string, script: string, data: unknown): string {
  const assets = uplot();
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title>
<style>${assets.css}
body{font:14px system-ui,sans-serif;margin:16px;color:#222}h1{font-size:18px}h2{font-size:15px;margin-top:24px}
table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:3px 8px;text-align:right}th{background:#f4f4f4}
.note{color:#666}.heat td{min-width:56px}</style>
<script>${assets.js}</script></head>
<body><h1>${escapeHtml(title)}</h1>${body}
<script type="application/json" id="data">${embed(data)}</script>
<script>
const DATA = JSON.parse(document.getElementById('data').textContent);
const WIDTH = Math.min(1100, document.body.clientWidth - 20);
${script}
window.__chartsReady = true;
</script></body></html>
`;
}

function summaryTable(result: Record<string, unknown>): string {
  const rows = Object.entries(result)
    .filter(([k]) => k !== 'series' && k !== 'fillLog')
    .map(([k, v]) => `<tr><th>${escapeHtml(k)}</th><td>${escapeHtml(typeof v === 'object' && v !== null ? JSON.stringify(v) : String(v))}</td></tr>`);
  return `<table>${rows.join('')}</table>`;
}

const RUN_SCRIPT = `
const s = DATA.series, fills = DATA.fills;
const times = [...new Set([...s.map(p => p.tMs), ...fills.map(f => f.tMs)])].sort((a, b) => a - b);
const at = new Map(times.map((t, i) => [t, i]));
const col = () => times.map(() => null);
const mid = col(), bid = col(), ask = col(), inv = col(), eq = col(), buys = col(), sells = col();
for (const p of s) { const i = at.get(p.tMs); mid[i] = p.mid === null ? null : p.mid / 10000; bid[i] = p.bid === null ? null : p.bid / 10000;
  ask[i] = p.ask === null ? null : p.ask / 10000; inv[i] = p.inventory / 100; eq[i] = p.equity / 10000; }
for (const f of fills) { const i = at.get(f.tMs); (f.side === 'bid' ? buys : sells)[i] = f.price / 10000; }
const x = times.map(t => t / 1000);
const dots = (stroke) => ({ stroke, paths: () => null, points: { show: true, size: 7, fill: stroke } });
new uPlot({ title: 'Mid, our quotes and fills ($)', width: WIDTH, height: 320, spanGaps: true,
  series: [{}, { label: 'mid', stroke: '#444' }, { label: 'our bid', stroke: '#2a7' , width: 1}, { label: 'our ask', stroke: '#c33', width: 1 },
    { label: 'buy fill', ...dots('#070') }, { label: 'sell fill', ...dots('#a00') }] },
  [x, mid, bid, ask, buys, sells], document.getElementById('quotes'));
new uPlot({ title: 'Inventory (contracts)', width: WIDTH, height: 200, spanGaps: true, series: [{}, { label: 'inventory', stroke: '#36c' }] },
  [x, inv], document.getElementById('inventory'));
new uPlot({ title: 'Equity ($, marked at mid, held while the book is hollow)', width: WIDTH, height: 200, spanGaps: true, series: [{}, { label: 'equity', stroke: '#963' }] },
  [x, eq], document.getElementById('equity'));
`;

/** Returns the HTML report of one run (needs a result replayed with `series: true`). */
export function renderRunReport(result: BacktestResult, options: { title: string }): string {
  const body = `<h2>Summary</h2>${summaryTable(result as unknown as Record<string, unknown>)}
<p class="note">Money in dollars, counts in contracts, times in seconds; PnL valuation: ${escapeHtml(result.valuation)}.</p>
<div id="quotes"></div><div id="inventory"></div><div id="equity"></div>`;
  return page(options.title, body, RUN_SCRIPT, { series: result.series ?? [], fills: result.fillLog ?? [] });
}

const GRID_SCRIPT = `
const rows = DATA.overall;
const gammas = [...new Set(rows.map(r => r.gamma))].sort((a, b) => a - b);
const kappas = [...new Set(rows.map(r => r.kappa))].sort((a, b) => a - b);
const key = (g, k) => g + '|' + k;
const by = new Map(rows.map(r => [key(r.gamma, r.kappa), r]));
const values = rows.map(r => r.meanPnl);
const lo = Math.min(...values), hi = Math.max(...values);
const color = (v) => { if (v === undefined) return '#eee'; const m = Math.max(Math.abs(lo), Math.abs(hi)) || 1; const a = Math.min(1, Math.abs(v) / m);
  return v >= 0 ? 'rgba(30,150,60,' + (0.15 + 0.85 * a) + ')' : 'rgba(200,40,40,' + (0.15 + 0.85 * a) + ')'; };
const table = document.getElementById('heatmap');
let html = '<tr><th>γ \\\\ κ</th>' + kappas.map(k => '<th>' + k + '</th>').join('') + '</tr>';
for (const g of gammas) { html += '<tr><th>' + g + '</th>' + kappas.map(k => { const r = by.get(key(g, k));
  return '<td class="cell" style="background:' + color(r && r.meanPnl) + '" title="mean cash ' + (r ? r.meanCash.toFixed(4) : '') + '">' + (r ? r.meanPnl.toFixed(2) : '') + '</td>'; }).join('') + '</tr>'; }
table.innerHTML = html;
const series = [{ label: 'γ' }], data = [gammas];
const palette = ['#1f77b4','#ff7f0e','#2ca02c','#d62728','#9467bd','#8c564b','#e377c2','#7f7f7f','#bcbd22','#17becf'];
kappas.forEach((k, i) => { series.push({ label: 'κ=' + k, stroke: palette[i % palette.length] }); data.push(gammas.map(g => { const r = by.get(key(g, k)); return r ? r.meanPnl : null; })); });
new uPlot({ title: 'Mean PnL across markets vs γ ($)', width: WIDTH, height: 300, scales: { x: { time: false } }, series }, data, document.getElementById('lines'));
`;

/** Returns the HTML report of a grid search: heatmap of mean PnL over γ × κ, plus a table. */
export function renderGridReport(overall: readonly OverallRecord[], options: { title: string; note?: string }): string {
  const best = [...overall].sort((a, b) => b.meanPnl - a.meanPnl)[0];
  const body = `<p class="note">${escapeHtml(options.note ?? '')} Cells: mean PnL per market ($) for each γ (rows) × κ (columns); hover for mean cash.${
    best ? ` Best mean PnL: γ=${best.gamma}, κ=${best.kappa}, ${best.meanPnl.toFixed(4)} $.` : ''
  }</p>
<h2>γ × κ heatmap of mean PnL</h2><table class="heat" id="heatmap"></table><div id="lines"></div>`;
  return page(options.title, body, GRID_SCRIPT, { overall });
}
