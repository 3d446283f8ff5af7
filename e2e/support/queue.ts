import type { Page } from '@playwright/test';

/** Locators for the current batch's screen, the same in the browser and in Electron. */

/** The queue row of a deck (the grid's row whose header cell names it). */
export function row(page: Page, name: string) {
  return page.getByRole('row').filter({ has: page.getByRole('rowheader', { name, exact: true }) });
}

/** The header's count of one status ("Complete", "Failed", "Skipped"…). */
export function countOf(page: Page, status: string) {
  return page.getByRole('list', { name: 'Files by status' }).getByRole('listitem').filter({ hasText: status });
}
