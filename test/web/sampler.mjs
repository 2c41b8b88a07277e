// sampler.mjs: the most database connections a role holds, sampled from
// pg_stat_activity every 50 ms over one connection (its own, as another
// role), until SIGTERM; then prints "max <n> samples <count>".
//
//   node sampler.mjs ROLE        (PGHOST, PGPORT, PGUSER, PGDATABASE)
import pg from '../../web/node_modules/pg/lib/index.js';

const role = process.argv[2];
const client = new pg.Client({ application_name: 'shc-web-tier-sampler' });
await client.connect();
console.log('ready');
let max = 0, samples = 0, stop = false;
process.on('SIGTERM', () => { stop = true; });
while (!stop) {
  const r = await client.query('SELECT count(*)::int AS n FROM pg_stat_activity WHERE usename = $1', [role]);
  max = Math.max(max, r.rows[0].n);
  samples++;
  await new Promise((res) => setTimeout(res, 50));
}
await client.end();
console.log(`max ${max} samples ${samples}`);
