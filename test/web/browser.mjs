// browser.mjs: a real browser against the service, for the "web" tier.
// Serves page.html from a second loopback origin (its own port), opens it
// in Debian's headless Chromium (driven by playwright-core), waits for the
// page's results and prints them as TAP lines.
//
//   node browser.mjs config.json
//
// config.json: {"pagePort", "jwksUrl", "iss", "passcode",
//               "links": {"pass", "expired"}}
import http from 'node:http';
import { readFileSync } from 'node:fs';
import { chromium } from 'playwright-core';

const cfg = JSON.parse(readFileSync(process.argv[2], 'utf8'));
const page = readFileSync(new URL('./page.html', import.meta.url));
const server = http.createServer((req, res) => {
  if (req.url === '/page.html') {
    res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'no-store' });
    res.end(page);
  } else {
    res.writeHead(404);
    res.end();
  }
});
await new Promise((resolve) => server.listen(cfg.pagePort, '127.0.0.1', resolve));

let n = 0, failed = 0;
function check(cond, what) {
  n++;
  if (!cond) failed++;
  console.log(`${cond ? 'ok' : 'not ok'} ${n} - ${what}`);
}

const browser = await chromium.launch({
  executablePath: process.env.SHC_CHROMIUM || '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'],
});
try {
  const ctx = await browser.newContext();
  const p = await ctx.newPage();
  const errors = [];
  p.on('pageerror', (e) => errors.push(e.message));
  const hash = encodeURIComponent(JSON.stringify(cfg));
  await p.goto(`http://localhost:${cfg.pagePort}/page.html#${hash}`);
  await p.waitForFunction(() => window.__results !== undefined, null, { timeout: 60000 });
  const results = await p.evaluate(() => window.__results);
  console.log(`# ${await browser.version()}, page origin http://localhost:${cfg.pagePort}`);
  for (const r of results) check(r.ok, `browser: ${r.name}${r.ok || r.detail === null ? '' : ` (saw ${String(r.detail).slice(0, 300)})`}`);
  check(results.length >= 12, `browser: the page made all its checks (${results.length})`);
  check(errors.length === 0, `browser: no uncaught error on the page${errors.length ? ': ' + errors[0] : ''}`);
} finally {
  await browser.close();
  server.close();
}
console.log(`# ${n - failed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
