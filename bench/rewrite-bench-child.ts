import { readFile, writeFile } from 'node:fs/promises';
import { performance } from 'node:perf_hooks';
import JSZip from 'jszip';
import { DEFAULT_CONFIG } from '../src/shared/config-schema';
import { openPackage } from '../src/main/pptx/package-reader';
import { rewritePackage } from '../src/main/pptx/zip-rewriter';

/**
 * One measured rewrite in a process of its own, so that its peak resident memory (VmHWM) is
 * the rewrite's alone: `rewrite-bench-child.ts <rewrite|jszip> <input> <output> <part>`.
 * Prints `{"ms":…,"peakMb":…}`. Both variants replace the same slide with the same text.
 */

const [mode, input, output, part] = process.argv.slice(2);
if (!input || !output || !part || (mode !== 'rewrite' && mode !== 'jszip')) {
  throw new Error('usage: rewrite-bench-child.ts <rewrite|jszip> <input> <output> <part>');
}

function withAltText(xml: string): string {
  return xml.replace(/(<p:cNvPr id="\d+" name="Picture \d+")/, '$1 descr="A benchmark picture"');
}

async function peakResidentMb(): Promise<number> {
  const status = await readFile('/proc/self/status', 'utf8');
  const kb = /^VmHWM:\s+(\d+) kB/m.exec(status)?.[1];
  if (kb === undefined) throw new Error('no VmHWM in /proc/self/status');
  return Number(kb) / 1024;
}

let ms: number;
if (mode === 'rewrite') {
  // Timed from the open, as the JSZip variant is timed from its load: the rewrite copies the entries the reader checked.
  const started = performance.now();
  const reader = await openPackage(input, DEFAULT_CONFIG.limits);
  try {
    const slide = withAltText(await reader.readText(part));
    await rewritePackage(reader, output, { replacements: new Map([[part, Buffer.from(slide, 'utf8')]]) });
  } finally {
    await reader.close();
  }
  ms = performance.now() - started;
} else {
  const started = performance.now();
  const zip = await JSZip.loadAsync(await readFile(input));
  const slide = withAltText((await zip.file(part)?.async('string')) ?? '');
  zip.file(part, slide);
  await writeFile(output, await zip.generateAsync({ type: 'nodebuffer', compression: 'DEFLATE' }));
  ms = performance.now() - started;
}
process.stdout.write(`${JSON.stringify({ ms, peakMb: await peakResidentMb() })}\n`);
