import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { deepestCommonFolder, isInsideFolder } from './folder-paths';

describe('isInsideFolder', () => {
  const root = path.resolve('/lectures');
  it.each([
    [root, true],
    [path.join(root, 'week 1', 'heart.pptx'), true],
    // A name that merely starts with two dots is inside, not above.
    [path.join(root, '..notes', 'heart.pptx'), true],
    [path.join(root, '..'), false],
    [path.join(root, '..', 'other', 'heart.pptx'), false],
    [path.resolve('/lectures-old/heart.pptx'), false],
  ])('%s inside /lectures: %s', (candidate, inside) => {
    expect(isInsideFolder(candidate, root)).toBe(inside);
  });

  it('compares Windows paths by their own rules, folding case when asked', () => {
    expect(isInsideFolder('C:\\Lectures\\Week 1\\heart.pptx', 'c:\\lectures', 'win32', true)).toBe(true);
    expect(isInsideFolder('C:\\Lectures2\\heart.pptx', 'C:\\Lectures', 'win32')).toBe(false);
  });
});

describe('deepestCommonFolder', () => {
  it('finds the deepest folder holding every one, a folder named ..notes included', () => {
    const root = path.resolve('/lectures');
    expect(deepestCommonFolder([path.join(root, '..notes'), path.join(root, 'week 1')])).toBe(root);
    expect(deepestCommonFolder([root, path.join(root, '..notes', 'heart.pptx')])).toBe(root);
    expect(deepestCommonFolder([path.join(root, '..notes', 'a'), path.join(root, '..notes', 'b')])).toBe(path.join(root, '..notes'));
    expect(deepestCommonFolder([])).toBeNull();
  });
});
