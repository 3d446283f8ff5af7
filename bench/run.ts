import os from 'node:os';
import { measurePersistence } from './persistence-bench';

/**
 * `npm run bench`: speed targets as ratios, measured side by side in one run on this machine.
 * Timed goals live here, never in the test suite.
 */
interface Row {
  readonly name: string;
  readonly measured: string;
  readonly ratio: number;
  readonly goal: string;
  readonly met: boolean;
}

const rows: Row[] = [];

const small = await measurePersistence(2_000);
const large = await measurePersistence(20_000);
const ratio = large / small;
rows.push({
  name: 'manifest persistence, dry run of 20,000 vs 2,000 files',
  measured: `${(small / 1000).toFixed(2)} s vs ${(large / 1000).toFixed(2)} s (${((large / 20_000) * 1000).toFixed(0)} µs per file)`,
  ratio,
  goal: '≤ 12 (linear is 10)',
  met: ratio <= 12,
});

console.log(`AltGen benchmarks — ${os.cpus().length} cores, ${Math.round(os.totalmem() / 1024 ** 3)} GiB, Node ${process.version}, ${os.platform()}`);
console.log('');
console.log('| benchmark | measured | ratio | goal | met |');
console.log('| --- | --- | --- | --- | --- |');
for (const row of rows) console.log(`| ${row.name} | ${row.measured} | ${row.ratio.toFixed(2)} | ${row.goal} | ${row.met ? 'yes' : 'NO'} |`);
process.exitCode = rows.every((r) => r.met) ? 0 : 1;
