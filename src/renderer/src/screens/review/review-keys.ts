import type { KeyboardEvent } from 'react';
import type { SlideDecision } from '../../../../shared/review-types';

/**
 * The review's keyboard shortcuts, one table for the key handler and for the list shown on
 * screen. Single keys act only while the focus is on the picture being reviewed or on the list
 * of pictures, never while typing in a text field (WCAG 2.1.4: character key shortcuts are
 * active only on focus), so they never swallow what someone types.
 */
export type ReviewCommand =
  | 'next'
  | 'previous'
  | 'next-needs-review'
  | 'accept'
  | 'edit'
  | 'edit-long'
  | 'decorative'
  | 'regenerate'
  | 'revert-original'
  | 'revert-generated'
  | 'enlarge';

export interface ReviewShortcut {
  readonly command: ReviewCommand;
  /** Keys as `KeyboardEvent.key`, lower case. */
  readonly keys: readonly string[];
  /** As shown on screen. */
  readonly label: string;
  readonly does: string;
}

export const REVIEW_SHORTCUTS: readonly ReviewShortcut[] = [
  { command: 'next', keys: ['n', 'j'], label: 'N', does: 'Next picture' },
  { command: 'previous', keys: ['p', 'k'], label: 'P', does: 'Previous picture' },
  { command: 'next-needs-review', keys: ['u'], label: 'U', does: 'Next picture that needs review' },
  { command: 'accept', keys: ['a'], label: 'A', does: 'Accept: the text is right' },
  { command: 'edit', keys: ['e'], label: 'E', does: 'Edit the alt text (Ctrl+Enter saves, Escape cancels)' },
  { command: 'edit-long', keys: ['l'], label: 'L', does: 'Edit the long description' },
  { command: 'decorative', keys: ['d'], label: 'D', does: 'Mark as decorative, or not' },
  { command: 'regenerate', keys: ['g'], label: 'G', does: 'Regenerate, with a hint for the model (Enter asks)' },
  { command: 'revert-original', keys: ['o'], label: 'O', does: 'Revert to the text before AltGen' },
  { command: 'revert-generated', keys: ['r'], label: 'R', does: "Revert to AltGen's text" },
  { command: 'enlarge', keys: ['z'], label: 'Z', does: 'Enlarge the picture (Escape closes)' },
];

/** The keys of a slide item (the `slides` filter): moving, and the decisions it offers. */
export type SlideCommand = 'next' | 'previous' | 'next-to-decide' | SlideDecision;

export interface SlideShortcut {
  readonly command: SlideCommand;
  readonly keys: readonly string[];
  readonly label: string;
  readonly does: string;
}

export const SLIDE_SHORTCUTS: readonly SlideShortcut[] = [
  { command: 'next', keys: ['n', 'j'], label: 'N', does: 'Next slide item' },
  { command: 'previous', keys: ['p', 'k'], label: 'P', does: 'Previous slide item' },
  { command: 'next-to-decide', keys: ['u'], label: 'U', does: 'Next slide item still to decide' },
  { command: 'accept', keys: ['a'], label: 'A', does: 'Accept the suggestion (Apply writes it into the copy)' },
  { command: 'leave', keys: ['l'], label: 'L', does: 'Leave the slide as it is' },
  { command: 'checked', keys: ['c'], label: 'C', does: 'Checked: the contrast is fine' },
  { command: 'to-fix', keys: ['f'], label: 'F', does: 'To fix in PowerPoint by hand' },
];

/** The key of each decision, as its button shows it. */
export const SLIDE_DECISION_KEYS: Readonly<Record<SlideDecision, string>> = { accept: 'A', leave: 'L', checked: 'C', 'to-fix': 'F' };

const BY_KEY = new Map(REVIEW_SHORTCUTS.flatMap((shortcut) => shortcut.keys.map((key) => [key, shortcut.command] as const)));
const SLIDE_BY_KEY = new Map(SLIDE_SHORTCUTS.flatMap((shortcut) => shortcut.keys.map((key) => [key, shortcut.command] as const)));

/** The key a shortcut may use: none while typing or with a modifier key. */
function shortcutKey(event: KeyboardEvent<HTMLElement>): string | null {
  if (event.ctrlKey || event.metaKey || event.altKey) return null;
  const target = event.target as HTMLElement;
  if (target.closest('input, textarea, select, [contenteditable="true"]')) return null;
  return event.key.toLowerCase();
}

/** The command a key press asks for, or null (typing, modifier keys, keys with no command). */
export function commandFor(event: KeyboardEvent<HTMLElement>): ReviewCommand | null {
  const key = shortcutKey(event);
  return key === null ? null : (BY_KEY.get(key) ?? null);
}

/** The slide item's command a key press asks for, or null. */
export function slideCommandFor(event: KeyboardEvent<HTMLElement>): SlideCommand | null {
  const key = shortcutKey(event);
  return key === null ? null : (SLIDE_BY_KEY.get(key) ?? null);
}
