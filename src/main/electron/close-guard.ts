import { assertNever } from '../../shared/assert-never';

/**
 * What closing the window during a batch asks, and what each answer does. Either way the batch
 * stays resumable: its manifest holds every finished file, and stopped files go back to pending.
 */

export type CloseChoice = 'keep-running' | 'stop-after-current' | 'stop-now';

const CHOICES: readonly { readonly choice: CloseChoice; readonly label: string }[] = [
  { choice: 'keep-running', label: 'Keep running' },
  { choice: 'stop-after-current', label: 'Finish the current files, then quit' },
  { choice: 'stop-now', label: 'Stop now and quit' },
];

export interface ClosePrompt {
  readonly type: 'question';
  readonly title: string;
  readonly message: string;
  readonly detail: string;
  readonly buttons: string[];
  readonly defaultId: number;
  readonly cancelId: number;
  readonly noLink: true;
}

export function closePrompt(remainingFiles: number): ClosePrompt {
  return {
    type: 'question',
    title: 'A batch is running',
    message: `A batch is still running (${remainingFiles === 1 ? '1 file' : `${remainingFiles} files`} to go). Quit AltGen?`,
    detail: 'Either way nothing is lost: the next time you open AltGen, the batch is offered for Resume.',
    buttons: CHOICES.map((c) => c.label),
    defaultId: 0,
    cancelId: 0,
    noLink: true,
  };
}

/** The answer to the dialog's button `index`; anything unexpected keeps the batch running. */
export function closeChoice(index: number): CloseChoice {
  return CHOICES[index]?.choice ?? 'keep-running';
}

/** The service's stop mode for a choice that quits; null for one that does not. */
export function stopModeFor(choice: CloseChoice): 'after-current' | 'quit' | null {
  switch (choice) {
    case 'keep-running':
      return null;
    case 'stop-after-current':
      return 'after-current';
    case 'stop-now':
      return 'quit';
    default:
      return assertNever(choice, 'close choice');
  }
}
