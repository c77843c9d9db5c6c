#!/usr/bin/env node
/**
 * Render many Mermaid diagrams in one Chromium session.
 *
 * Why this exists: sphinxcontrib-mermaid starts one `mmdc` (one Chromium) per
 * diagram, about 2.5 s each; the course holds ~200 diagrams in three formats.
 * Here one browser starts once (~2.6 s) and one page calls mermaid.render()
 * diagram after diagram (~0.05 s each), so a clean build stays fast and a
 * no-op rebuild (nothing missing from the cache) never starts a browser.
 *
 * Usage: node scripts/render_mermaid.mjs [JOBS.json | -]   (default: stdin)
 *        node scripts/render_mermaid.mjs --version          (prints versions as JSON)
 *
 * Input (JSON):
 *   {
 *     "chromium": "/usr/bin/chromium",      // optional, default /usr/bin/chromium
 *     "config": { ...mermaid.initialize() options... },   // optional
 *     "jobs": [
 *       {"id": "<hex hash>", "code": "flowchart LR ...",
 *        "outputs": {"svg": "/abs/x.svg", "pdf": "/abs/x.pdf", "png": "/abs/x.png"}}
 *     ]
 *   }
 * Output (stdout, one JSON document):
 *   {"mermaidVersion", "chromiumVersion", "rendered", "failed", "startSeconds",
 *    "renderSeconds", "results": [{"id", "ok", "error"?, "width"?, "height"?}]}
 * Exit status: 0 all rendered, 1 some diagram failed (see results), 2 fatal
 * (no browser, bad input: {"fatal": "..."} on stdout, the reason on stderr).
 *
 * Guarantees the Python side relies on:
 * - every output file is written to a temporary name and renamed into place,
 *   and nothing is written for a diagram that failed, so the cache never holds
 *   half a diagram;
 * - a diagram's SVG element ids derive from its job id and Math.random is
 *   re-seeded from the job id before each render, so output does not depend
 *   on the batch it was rendered in;
 * - PDFs carry no creation time and a document ID derived from the job id.
 */

import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import process from 'node:process';

const require = createRequire(import.meta.url);

/** Fail the whole batch with a message for people (stderr) and for Python (stdout). */
function fatal(message) {
  process.stderr.write(`render_mermaid: ${message}\n`);
  process.stdout.write(`${JSON.stringify({ fatal: message })}\n`);
  process.exit(2);
}

function loadDependencies() {
  try {
    const mermaidDir = dirname(require.resolve('mermaid/package.json'));
    const puppeteer = require('puppeteer-core');
    const version = JSON.parse(readFileSync(join(mermaidDir, 'package.json'), 'utf8')).version;
    return { puppeteer, mermaidJs: join(mermaidDir, 'dist', 'mermaid.min.js'), mermaidVersion: version };
  } catch (error) {
    fatal(`the npm packages are not installed (${error.code || error.message}): `
      + 'run `npm ci` in the repository root (it installs mermaid and puppeteer-core '
      + 'from package-lock.json)');
  }
  return undefined;
}

function readInput(source) {
  const text = source === '-' ? readFileSync(0, 'utf8') : readFileSync(source, 'utf8');
  const data = JSON.parse(text);
  if (!Array.isArray(data.jobs)) throw new Error('input has no "jobs" array');
  for (const job of data.jobs) {
    if (typeof job.id !== 'string' || !/^[A-Za-z0-9_-]+$/.test(job.id)) {
      throw new Error(`job id must be a non-empty [A-Za-z0-9_-] string: ${JSON.stringify(job.id)}`);
    }
    if (typeof job.code !== 'string') throw new Error(`job ${job.id} has no "code"`);
    for (const kind of Object.keys(job.outputs || {})) {
      if (!['svg', 'pdf', 'png'].includes(kind)) throw new Error(`job ${job.id}: unknown output ${kind}`);
    }
  }
  return data;
}

/** Write a file so that readers see either nothing or all of it. */
function writeAtomic(path, data) {
  mkdirSync(dirname(path), { recursive: true });
  const tmp = `${path}.tmp-${process.pid}`;
  writeFileSync(tmp, data);
  renameSync(tmp, path);
}

/**
 * Make Chromium's PDF byte-stable: blank the creation/modification dates (same
 * length, so the xref table stays valid) and derive the trailer /ID from the job.
 */
function stabilisePdf(buffer, id) {
  let text = buffer.toString('latin1');
  text = text.replace(/\/(CreationDate|ModDate) \(D:([0-9]{14})([^)]*)\)/g,
    (_m, key, digits, rest) => `/${key} (D:${'19700101000000'.slice(0, digits.length)}${rest.replace(/[0-9]/g, '0')})`);
  const digest = createHash('sha256').update(id).digest('hex');
  text = text.replace(/\/ID \[<([0-9A-Fa-f]+)> <([0-9A-Fa-f]+)>\]/g,
    (_m, a, b) => `/ID [<${digest.slice(0, a.length).padEnd(a.length, '0')}> <${digest.slice(0, b.length).padEnd(b.length, '0')}>]`);
  return Buffer.from(text, 'latin1');
}

const PAGE_HTML = `<!doctype html><html><head><meta charset="utf-8"><style>
html, body { margin: 0; padding: 0; background: #ffffff; }
#out svg { display: block; }
@page { margin: 0; }
</style></head><body><div id="work"></div><div id="out"></div></body></html>`;

/** Runs inside the page: a seeded PRNG replaces Math.random so renders repeat exactly. */
function installPage() {
  let state = 1;
  window.__seed = (hex) => { state = (parseInt(hex.slice(0, 8), 16) >>> 0) || 1; };
  Math.random = () => {
    // mulberry32
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Runs inside the page: parse, render and normalise one diagram. */
async function renderInPage(id, code, config) {
  const { mermaid } = window;
  window.__seed(id);
  mermaid.initialize({ ...config, startOnLoad: false, deterministicIds: true, deterministicIDSeed: id });
  try {
    await mermaid.parse(code);
  } catch (error) {
    return { error: String((error && (error.message || error.str)) || error) };
  }
  let svgText;
  const work = document.getElementById('work');
  try {
    ({ svg: svgText } = await mermaid.render(`m${id.slice(0, 16)}`, code, work));
  } catch (error) {
    return { error: String((error && error.message) || error) };
  } finally {
    work.replaceChildren();
  }
  const holder = document.createElement('div');
  holder.innerHTML = svgText;
  const svg = holder.querySelector('svg');
  if (!svg) return { error: 'Mermaid produced no <svg> element' };
  const box = (svg.getAttribute('viewBox') || '').trim().split(/[\s,]+/).map(Number);
  if (box.length !== 4 || !(box[2] > 0) || !(box[3] > 0)) return { error: 'rendered SVG has no usable viewBox' };
  const width = Math.ceil(box[2]);
  const height = Math.ceil(box[3]);
  // Natural size instead of width="100%" + max-width: an <img> of the file then
  // has an intrinsic size, and LaTeX/ePub scale from the real dimensions.
  svg.setAttribute('width', String(width));
  svg.setAttribute('height', String(height));
  svg.style.removeProperty('max-width');
  if (!svg.getAttribute('style')) svg.removeAttribute('style');
  svg.setAttribute('xmlns', 'http://www.w3.org/2000/svg');
  // Mermaid numbers some element ids from counters that live for the whole
  // page (sequence-diagram actors), so the same diagram gets different ids
  // depending on what was rendered before it. Renumbering them by order of
  // appearance makes each SVG a function of its own source only.
  const renumbered = new Map();
  const xml = new XMLSerializer().serializeToString(svg).replace(
    /\b(actor|root-)(\d+)\b/g,
    (whole, prefix) => {
      if (!renumbered.has(whole)) renumbered.set(whole, `${prefix}${renumbered.size}`);
      return renumbered.get(whole);
    });
  const out = document.getElementById('out');
  out.replaceChildren(svg);
  return { svg: xml, width, height, foreignObjects: svg.querySelectorAll('foreignObject').length };
}

async function main() {
  const args = process.argv.slice(2);
  const { puppeteer, mermaidJs, mermaidVersion } = loadDependencies();
  if (args[0] === '--version') {
    process.stdout.write(`${JSON.stringify({ mermaidVersion })}\n`);
    return 0;
  }
  let input;
  try {
    input = readInput(args[0] || '-');
  } catch (error) {
    fatal(`cannot read the job list: ${error.message}`);
  }
  const jobs = input.jobs;
  const config = input.config || {};
  const chromium = input.chromium || process.env.PUPPETEER_EXECUTABLE_PATH || '/usr/bin/chromium';
  const results = [];
  const summary = { mermaidVersion, chromiumVersion: null, rendered: 0, failed: 0, startSeconds: 0, renderSeconds: 0, results };
  if (jobs.length === 0) {
    process.stdout.write(`${JSON.stringify(summary)}\n`);
    return 0;
  }
  if (!existsSync(chromium)) {
    fatal(`Chromium not found at ${chromium}: install the Debian package \`chromium\` `
      + '(apt-get install --no-install-recommends chromium) or point mermaid_render_chromium at it');
  }

  const t0 = performance.now();
  const profile = mkdtempSync(join(tmpdir(), 'mermaid-chromium-'));
  let browser;
  try {
    try {
      browser = await puppeteer.launch({
        executablePath: chromium,
        headless: true,
        userDataDir: profile,
        timeout: 60000,
        args: ['--no-sandbox', '--headless', '--disable-gpu', '--disable-quic', '--no-first-run',
          '--disable-background-networking', '--disable-component-update', '--disable-sync',
          '--disable-dev-shm-usage', '--font-render-hinting=none', '--hide-scrollbars'],
      });
    } catch (error) {
      fatal(`cannot start Chromium at ${chromium}: ${error.message}`);
    }
    summary.chromiumVersion = await browser.version();
    const page = await browser.newPage();
    // Nothing may come from the network: the build is offline by design.
    await page.setRequestInterception(true);
    page.on('request', (request) => {
      const url = request.url();
      if (url.startsWith('data:') || url.startsWith('about:')) request.continue();
      else request.abort();
    });
    await page.setContent(PAGE_HTML);
    await page.evaluate(installPage);
    await page.addScriptTag({ path: mermaidJs });
    summary.startSeconds = (performance.now() - t0) / 1000;

    const t1 = performance.now();
    for (const job of jobs) {
      const started = performance.now();
      let result;
      let timer;
      try {
        result = await Promise.race([
          page.evaluate(renderInPage, job.id, job.code, config),
          new Promise((resolve) => {
            timer = setTimeout(() => resolve({ error: 'rendering timed out after 60 s' }), 60000);
          }),
        ]);
      } catch (error) {
        result = { error: `the browser failed while rendering: ${error.message}` };
      } finally {
        clearTimeout(timer);
      }
      if (result.error) {
        summary.failed += 1;
        results.push({ id: job.id, ok: false, error: result.error });
        continue;
      }
      const outputs = job.outputs || {};
      const files = {};
      if (outputs.pdf) {
        const pdf = await page.pdf({
          width: `${result.width}px`, height: `${result.height}px`, printBackground: true,
          margin: { top: 0, right: 0, bottom: 0, left: 0 }, pageRanges: '1', tagged: false, outline: false,
        });
        files.pdf = stabilisePdf(Buffer.from(pdf), job.id);
      }
      if (outputs.png) {
        await page.setViewport({ width: result.width, height: result.height, deviceScaleFactor: 2 });
        const element = await page.$('#out svg');
        files.png = Buffer.from(await element.screenshot({ type: 'png', omitBackground: false }));
        await page.setViewport({ width: 800, height: 600, deviceScaleFactor: 1 });
      }
      if (outputs.svg) files.svg = Buffer.from(`${result.svg}\n`, 'utf8');
      // All formats are in memory before the first file lands: a failure above
      // leaves the cache without this diagram rather than with part of it.
      for (const [kind, data] of Object.entries(files)) writeAtomic(outputs[kind], data);
      summary.rendered += 1;
      results.push({
        id: job.id, ok: true, width: result.width, height: result.height,
        foreignObjects: result.foreignObjects, seconds: (performance.now() - started) / 1000,
      });
    }
    summary.renderSeconds = (performance.now() - t1) / 1000;
  } finally {
    if (browser) await browser.close().catch(() => {});
    rmSync(profile, { recursive: true, force: true });
  }
  process.stdout.write(`${JSON.stringify(summary)}\n`);
  return summary.failed ? 1 : 0;
}

main().then((code) => { process.exitCode = code; }, (error) => fatal(error.stack || String(error)));
