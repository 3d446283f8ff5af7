import path from 'node:path';
import type { AltTextReport, ReportPicture } from '../../shared/alt-text-report';
import type { AuditFinding, DeckAudit } from '../../shared/accessibility-audit';

/**
 * `<deck>.alt-review.html`: a page a faculty member can read without the app — what needs
 * their review first, then every picture with its thumbnail, the alt text before and after,
 * and why. Self-contained (inline CSS, thumbnails as data URLs), no scripts.
 */

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c);
}

const DECISION_LABEL: Record<ReportPicture['decision'], string> = {
  described: 'Described',
  drafted: 'Offline draft (check it)',
  preserved: 'Kept (existing alt text)',
  decorative: 'Decorative (unchanged)',
  'marked-decorative': 'Marked decorative',
  'needs-review': 'Needs review',
  skipped: 'Skipped',
  edited: 'Edited by a person',
};

/** Older reports have no kind: they held pictures only. */
const KIND_LABEL: Readonly<Record<string, string>> = { shape: 'shape filled with a picture', media: 'video or sound', chart: 'chart', smartart: 'SmartArt', table: 'table' };

function longDescription(picture: ReportPicture): string {
  if (!picture.long_description) return '';
  return `<details><summary>Long description (in the speaker notes)</summary><p>${escapeHtml(picture.long_description)}</p></details>`;
}

function altCell(text: string | null): string {
  return text ? escapeHtml(text) : '<span class="none">(none)</span>';
}

function row(picture: ReportPicture): string {
  const thumb = picture.thumbnail?.startsWith('data:image/')
    ? `<img src="${escapeHtml(picture.thumbnail)}" alt="" width="96">`
    : '<span class="none">no preview</span>';
  const flags = [
    picture.needs_review ? '<strong class="flag">Needs review</strong>' : '',
    picture.draft ? '<strong class="flag">Draft</strong>' : '',
    picture.suggested_decorative ? `<span class="hint">Possibly decorative: ${escapeHtml(picture.suggested_decorative)}</span>` : '',
  ]
    .filter(Boolean)
    .join(' ');
  return `<tr>
  <td>${picture.slide || 'layout'}</td>
  <td>${thumb}</td>
  <td>${escapeHtml(picture.shape_name)}${KIND_LABEL[picture.kind] ? ` <span class="hint">(${KIND_LABEL[picture.kind]})</span>` : ''}<br><span class="id">id ${escapeHtml(picture.shape_id)}</span></td>
  <td>${altCell(picture.before)}</td>
  <td>${altCell(picture.after)}${longDescription(picture)}</td>
  <td>${escapeHtml(DECISION_LABEL[picture.decision])} ${flags}<br><span class="reason">${escapeHtml(picture.reason)}</span></td>
</tr>`;
}

function table(caption: string, pictures: readonly ReportPicture[]): string {
  return `<table>
<caption>${escapeHtml(caption)}</caption>
<thead><tr><th scope="col">Slide</th><th scope="col">Picture</th><th scope="col">Shape</th><th scope="col">Alt text before</th><th scope="col">Alt text after</th><th scope="col">Decision</th></tr></thead>
<tbody>
${pictures.map(row).join('\n')}
</tbody>
</table>`;
}

const SEVERITY_LABEL: Readonly<Record<AuditFinding['severity'], string>> = { error: 'Error', warning: 'Warning', tip: 'Tip' };

/** The accessibility audit (audit/audit-deck.ts): every finding, what was fixed in the copy and what is left for a person. */
function accessibilitySection(audit: DeckAudit): string {
  const left = audit.findings.filter((f) => !f.fixed);
  const fixed = audit.findings.length - left.length;
  const rows = audit.findings
    .map(
      (f) => `<tr>
  <td>${f.slide ?? 'deck'}</td>
  <td>${escapeHtml(SEVERITY_LABEL[f.severity])}</td>
  <td>${f.shape_name !== null ? escapeHtml(f.shape_name) : ''}</td>
  <td>${escapeHtml(f.message)}${f.suggestion ? `<br><span class="hint">${escapeHtml(f.suggestion.text)}</span>` : ''}</td>
  <td>${f.fixed ? 'Fixed in the copy' : escapeHtml(f.advice)}</td>
</tr>`,
    )
    .join('\n');
  return `<h2>Accessibility</h2>
<p>${audit.findings.length === 0 ? 'The accessibility check found nothing to fix.' : `${audit.findings.length} findings: ${fixed} fixed in the copy, ${left.length} left for a person.`}</p>
${
  audit.findings.length === 0
    ? ''
    : `<table>
<caption>What the accessibility check found</caption>
<thead><tr><th scope="col">Slide</th><th scope="col">Kind</th><th scope="col">Shape</th><th scope="col">Finding</th><th scope="col">What to do</th></tr></thead>
<tbody>
${rows}
</tbody>
</table>`
}`;
}

export function renderReviewHtml(report: AltTextReport): string {
  const name = path.basename(report.deck);
  const review = report.pictures.filter((p) => p.needs_review || p.draft);
  const c = report.counts;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Alt text review: ${escapeHtml(name)}</title>
<style>
body { font-family: system-ui, sans-serif; line-height: 1.45; margin: 2rem; color: #1b1b1b; overflow-wrap: anywhere; }
/* Fixed layout: a long path or web address wraps inside its column instead of widening the table past the window. */
table { border-collapse: collapse; width: 100%; margin: 1rem 0 2rem; table-layout: fixed; }
caption { text-align: left; font-weight: 600; font-size: 1.1rem; padding: .5rem 0; }
th, td { border: 1px solid #8a8a8a; padding: .5rem; vertical-align: top; text-align: left; overflow-wrap: anywhere; }
th:nth-child(1) { width: 4.5rem; }
th:nth-child(2) { width: calc(96px + 1rem + 2px); }
th { background: #ececec; }
img { max-width: 96px; height: auto; border: 1px solid #8a8a8a; }
.none, .id, .reason { color: #4a4a4a; }
.flag { color: #8b0000; }
.hint { color: #5a3d00; }
</style>
</head>
<body>
<main>
<h1>Alt text review: ${escapeHtml(name)}</h1>
<p>Accessible copy: <code>${escapeHtml(report.output)}</code>. Model: ${escapeHtml(report.model ?? 'none')}. Written ${escapeHtml(report.generated_at)}.</p>
<p>${c.pictures} pictures: ${c.described} described, ${c.drafted ? `${c.drafted} offline drafts to check, ` : ''}${c.preserved} kept, ${c.decorative} decorative, ${c.skipped} skipped, ${c.needs_review} need review.</p>
${report.warnings.length ? `<h2>Warnings</h2><ul>${report.warnings.map((w) => `<li>${escapeHtml(w)}</li>`).join('')}</ul>` : ''}
<h2>Needs your review</h2>
${review.length ? table('Pictures whose alt text needs a person to check or write it', review) : '<p>Nothing needs review.</p>'}
<h2>All pictures</h2>
${table('Every picture in the deck', report.pictures)}
${report.accessibility ? accessibilitySection(report.accessibility) : ''}
</main>
</body>
</html>
`;
}
