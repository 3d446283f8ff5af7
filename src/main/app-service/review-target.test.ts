import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ManifestDocument } from '../../shared/batch-types';
import { reviewTarget } from './review';

const OUT = path.resolve('/lectures/Accessible');
const MANIFEST = path.join(OUT, 'batch_20261128_100000_abcdef01_manifest.json');

function manifestNaming(outputPath: string, reports?: string[]): ManifestDocument {
  return {
    batch_id: '20261128_100000_abcdef01',
    output_dir: OUT,
    metadata: { dry_run: false },
    queue: { items: [{ path: '/lectures/heart.pptx', status: 'complete', result: { output_path: outputPath, ...(reports ? { reports } : {}) } }] },
  } as unknown as ManifestDocument;
}

describe('reviewTarget', () => {
  it('takes the copy and report a manifest names inside its own folder', () => {
    const target = reviewTarget(manifestNaming(path.join(OUT, 'week 1', 'heart.pptx')), 0, MANIFEST);
    expect(target).toMatchObject({ outputPath: path.join(OUT, 'week 1', 'heart.pptx'), reportPath: path.join(OUT, 'week 1', 'heart.alt-text.json') });
  });

  it('refuses a crafted manifest that names a copy or a report anywhere else', () => {
    for (const [output, reports] of [
      [path.resolve('/etc/passwd.pptx'), undefined],
      [path.join(OUT, '..', 'heart.pptx'), undefined],
      [path.join(OUT, 'heart.pptx'), [path.resolve('/home/someone/.bashrc.alt-text.json')]],
      [path.join(`${OUT}2`, 'heart.pptx'), undefined],
    ] as const) {
      expect(() => reviewTarget(manifestNaming(output, reports ? [...reports] : undefined), 0, MANIFEST)).toThrow(/outside its output folder/);
    }
  });
});
