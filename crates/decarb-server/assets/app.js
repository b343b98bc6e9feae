// decarb dashboard: hover values, series toggles, CSV downloads, the map's country outlines and
// the scenario runner. Plain JavaScript, no dependencies, no network access beyond this server.
'use strict';

const fmt = (v) => {
  const n = Number(v);
  if (!Number.isFinite(n)) return String(v);
  return n.toLocaleString('en-GB', { maximumFractionDigits: Math.abs(n) < 10 ? 3 : 1 });
};

// Hover: every .point carries data-label and data-value.
function initTooltip() {
  const tip = document.getElementById('tooltip');
  if (!tip) return;
  document.addEventListener('mouseover', (e) => {
    const p = e.target.closest && e.target.closest('.point');
    if (!p) return;
    const unit = p.dataset.unit || p.closest('figure')?.querySelector('figcaption .unit')?.textContent || '';
    // An empty value is an unknown one (a plant without reported capacity), never 0.
    const value = p.dataset.value === '' ? 'unknown' : `${fmt(p.dataset.value)} ${unit}`;
    tip.textContent = `${p.dataset.label}: ${value}`.trim();
    tip.hidden = false;
  });
  document.addEventListener('mousemove', (e) => {
    if (!tip.hidden) { tip.style.left = `${e.clientX + 12}px`; tip.style.top = `${e.clientY + 12}px`; }
  });
  document.addEventListener('mouseout', (e) => {
    if (e.target.closest && e.target.closest('.point')) tip.hidden = true;
  });
}

// Legend entries toggle the series with the same index in their figure.
function initLegends() {
  document.addEventListener('click', (e) => {
    const item = e.target.closest && e.target.closest('.legend-item');
    if (!item) return;
    const figure = item.closest('figure');
    const on = item.getAttribute('aria-pressed') !== 'true';
    item.setAttribute('aria-pressed', String(on));
    figure.querySelectorAll(`svg .series[data-series="${item.dataset.series}"]`).forEach((g) => {
      g.style.display = on ? '' : 'none';
    });
  });
}

// CSV: a chart's embedded data, or a table's cells.
const csvCell = (v) => {
  if (v === null || v === undefined) return '';
  const s = String(v);
  return /[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
};
function csvOf(id) {
  const el = document.getElementById(id);
  if (!el) return '';
  const script = el.querySelector('script.chart-data');
  if (script) {
    const data = JSON.parse(script.textContent);
    return [data.columns, ...data.rows].map((r) => r.map(csvCell).join(',')).join('\n') + '\n';
  }
  const rows = [...el.querySelectorAll('tr')].map((tr) => [...tr.children].map((td) => {
    const num = td.querySelector('[data-value]');
    return csvCell(num && td.children.length === 1 ? num.dataset.value : td.textContent.trim());
  }).join(','));
  return rows.join('\n') + '\n';
}
function initCsv() {
  document.addEventListener('click', (e) => {
    const button = e.target.closest && e.target.closest('button.csv');
    if (!button) return;
    const blob = new Blob([csvOf(button.dataset.for)], { type: 'text/csv' });
    const a = document.createElement('a');
    a.href = URL.createObjectURL(blob);
    a.download = `${button.dataset.for}.csv`;
    document.body.appendChild(a);
    a.click();
    a.remove();
  });
}
window.decarbCsv = csvOf;

// Map outlines from world-atlas via topojson-client, served by this server from node_modules.
function loadScript(src) {
  return new Promise((resolve, reject) => {
    const s = document.createElement('script');
    s.src = src; s.onload = resolve; s.onerror = reject;
    document.head.appendChild(s);
  });
}
async function initMap() {
  const svg = document.querySelector('.map svg[data-vendor="1"]');
  if (!svg) return;
  try {
    await loadScript('/vendor/topojson-client/dist/topojson-client.min.js');
    const world = await (await fetch('/vendor/world-atlas/countries-110m.json')).json();
    const land = window.topojson.feature(world, world.objects.countries);
    const g = svg.querySelector('#outlines');
    const px = ([lon, lat]) => `${((lon + 180) / 360 * 960).toFixed(1)},${((90 - lat) / 180 * 480).toFixed(1)}`;
    const ring = (r) => {
      // Rings crossing the antimeridian (Fiji, Russia's far east) would streak across the map.
      for (let i = 1; i < r.length; i++) if (Math.abs(r[i][0] - r[i - 1][0]) > 180) return '';
      return `M${r.map(px).join('L')}Z`;
    };
    const paths = [];
    for (const f of land.features) {
      if (f.properties && f.properties.name === 'Antarctica') continue;
      const polys = f.geometry?.type === 'Polygon' ? [f.geometry.coordinates] : (f.geometry?.coordinates || []);
      const d = polys.map((poly) => poly.map(ring).join('')).join('');
      const name = String(f.properties?.name || '').replace(/[&<>"]/g, (c) => `&#${c.charCodeAt(0)};`);
      if (d) paths.push(`<path d="${d}"><title>${name}</title></path>`);
    }
    g.innerHTML = paths.join('');
    svg.dataset.outlines = String(paths.length);
  } catch (err) {
    const note = document.createElement('p');
    note.className = 'notice';
    note.id = 'outline-notice';
    note.textContent = `Country outlines could not be loaded (${err}); the map shows the plants only.`;
    svg.closest('figure').before(note);
  }
}

// Scenarios: load an example into the editor, POST it, add the run to the comparison.
function initScenarios() {
  const run = document.getElementById('run-scenario');
  if (!run) return;
  const text = document.getElementById('scenario-text');
  const select = document.getElementById('example-select');
  const status = document.getElementById('run-status');
  const error = document.getElementById('scenario-error');
  select.addEventListener('change', async () => {
    if (!select.value) return;
    const examples = await (await fetch('/api/v1/scenarios/examples')).json();
    const found = examples.find((x) => x.name === select.value);
    if (found) text.value = found.toml;
  });
  run.addEventListener('click', async () => {
    error.hidden = true;
    status.textContent = 'running…';
    const response = await fetch('/api/v1/scenarios?origin=scenario.toml', {
      method: 'POST', headers: { 'content-type': 'application/toml' }, body: text.value,
    });
    const body = await response.json();
    if (!response.ok) {
      status.textContent = `${response.status}`;
      error.textContent = body.detail || JSON.stringify(body);
      error.hidden = false;
      return;
    }
    status.textContent = `done: ${body.scenario}`;
    const compare = document.getElementById('compare');
    const ids = (compare.dataset.ids || '').split(',').filter(Boolean);
    if (!ids.includes(body.id)) ids.push(body.id);
    window.location.href = `/scenarios?ids=${ids.join(',')}`;
  });
}

document.addEventListener('DOMContentLoaded', () => {
  initTooltip();
  initLegends();
  initCsv();
  initMap();
  initScenarios();
});
