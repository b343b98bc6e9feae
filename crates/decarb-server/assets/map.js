// decarb dashboard: the interactive plant map (MapLibre GL JS from npm, served by `decarb serve`
// from node_modules like the country outlines). Nothing is fetched from another site: the basemap
// is world-atlas's country outlines, drawn as vector layers with no tile server; labels are HTML
// markers because MapLibre's text layers need glyph files from a server. The outlines start at
// world-atlas's 1:110m scale (33 kB brotli) and the 1:50m ones (205 kB) load once a reader zooms
// in far enough to see the difference, so the page stays light (issue 17: under 500 kB before
// the plant data). Without JavaScript or WebGL, the page links to the server-rendered SVG map
// (/map/static); without the npm packages the server sends that map instead.

const root = document.getElementById('interactive-map');

const fmt = new Intl.NumberFormat('en-GB', { maximumFractionDigits: 2 });
const escapeHtml = (text) => String(text ?? '').replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]);
const mt = (value) => (value == null ? 'unknown' : `${fmt.format(value)} Mt/yr`);

// A site passes the filters when one of its phases does; its capacity is the sum of the phases
// that pass (unknown when none of them has a known capacity).
function filtered(collection, f) {
  const features = [];
  for (const feature of collection.features) {
    const p = feature.properties;
    if (f.sector && p.sector !== f.sector) continue;
    if (f.country && p.country !== f.country) continue;
    if (f.owner) {
      const names = [...p.owners, ...p.parents].map((o) => o.name.toLowerCase()).join(' | ');
      if (!names.includes(f.owner)) continue;
    }
    const phases = p.phases.filter((ph) => (!f.status || f.status.has(ph.status)) && (!f.route || ph.route === f.route));
    if (phases.length === 0) continue;
    const known = phases.filter((ph) => ph.capacity_mt != null);
    const capacity = known.length ? known.reduce((sum, ph) => sum + ph.capacity_mt, 0) : null;
    if (f.min != null && (capacity == null || capacity < f.min)) continue;
    if (f.max != null && (capacity == null || capacity > f.max)) continue;
    const main = phases.reduce((a, b) => ((b.capacity_mt ?? 0) > (a.capacity_mt ?? 0) ? b : a));
    features.push({
      ...feature,
      properties: {
        id: p.id,
        capacity_mt: capacity ?? 0,
        capacity_known: capacity != null,
        colour_key_route: main.route,
        colour_key_status: main.status,
      },
    });
  }
  return { type: 'FeatureCollection', features };
}

function readFilters(form) {
  const data = new FormData(form);
  const number = (name) => {
    const text = (data.get(name) || '').toString().trim();
    const value = Number(text);
    return text === '' || !Number.isFinite(value) ? null : value;
  };
  const statuses = data.getAll('status').map(String);
  return {
    sector: (data.get('sector') || '').toString(),
    country: (data.get('country') || '').toString(),
    route: (data.get('route') || '').toString(),
    owner: (data.get('owner') || '').toString().trim().toLowerCase(),
    status: statuses.length ? new Set(statuses) : null,
    min: number('min_mt'),
    max: number('max_mt'),
    colour: (data.get('colour') || 'route').toString(),
  };
}

function colourExpression(palette, by) {
  const table = palette[by];
  const expression = ['match', ['get', by === 'route' ? 'colour_key_route' : 'colour_key_status']];
  for (const [key, hex] of Object.entries(table)) expression.push(key, hex);
  expression.push('#999999');
  return expression;
}

// The plant's GEM.wiki page: only an http(s) address becomes a link (the server keeps no other),
// escaped like every value put in the popup's HTML.
const wikiLink = (url) => (/^https?:\/\//i.test(url ?? '') ? ` · <a href="${escapeHtml(url)}" rel="noopener noreferrer">GEM.wiki page</a>` : '');

function popupHtml(site) {
  const people = (list) => list.map((o) => `${escapeHtml(o.name)}${o.share != null ? ` (${fmt.format(o.share * 100)} %)` : ''}`).join(', ') || 'unknown';
  const phases = site.phases
    .map((ph) => `<tr><td>${escapeHtml(ph.status)}</td><td>${escapeHtml(ph.route)}</td><td class="num">${mt(ph.capacity_mt)}</td></tr>`)
    .join('');
  const id = encodeURIComponent(site.id);
  return `<div class="popup"><strong>${escapeHtml(site.name)}</strong><br>${escapeHtml(site.country_name)} · ${escapeHtml(site.sector)}
    <br>Owner: ${people(site.owners)}${site.parents.length ? `<br>Parent: ${people(site.parents)}` : ''}
    <br>Start: ${site.start ?? 'unknown'}
    <table class="phases"><thead><tr><th>status</th><th>route</th><th>capacity</th></tr></thead><tbody>${phases}</tbody></table>
    <a href="/plants/${id}">Plant page</a> · <a href="/api/v1/plants/${id}">JSON</a>${wikiLink(site.gem_wiki)}</div>`;
}

// world-atlas's countries at `scale` (110m or 50m), TopoJSON.
const topology = (scale) => fetch(`/vendor/world-atlas/countries-${scale}.json`).then((r) => {
  if (!r.ok) throw new Error(`outlines: ${r.status}`);
  return r.json();
});

// Country outlines as GeoJSON, rings that cross the antimeridian unwrapped.
function countryOutlines(world) {
  const countries = window.topojson.feature(world, world.objects.countries);
  // A ring that crosses the antimeridian (Russia's far east, Fiji) jumps from 180 to -180 and
  // would be drawn as a band across the world: continue it past 180 instead (MapLibre wraps it).
  const unwrap = (ring) => {
    let shift = 0;
    return ring.map(([lon, lat], i) => {
      const jump = i > 0 ? lon - ring[i - 1][0] : 0;
      if (jump < -180) shift += 360;
      else if (jump > 180) shift -= 360;
      return [lon + shift, lat];
    });
  };
  for (const feature of countries.features) {
    const g = feature.geometry;
    if (g?.type === 'Polygon') g.coordinates = g.coordinates.map(unwrap);
    if (g?.type === 'MultiPolygon') g.coordinates = g.coordinates.map((poly) => poly.map(unwrap));
  }
  return countries;
}

// The zoom from which the 1:50m outlines replace the 1:110m ones (at zoom 4 a 110m coastline is
// visibly coarse: its points are about 10 km apart, a few pixels).
const DETAIL_ZOOM = 4;

async function outlines(map) {
  const [world] = await Promise.all([
    topology('110m'),
    new Promise((resolve, reject) => {
      const script = document.createElement('script');
      script.src = '/vendor/topojson-client/dist/topojson-client.min.js';
      script.onload = resolve;
      script.onerror = () => reject(new Error('topojson-client did not load'));
      document.head.append(script);
    }),
  ]);
  const countries = countryOutlines(world);
  map.addSource('countries', { type: 'geojson', data: countries });
  // The finer outlines, once, when a reader zooms in (a failure keeps the coarse ones).
  let detail = null;
  const sharpen = () => {
    if (detail || map.getZoom() < DETAIL_ZOOM) return;
    detail = topology('50m')
      .then((fine) => {
        map.getSource('countries')?.setData(countryOutlines(fine));
        root.dataset.outlines = '50m';
      })
      .catch(() => {});
  };
  root.dataset.outlines = '110m';
  map.on('zoomend', sharpen);
  sharpen();
  map.addLayer({ id: 'land', type: 'fill', source: 'countries', paint: { 'fill-color': '#f4f1ea' } }, 'clusters');
  map.addLayer({ id: 'borders', type: 'line', source: 'countries', paint: { 'line-color': '#b8b2a6', 'line-width': 0.6 } }, 'clusters');
  // Labels: the name at the middle of each country's largest ring, shown from zoom 3.
  const labels = [];
  for (const feature of countries.features) {
    const polygons = feature.geometry?.type === 'Polygon' ? [feature.geometry.coordinates] : feature.geometry?.coordinates ?? [];
    let best = null;
    for (const polygon of polygons) {
      const ring = polygon[0];
      const xs = ring.map((c) => c[0]);
      const ys = ring.map((c) => c[1]);
      const area = (Math.max(...xs) - Math.min(...xs)) * (Math.max(...ys) - Math.min(...ys));
      if (!best || area > best.area) best = { area, at: [(Math.max(...xs) + Math.min(...xs)) / 2, (Math.max(...ys) + Math.min(...ys)) / 2] };
    }
    if (!best || !feature.properties?.name) continue;
    const el = document.createElement('span');
    el.className = 'country-label';
    el.textContent = feature.properties.name;
    labels.push({ marker: new window.maplibregl.Marker({ element: el }).setLngLat(best.at), area: best.area });
  }
  const show = () => {
    const zoom = map.getZoom();
    for (const { marker, area } of labels) {
      const visible = zoom >= 3 || (zoom >= 2 && area > 400) || area > 1500;
      if (visible && !marker._map) marker.addTo(map);
      if (!visible && marker._map) marker.remove();
    }
  };
  map.on('zoomend', show);
  show();
}

async function start() {
  if (!root) return;
  root.hidden = false;
  // MapLibre 6 is an ES module with named exports (Map, Popup, Marker, ...).
  const maplibregl = await import('/vendor/maplibre-gl/dist/maplibre-gl.mjs');
  window.maplibregl = maplibregl;
  const collection = await fetch(root.dataset.points).then((r) => {
    if (!r.ok) throw new Error(`plants: ${r.status}`);
    return r.json();
  });
  const byId = new Map(collection.features.map((f) => [f.properties.id, f.properties]));
  const form = document.getElementById('map-filters');
  let filters = readFilters(form);
  let shown = filtered(collection, filters);

  const map = new maplibregl.Map({
    container: root.querySelector('.canvas'),
    style: { version: 8, sources: {}, layers: [{ id: 'sea', type: 'background', paint: { 'background-color': '#dfe9f1' } }] },
    center: [20, 25],
    zoom: 1.3,
    attributionControl: { customAttribution: 'Plants: the tracker store (GEM, SFI, ...); outlines: Natural Earth via world-atlas' },
  });
  map.addControl(new maplibregl.NavigationControl({ showCompass: false }));
  // For the browser test and for readers who script the page.
  window.decarbPlantMap = map;
  map.on('load', async () => {
    map.addSource('plants', {
      type: 'geojson',
      data: shown,
      cluster: true,
      clusterRadius: 36,
      clusterMaxZoom: 7,
      clusterProperties: { capacity_mt: ['+', ['get', 'capacity_mt']] },
    });
    map.addLayer({
      id: 'clusters',
      type: 'circle',
      source: 'plants',
      filter: ['has', 'point_count'],
      paint: {
        'circle-color': '#56565a',
        'circle-opacity': 0.55,
        'circle-stroke-color': '#ffffff',
        'circle-stroke-width': 1,
        'circle-radius': ['+', 8, ['*', 1.6, ['sqrt', ['get', 'capacity_mt']]]],
      },
    });
    map.addLayer({
      id: 'sites',
      type: 'circle',
      source: 'plants',
      filter: ['!', ['has', 'point_count']],
      paint: {
        'circle-color': colourExpression(collection.palette, filters.colour),
        'circle-opacity': 0.85,
        'circle-stroke-color': ['case', ['get', 'capacity_known'], '#ffffff', '#000000'],
        'circle-stroke-width': 1,
        'circle-radius': ['+', 3, ['*', 2.2, ['sqrt', ['get', 'capacity_mt']]]],
      },
    });
    map.on('click', 'clusters', async (e) => {
      const cluster = e.features[0];
      const zoom = await map.getSource('plants').getClusterExpansionZoom(cluster.properties.cluster_id);
      map.easeTo({ center: cluster.geometry.coordinates, zoom });
    });
    map.on('click', 'sites', (e) => {
      const site = byId.get(e.features[0].properties.id);
      if (site) new maplibregl.Popup({ maxWidth: '340px' }).setLngLat(e.features[0].geometry.coordinates).setHTML(popupHtml(site)).addTo(map);
    });
    for (const layer of ['clusters', 'sites']) {
      map.on('mouseenter', layer, () => { map.getCanvas().style.cursor = 'pointer'; });
      map.on('mouseleave', layer, () => { map.getCanvas().style.cursor = ''; });
    }
    root.classList.add('ready');
    try {
      await outlines(map);
    } catch (err) {
      const note = document.createElement('p');
      note.className = 'notice';
      note.textContent = `Country outlines could not be loaded (${err.message}); the map shows the plants only.`;
      root.before(note);
    }
    count();
  });

  function legend() {
    const out = document.getElementById('map-legend');
    if (!out) return;
    const key = filters.colour === 'route' ? 'colour_key_route' : 'colour_key_status';
    const present = [...new Set(shown.features.map((f) => f.properties[key]))].sort();
    out.replaceChildren(...present.map((name) => {
      const item = document.createElement('span');
      item.className = 'legend-item';
      const swatch = document.createElement('span');
      swatch.className = 'swatch';
      swatch.style.background = collection.palette[filters.colour][name] ?? '#999999';
      item.append(swatch, name);
      return item;
    }));
  }

  function count() {
    legend();
    const n = shown.features.length;
    const out = document.getElementById('map-count');
    if (out) out.textContent = `${fmt.format(n)} ${n === 1 ? 'site' : 'sites'} shown of ${fmt.format(collection.features.length)} with coordinates`;
  }

  form.addEventListener('change', () => {
    filters = readFilters(form);
    shown = filtered(collection, filters);
    map.getSource('plants')?.setData(shown);
    map.setPaintProperty('sites', 'circle-color', colourExpression(collection.palette, filters.colour));
    count();
  });
  form.addEventListener('submit', (e) => e.preventDefault());
}

start().catch((err) => {
  const note = document.createElement('p');
  note.className = 'notice';
  const link = document.createElement('a');
  link.href = root?.dataset.static || '/map/static';
  link.textContent = 'the static map';
  note.append(`The interactive map could not start (${err.message}); `, link, ' shows every located plant.');
  root?.before(note);
});
