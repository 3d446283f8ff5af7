import { promises as fs } from 'node:fs';
import path from 'node:path';
import { writeFileAtomic } from '../files/write-file-atomic';

/**
 * The main window's size and position, remembered in the user data folder
 * (`window-state.json`). A remembered position is used only while it is still mostly on a
 * screen (monitors come and go); otherwise the window opens at its default size, centred.
 */

export interface Rectangle {
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
}

export interface WindowState {
  readonly bounds: Rectangle;
  readonly maximized: boolean;
}

const MIN_VISIBLE_FRACTION = 0.5;

function isRectangle(value: unknown): value is Rectangle {
  const r = value as Partial<Rectangle> | null;
  return (
    typeof r === 'object' &&
    r !== null &&
    [r.x, r.y, r.width, r.height].every((n) => typeof n === 'number' && Number.isFinite(n)) &&
    (r.width ?? 0) > 0 &&
    (r.height ?? 0) > 0
  );
}

function overlapArea(a: Rectangle, b: Rectangle): number {
  const width = Math.min(a.x + a.width, b.x + b.width) - Math.max(a.x, b.x);
  const height = Math.min(a.y + a.height, b.y + b.height) - Math.max(a.y, b.y);
  return width > 0 && height > 0 ? width * height : 0;
}

/**
 * The remembered state if at least half of the window lies on the screens' work areas,
 * clamped to the minimum size; null (use the defaults) otherwise.
 */
export function restorableState(saved: unknown, workAreas: readonly Rectangle[], minimum: { width: number; height: number }): WindowState | null {
  const state = saved as Partial<WindowState> | null;
  if (typeof state !== 'object' || state === null || !isRectangle(state.bounds)) return null;
  const bounds: Rectangle = {
    ...state.bounds,
    width: Math.max(minimum.width, Math.round(state.bounds.width)),
    height: Math.max(minimum.height, Math.round(state.bounds.height)),
  };
  const visible = workAreas.reduce((sum, area) => sum + overlapArea(bounds, area), 0);
  if (visible < bounds.width * bounds.height * MIN_VISIBLE_FRACTION) return null;
  return { bounds, maximized: state.maximized === true };
}

export async function readWindowState(file: string): Promise<unknown> {
  try {
    return JSON.parse(await fs.readFile(file, 'utf8')) as unknown;
  } catch {
    return null;
  }
}

export async function writeWindowState(file: string, state: WindowState): Promise<void> {
  await fs.mkdir(path.dirname(file), { recursive: true });
  await writeFileAtomic(file, JSON.stringify(state));
}
