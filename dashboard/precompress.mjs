// Writes a brotli (.br, quality 11) and a gzip (.gz, level 9) copy beside each npm file the
// dashboard's map page loads, so that `decarb serve` sends them compressed at their best
// (tower-http's ServeDir picks the copy the browser accepts). Best-quality brotli takes seconds a
// file, too slow to run per request; the server's own compression (quality 4) would make the map
// page about 530 kB instead of about 440 kB (issue 17's budget: 500 kB before plant data).
// Run by `npm ci` (postinstall); safe to run again.
import { brotliCompressSync, gzipSync, constants } from 'node:zlib';
import { readFileSync, writeFileSync, existsSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const modules = join(dirname(fileURLToPath(import.meta.url)), 'node_modules');
const files = [
  'maplibre-gl/dist/maplibre-gl.mjs',
  'maplibre-gl/dist/maplibre-gl-worker.mjs',
  'maplibre-gl/dist/maplibre-gl.css',
  'world-atlas/countries-110m.json',
  'world-atlas/countries-50m.json',
  'topojson-client/dist/topojson-client.min.js',
];
for (const file of files) {
  const path = join(modules, file);
  if (!existsSync(path)) {
    console.warn(`precompress: ${file} is not installed; skipped`);
    continue;
  }
  const body = readFileSync(path);
  const br = brotliCompressSync(body, {
    params: { [constants.BROTLI_PARAM_QUALITY]: 11, [constants.BROTLI_PARAM_SIZE_HINT]: body.length },
  });
  writeFileSync(`${path}.br`, br);
  writeFileSync(`${path}.gz`, gzipSync(body, { level: 9 }));
  console.log(`precompress: ${file} ${body.length} -> br ${br.length} bytes`);
}
