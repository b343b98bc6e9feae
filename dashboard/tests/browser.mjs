// Real-browser test of the decarb dashboard: loads every page in headless Chromium (Debian's,
// driven by playwright-core; no browser download), checks that the numbers shown equal the
// API's, exercises hover, series toggles, CSV download, the SVG map and the zoomable map (zoom,
// a cluster that expands, filters, a popup that leads to the plant page), runs a scenario from
// the page, weighs the map and plant pages as a browser with an empty cache receives them, and
// saves a screenshot of each page (the map, a plant and the search at 1,400 and 400 px).
//
//   node dashboard/tests/browser.mjs http://127.0.0.1:8080 <screenshot-dir>
//
// Exit code 0 when every check passed; 1 with the failed checks listed otherwise.
import { chromium } from 'playwright-core';
import { mkdtempSync, mkdirSync, rmSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const [base, shots] = process.argv.slice(2);
if (!base || !shots) {
  console.error('usage: node browser.mjs <base-url> <screenshot-dir>');
  process.exit(2);
}
mkdirSync(shots, { recursive: true });
const failures = [];
const check = (ok, what) => {
  console.log(`${ok ? 'ok  ' : 'FAIL'} ${what}`);
  if (!ok) failures.push(what);
};
const close = (a, b, tol = 1e-6) => Math.abs(Number(a) - Number(b)) <= tol * Math.max(1, Math.abs(Number(b)));
const parseShown = (text) => Number(String(text).replace(/,/g, '').trim());

const profile = mkdtempSync(join(tmpdir(), 'decarb-chromium-'));
const context = await chromium.launchPersistentContext(profile, {
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  headless: true,
  acceptDownloads: true,
  viewport: { width: 1400, height: 900 },
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
    '--no-first-run', '--disable-sync', '--disable-quic'],
});
const page = context.pages()[0] || await context.newPage();
const pageErrors = [];
page.on('pageerror', (e) => pageErrors.push(String(e)));
// The deliberate bad-scenario POST logs its 422 as a console error; anything else is a failure.
page.on('console', (m) => { if (m.type() === 'error' && !/status of 422/.test(m.text())) pageErrors.push(m.text()); });
// Nothing may leave this server: no CDN, no fonts, no tiles.
const foreign = [];
await page.route('**/*', (route) => {
  const url = route.request().url();
  if (!url.startsWith(base) && !url.startsWith('data:') && !url.startsWith('blob:')) {
    foreign.push(url);
    return route.abort();
  }
  return route.continue();
});
const api = async (path) => page.evaluate(async (p) => (await fetch(p)).json(), path);
const testValue = async (id) => page.getAttribute(`[data-testid="${id}"]`, 'data-value');
const testText = async (id) => page.textContent(`[data-testid="${id}"]`);
const visit = async (path, shot) => {
  const response = await page.goto(base + path, { waitUntil: 'load' });
  check(response.status() === 200, `${path}: status ${response.status()}`);
  if (shot) await page.screenshot({ path: join(shots, `${shot}.png`), fullPage: true });
};
// What a page weighs as a browser with an empty cache receives it: the document and every
// resource it loaded (Resource Timing's transferSize: compressed body and headers; the map's
// worker script included), less the resources `exclude` matches. Loaded with the cache off, then
// `ready` waited for; returns the total and the parts, largest first.
const cdp = await context.newCDPSession(page);
const weigh = async (path, ready, exclude = /^$/) => {
  await cdp.send('Network.enable');
  await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
  try {
    await page.goto(base + path, { waitUntil: 'load' });
    await ready();
    const entries = await page.evaluate(() => [...performance.getEntriesByType('navigation'), ...performance.getEntriesByType('resource')]
      .map((e) => ({ name: e.name, bytes: e.transferSize })));
    const counted = entries.filter((e) => !exclude.test(e.name)).sort((a, b) => b.bytes - a.bytes);
    return { total: counted.reduce((sum, e) => sum + e.bytes, 0), parts: counted.map((e) => `${e.name.replace(base, '')} ${e.bytes}`) };
  } finally {
    await cdp.send('Network.setCacheDisabled', { cacheDisabled: false });
  }
};

try {
  // Overview: totals by sector, members, pipeline.
  await visit('/', null);
  const fleet = await api('/api/v1/fleet?group_by=sector,status');
  const sectors = [...new Set(fleet.groups.map((g) => g.keys[0]))];
  for (const sector of sectors) {
    const groups = fleet.groups.filter((g) => g.keys[0] === sector);
    const plants = groups.reduce((s, g) => s + g.plants, 0);
    const operating = groups.filter((g) => ['operating', 'operating-pre-retirement'].includes(g.keys[1]))
      .reduce((s, g) => s + g.capacity_tpa, 0) / 1e6;
    check(Number(await testValue(`plants-${sector}`)) === plants, `overview: ${sector} plants = API (${plants})`);
    check(parseShown(await testText(`plants-${sector}`)) === plants, `overview: ${sector} plants shown = API`);
    check(close(await testValue(`operating-mtpa-${sector}`), operating), `overview: ${sector} operating Mt/yr = API (${operating.toFixed(1)})`);
    check(close(parseShown(await testText(`operating-mtpa-${sector}`)), operating, 0.001), `overview: ${sector} operating Mt/yr shown = API`);
  }
  const members = await api('/api/v1/members');
  check(Number(await testValue('members-total')) === members.length, `overview: members = API (${members.length})`);
  check(Number(await testValue('members-countries')) === members.filter((m) => m.kind === 'country').length, 'overview: country members = API');
  const projects = await api('/api/v1/projects?limit=1');
  check(Number(await testValue('projects-total')) === projects.total, `overview: projects = API (${projects.total})`);
  // Hover shows a value; a legend entry hides its series.
  const bar = page.locator('#capacity-by-status rect.point').first();
  await bar.hover();
  const tip = await page.textContent('#tooltip');
  check(await page.isVisible('#tooltip') && /\d/.test(tip), `overview: hover shows a value (${tip})`);
  await page.click('#capacity-by-status .legend-item[data-series="0"]');
  const hidden = await page.$eval('#capacity-by-status svg .series[data-series="0"]', (g) => g.style.display);
  check(hidden === 'none', 'overview: legend toggles a series off');
  await page.click('#capacity-by-status .legend-item[data-series="0"]');
  // CSV of a table and of a chart.
  const [download] = await Promise.all([page.waitForEvent('download'), page.click('#world-totals button.csv')]);
  const csv = readFileSync(await download.path(), 'utf8');
  check(csv.startsWith('sector,plants listed,operating plants,operating capacity (Mt/yr)\n'), 'overview: table CSV has the header');
  const steelLine = csv.split('\n').find((l) => l.startsWith('steel,'));
  check(steelLine && Number(steelLine.split(',')[1]) === fleet.groups.filter((g) => g.keys[0] === 'steel').reduce((s, g) => s + g.plants, 0), 'overview: table CSV holds the API numbers');
  const [chartDownload] = await Promise.all([page.waitForEvent('download'), page.click('#pipeline button.csv')]);
  check(readFileSync(await chartDownload.path(), 'utf8').startsWith('stage,projects\n'), 'overview: chart CSV has the header');
  await page.screenshot({ path: join(shots, 'overview.png'), fullPage: true });

  // The SVG map (for readers without JavaScript): outlines from world-atlas, one point per
  // located plant.
  await visit('/map/static', null);
  await page.waitForSelector('svg[data-outlines]', { timeout: 15000 }).catch(() => {});
  const outlines = Number(await page.getAttribute('.map svg', 'data-outlines'));
  check(outlines > 100, `map: country outlines drawn (${outlines})`);
  const plants = await api('/api/v1/plants?limit=1000');
  check(Number(await testValue('map-total')) === plants.total, `map: total = API (${plants.total})`);
  let located = 0;
  for (let offset = 0; offset < plants.total; offset += 1000) {
    const chunk = await api(`/api/v1/plants?limit=1000&offset=${offset}`);
    located += chunk.items.filter((p) => p.latitude !== null && p.longitude !== null).length;
  }
  const circles = await page.locator('.map svg circle.point').count();
  check(circles === located && Number(await testValue('map-points')) === located, `map: ${circles} points = located plants in the API (${located})`);
  await page.screenshot({ path: join(shots, 'map-static.png'), fullPage: true });

  // The zoomable map (MapLibre, served from node_modules): operating sites by default, filters,
  // clusters that open, a popup per site. Its sites come from /map/plants.geojson. Weighed first:
  // under 500 kB before the plant data (issue 17), with the 1:110m outlines drawn.
  const mapReady = async () => {
    await page.waitForSelector('#interactive-map.ready', { timeout: 30000 });
    await page.waitForFunction(() => document.getElementById('interactive-map').dataset.outlines && window.decarbPlantMap.loaded(), null, { timeout: 30000 });
  };
  const mapWeight = await weigh('/map', mapReady, /\/map\/plants\.geojson/);
  console.log(`map page: ${mapWeight.total} bytes before the plant data: ${mapWeight.parts.join(', ')}`);
  check(mapWeight.total < 500000, `map page: under 500 kB before the plant data (${mapWeight.total} bytes)`);
  check(mapWeight.parts.some((p) => p.includes('maplibre-gl-worker')), 'map page: the weight counts MapLibre\'s worker');
  check(await page.isVisible('#interactive-map .canvas'), 'live map: drawn');
  check(!(await page.isVisible('#static-map')), 'live map: no SVG map sent with it');
  // (With scripts on, a noscript element holds its markup as text.)
  check((await page.$eval('noscript', (n) => n.textContent)).includes('href="/map/static"'), 'live map: readers without JavaScript get a link to the SVG map');
  const geo = await api('/map/plants.geojson');
  const map = (fn, arg) => page.evaluate(fn, arg);
  const idle = () => page.waitForFunction(() => window.decarbPlantMap.loaded() && !window.decarbPlantMap.isMoving(), null, { timeout: 15000 });
  // Zoom in one step: the map's zoom grows.
  await idle();
  const zoom0 = await map(() => window.decarbPlantMap.getZoom());
  await page.click('.maplibregl-ctrl-zoom-in');
  await page.waitForFunction((z) => window.decarbPlantMap.getZoom() > z + 0.9 && !window.decarbPlantMap.isMoving(), zoom0, { timeout: 15000 }).catch(() => {});
  const zoom1 = await map(() => window.decarbPlantMap.getZoom());
  check(zoom1 > zoom0 + 0.9, `live map: the + button zooms in (${zoom0.toFixed(2)} -> ${zoom1.toFixed(2)})`);
  // Click the largest cluster in view: the map zooms to where it splits, and its sites are then
  // drawn as more than one feature.
  await idle();
  const cluster = await map(async () => {
    const m = window.decarbPlantMap;
    const features = m.queryRenderedFeatures({ layers: ['clusters'] });
    if (!features.length) return null;
    const big = features.reduce((a, b) => (b.properties.point_count > a.properties.point_count ? b : a));
    const source = m.getSource('plants');
    const leaves = await source.getClusterLeaves(big.properties.cluster_id, Infinity, 0);
    const p = m.project(big.geometry.coordinates);
    const r = m.getCanvas().getBoundingClientRect();
    return { x: r.left + p.x, y: r.top + p.y, count: big.properties.point_count, zoom: m.getZoom(), to: await source.getClusterExpansionZoom(big.properties.cluster_id), leaves: leaves.map((f) => f.properties.id) };
  });
  check(cluster !== null, 'live map: clusters drawn at the world view');
  if (cluster) {
    await page.mouse.click(cluster.x, cluster.y);
    await page.waitForFunction((z) => window.decarbPlantMap.getZoom() > z + 0.5 && !window.decarbPlantMap.isMoving(), cluster.zoom, { timeout: 15000 }).catch(() => {});
    await idle();
    const after = await map(async (leaves) => {
      const m = window.decarbPlantMap;
      const want = new Set(leaves);
      const source = m.getSource('plants');
      let drawn = 0;
      for (const f of m.queryRenderedFeatures({ layers: ['clusters', 'sites'] })) {
        if (f.properties.cluster_id !== undefined) {
          const inside = await source.getClusterLeaves(f.properties.cluster_id, Infinity, 0);
          if (inside.some((x) => want.has(x.properties.id))) drawn += 1;
        } else if (want.has(f.properties.id)) {
          drawn += 1;
        }
      }
      return { zoom: m.getZoom(), drawn };
    }, cluster.leaves);
    check(after.zoom > cluster.zoom, `live map: a click on a cluster of ${cluster.count} sites zooms in (${cluster.zoom.toFixed(2)} -> ${after.zoom.toFixed(2)}, expansion zoom ${cluster.to})`);
    check(after.drawn > 1, `live map: the cluster split into ${after.drawn} features`);
  }
  const operatingSites = geo.features.filter((f) => f.properties.phases.some((ph) => ph.status === 'operating' || ph.status === 'operating-pre-retirement')).length;
  const shownCount = async () => parseShown((await page.textContent('#map-count')).split(' ')[0]);
  check(await shownCount() === operatingSites, `live map: ${operatingSites} operating sites by default of ${geo.features.length}`);
  for (const status of ['construction', 'announced', 'mothballed', 'retired', 'cancelled']) await page.check(`#map-filters input[value="${status}"]`);
  check(await shownCount() === geo.features.length, `live map: every status shows every site (${geo.features.length})`);
  // Unticking "retired" hides the sites that are retired and nothing else (a site with another
  // phase still shows).
  const notRetired = geo.features.filter((f) => f.properties.phases.some((ph) => ph.status !== 'retired')).length;
  await page.uncheck('#map-filters input[value="retired"]');
  const withoutRetired = await shownCount();
  check(withoutRetired === notRetired && withoutRetired < geo.features.length,
    `live map: the status filter hides retired sites (${geo.features.length} -> ${withoutRetired})`);
  const drawnRetired = await map(async () => (await window.decarbPlantMap.getSource('plants').getData()).features.length);
  check(drawnRetired === withoutRetired, `live map: the map's source holds the sites the count says (${drawnRetired})`);
  await page.check('#map-filters input[value="retired"]');
  await page.selectOption('#map-filters select[name=country]', 'SWE');
  const swedish = geo.features.filter((f) => f.properties.country === 'SWE').length;
  check(await shownCount() === swedish, `live map: country filter (${swedish} Swedish sites)`);
  // Zoom on SSAB Luleå (GIST P100000120845) and open its popup: three phases, EAF announced.
  await page.evaluate(() => window.decarbPlantMap.jumpTo({ center: [22.15, 65.58], zoom: 9 }));
  await page.waitForFunction(() => window.decarbPlantMap.loaded() && window.decarbPlantMap.queryRenderedFeatures({ layers: ['sites'] }).length > 0, null, { timeout: 15000 }).catch(() => {});
  const lulea = geo.features.find((f) => f.properties.name === 'SSAB Luleå steel plant');
  const at = await page.evaluate(([lon, lat]) => {
    const p = window.decarbPlantMap.project([lon, lat]);
    const r = window.decarbPlantMap.getCanvas().getBoundingClientRect();
    return { x: r.left + p.x, y: r.top + p.y };
  }, lulea.geometry.coordinates);
  await page.mouse.click(at.x, at.y);
  const popup = await page.waitForSelector('.maplibregl-popup-content', { timeout: 5000 }).then((e) => e.textContent()).catch(() => '');
  check(popup.includes('SSAB Luleå') && popup.includes('announced') && popup.includes('SSAB'), `live map: Luleå's popup names its owner and phases (${popup.slice(0, 80)})`);
  const wiki = await page.$eval('.maplibregl-popup-content a[href^="https://www.gem.wiki/"]', (a) => a.href).catch(() => '');
  check(decodeURI(wiki) === 'https://www.gem.wiki/SSAB_Luleå_steel_plant', `live map: Luleå's popup links its GEM.wiki page (${wiki})`);
  await page.screenshot({ path: join(shots, 'map-1400.png'), fullPage: false });
  // The popup's link opens the plant's page.
  await Promise.all([page.waitForURL(/\/plants\/P100000120845$/, { timeout: 60000 }), page.click('.maplibregl-popup-content a:has-text("Plant page")')]);
  check((await page.textContent('h1')) === 'SSAB Luleå steel plant', 'live map: the popup links to the plant page');

  // Country page.
  await visit('/countries/DEU', null);
  const ranking = await api('/api/v1/production/steel');
  const deu = ranking.rows.find((r) => r.country === 'DEU');
  check(Number(await testValue('rank-steel')) === deu.rank, `country: DEU steel rank = API (${deu.rank})`);
  check(close(await testValue('production-steel'), deu.value), 'country: DEU steel production = API');
  const deFleet = await api('/api/v1/fleet?country=DEU&status=operating&group_by=route');
  const bfBof = deFleet.groups.find((g) => g.keys[0] === 'bf-bof');
  if (bfBof) {
    // The page counts operating and operating-pre-retirement; compare against both.
    const pre = await api('/api/v1/fleet?country=DEU&status=operating-pre-retirement&group_by=route');
    const preBf = pre.groups.find((g) => g.keys[0] === 'bf-bof');
    const expected = bfBof.plants + (preBf ? preBf.plants : 0);
    check(Number(await testValue('route-plants-bf-bof')) === expected, `country: DEU BF-BOF plants = API (${expected})`);
  }
  await page.screenshot({ path: join(shots, 'country-DEU.png'), fullPage: true });

  // Projects with a filter.
  await visit('/projects?stage=construction', null);
  const construction = await api('/api/v1/projects?stage=construction&limit=1');
  check(Number(await testValue('projects-total')) === construction.total, `projects: construction = API (${construction.total})`);
  await page.screenshot({ path: join(shots, 'projects.png'), fullPage: true });

  // Pledge alignment: the counts by status and the charted member are the API's.
  await visit('/pledges?scenario=baseline&member=Germany', null);
  const alignment = await api('/api/v1/pledges/alignment?scenario=baseline');
  const offTrack = alignment.rows.filter((r) => r.status === 'off track').length;
  check(Number(await testValue('pledges-off-track')) === offTrack, `pledges: off track = API (${offTrack})`);
  check(await page.locator('#alignment-chart svg .series').count() === 2, 'pledges: the member chart has its pathway and its allowance');
  await page.screenshot({ path: join(shots, 'pledges.png'), fullPage: true });

  // CBAM calculator.
  await visit('/cbam?good=7208&origin=IND&tonnes=1000&year=2026', null);
  const quote = await api('/api/v1/cbam/quote?good=7208&origin=IND&tonnes=1000&year=2026');
  check(await testValue('cbam-cost') === quote.cost, `cbam: cost = API (${quote.cost} ${quote.currency})`);
  check(await testValue('cbam-cost-per-tonne') === quote.cost_per_tonne, 'cbam: cost per tonne = API');
  await page.screenshot({ path: join(shots, 'cbam.png'), fullPage: true });

  // Scenarios: run an edited example from the page.
  await visit('/scenarios', null);
  await page.selectOption('#example-select', 'baseline');
  await page.waitForFunction(() => document.getElementById('scenario-text').value.includes('name = "baseline"'));
  await page.$eval('#scenario-text', (t) => { t.value = t.value.replace('name = "baseline"', 'name = "from-the-page"'); });
  await Promise.all([page.waitForURL(/ids=/, { timeout: 60000 }), page.click('#run-scenario')]);
  const ids = new URL(page.url()).searchParams.get('ids').split(',');
  check(ids.length === 2, `scenarios: the run joins the comparison (${ids.length} runs)`);
  const result = await api(`/api/v1/scenarios/${ids[1]}`);
  check(result.scenario === 'from-the-page', 'scenarios: the page ran the edited scenario');
  const steel = result.milestones.find((m) => m.sector === 'steel');
  const shown = await testValue(`change-${ids[1].slice(0, 8)}-steel`);
  check(close(shown, steel.change_2030_pct), `scenarios: steel change to 2030 = API (${steel.change_2030_pct.toFixed(1)} %)`);
  check(await page.locator('#emissions svg .series').count() === 2, 'scenarios: emissions chart compares two runs');
  await page.screenshot({ path: join(shots, 'scenarios.png'), fullPage: true });
  // Uncertainty bands: the page links a Monte Carlo ensemble per run (64 runs); the test follows
  // the link with 8 runs, since the test server is a debug build with one heavy-job thread and a
  // 30 s request timeout (two 64-run ensembles of the plant-level world take longer). p5..p95 are
  // shaded; the widest range equals the API's (same runs and seed, so the server's cached ensemble).
  const bandsLink = await page.getAttribute('#show-bands', 'href');
  check(/bands=64/.test(bandsLink), `scenarios: the page offers 64-run bands (${bandsLink})`);
  await page.goto(base + bandsLink.replace('bands=64', 'bands=8'), { timeout: 120000 });
  check(await page.locator('#emissions svg polygon.band').count() === 2, 'scenarios: a band per run');
  const apiBands = await api(`/api/v1/scenarios/${ids[1]}/bands?runs=8`);
  check(apiBands.unit === 'Mt CO2' && apiBands.runs === 8, 'scenarios: bands in Mt CO2 over 8 runs');
  check(apiBands.world.every((r) => r.p5 <= r.p50 && r.p50 <= r.p95), 'scenarios: p5 <= p50 <= p95');
  const widest = Math.max(...apiBands.world.map((r) => r.p95 - r.p5));
  check(close(await testValue(`band-width-${ids[1].slice(0, 8)}`), widest), `scenarios: band width = API (${widest.toFixed(1)} Mt)`);
  await page.screenshot({ path: join(shots, 'scenarios-bands.png'), fullPage: true });
  // A broken scenario shows the API's (and the CLI's) message.
  await page.fill('#scenario-text', 'name = "x"\nprice_set = "mpp-shared-2022"\ndemand = "bau"\ndiscount = 0.1\n');
  await page.click('#run-scenario');
  await page.waitForSelector('#scenario-error:not([hidden])');
  const message = await page.textContent('#scenario-error');
  check(message.startsWith('scenario.toml, line 4'), `scenarios: a bad scenario shows where (${message})`);

  // Search from the header's box (a plain form, no JavaScript needed): "Indai" finds India, part
  // of a plant's name finds the plant, whose page lists its three GIST phases.
  await visit('/', null);
  await page.fill('header .search-go input[name=q]', 'Indai');
  await Promise.all([page.waitForURL(/\/search\?q=Indai/), page.press('header .search-go input[name=q]', 'Enter')]);
  check(await page.locator('[data-kind="country"] a[href="/countries/IND"]').count() === 1, 'search: "Indai" finds India');
  await visit('/search?q=Lulea', 'search-1400');
  const plantLink = page.locator('[data-kind="plant"] a[href="/plants/P100000120845"]');
  check(await plantLink.count() >= 1, 'search: "Lulea" finds SSAB Luleå');
  await Promise.all([page.waitForURL(/\/plants\/P100000120845$/, { timeout: 60000 }), plantLink.first().click()]);
  check((await page.textContent('h1')) === 'SSAB Luleå steel plant', 'plant page: opened from the search');
  check(await page.locator('#phases tbody tr').count() === 3, 'plant page: three phases of one site');
  // Its own pathway in the default scenario: its units of the bundled world, shown as the JSON
  // download has them (direct CO2 of the site in 2030 and 2050, the technology by unit).
  const plantJson = await api('/plants/P100000120845.json');
  const own = plantJson.plant_pathway;
  check(own.scenario === 'net-zero-2050' && own.units.length === 3, `plant page: its own pathway, ${own.units.length} units in ${own.scenario}`);
  for (const year of [2030, 2050]) {
    const direct = own.units.reduce((sum, u) => sum + (u.years.find((y) => y.year === year)?.direct_emissions_t ?? 0), 0) / 1e3;
    check(close(await testValue(`own-direct-${year}`), direct), `plant page: its direct CO2 in ${year} = JSON (${direct.toFixed(0)} kt)`);
  }
  const bf = own.units.find((u) => u.route === 'bf-bof');
  const tech2050 = bf.years.find((y) => y.year === 2050).technology;
  check((await testText('own-technology-2050')).includes(`bf-bof: ${tech2050}`), `plant page: its blast furnaces run ${tech2050} in 2050`);
  check(await page.locator('#own-emissions svg .series').count() >= 1 && await page.locator('#own-emissions line.marker').count() >= 1,
    'plant page: its emissions chart marks its decisions');
  await page.screenshot({ path: join(shots, 'plant-1400.png'), fullPage: true });
  const plantWeight = await weigh('/plants/P100000120845', async () => {});
  console.log(`plant page: ${plantWeight.total} bytes: ${plantWeight.parts.join(', ')}`);
  check(plantWeight.total < 100000, `plant page: under 100 kB (${plantWeight.total} bytes)`);

  // At 400 px (a phone) no page is wider than the screen: tables scroll inside their wrapper,
  // the header wraps, the CBAM calculator fits.
  await page.setViewportSize({ width: 400, height: 800 });
  for (const [path, shot] of [['/', 'overview-400'], ['/countries/DEU', 'country-DEU-400'], ['/projects', 'projects-400'],
    ['/cbam?good=7208&origin=IND&tonnes=1000&year=2026', 'cbam-400'], ['/plants/P100000120845', 'plant-400'],
    ['/search?q=Lulea', 'search-400'], ['/map', 'map-400']]) {
    await visit(path, null);
    if (path === '/map') await mapReady();
    const width = await page.evaluate(() => document.documentElement.scrollWidth);
    check(width <= 400, `400 px: ${path} fits (scrollWidth ${width})`);
    await page.screenshot({ path: join(shots, `${shot}.png`), fullPage: true });
  }
  await page.setViewportSize({ width: 1400, height: 900 });

  check(foreign.length === 0, `no request left the server (${foreign.join(', ')})`);
  check(pageErrors.length === 0, `no script errors (${pageErrors.join(' | ')})`);
} catch (err) {
  failures.push(String(err && err.stack || err));
  console.error(err);
} finally {
  await context.close();
  rmSync(profile, { recursive: true, force: true });
}
if (failures.length) {
  console.error(`${failures.length} check(s) failed:\n- ${failures.join('\n- ')}`);
  process.exit(1);
}
console.log('all browser checks passed');
