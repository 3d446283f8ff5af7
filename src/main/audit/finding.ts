import { AUDIT_SEVERITY, type AuditCheck, type AuditFinding, type AuditFix, type AuditSuggestion } from '../../shared/accessibility-audit';
import type { SlideFacts } from './slide-facts';
import type { SlideShape } from './slide-shapes';

/** What a check says about one slide, shape or deck; the rest of the finding is filled in here. */
export interface FindingText {
  readonly message: string;
  readonly advice: string;
  readonly count?: number;
  readonly fix?: AuditFix | null;
  readonly suggestion?: AuditSuggestion | null;
}

export function finding(check: AuditCheck, slide: SlideFacts | null, shape: SlideShape | null, text: FindingText): AuditFinding {
  return {
    check,
    severity: AUDIT_SEVERITY[check],
    slide: slide?.number ?? null,
    part: slide?.part ?? null,
    shape_id: shape?.id ?? null,
    shape_name: shape?.name ?? null,
    count: text.count ?? 1,
    message: text.message,
    advice: text.advice,
    fix: text.fix ?? null,
    fixed: false,
    suggestion: text.suggestion ?? null,
  };
}

/** Text quoted in a finding, on one line and at most `limit` characters. */
export function quoted(text: string, limit = 60): string {
  const line = text.replace(/\s+/g, ' ').trim();
  return `'${line.length > limit ? `${line.slice(0, limit - 1).trimEnd()}…` : line}'`;
}

export function plural(count: number, one: string, many: string): string {
  return `${count} ${count === 1 ? one : many}`;
}
