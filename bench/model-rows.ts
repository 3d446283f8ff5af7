import { measureModelRows } from './model-bench';

/** The model rows of `npm run bench` alone (issue 15): `npx tsx bench/model-rows.ts`. */
const rows = await measureModelRows();
console.log('| benchmark | measured | ratio | goal | met |');
console.log('| --- | --- | --- | --- | --- |');
for (const row of rows) console.log(`| ${row.name} | ${row.measured} | ${row.ratio.toFixed(2)} | ${row.goal} | ${row.met ? 'yes' : 'NO'} |`);
process.exitCode = rows.every((row) => row.met) ? 0 : 1;
