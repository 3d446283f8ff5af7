import { Icon, type IconName } from '../../components/icon';
import { useApp } from '../../store/store-context';
import { ActivePolicy } from '../settings/active-policy';
import type { DryRunVerdict } from '../../text/dry-run-verdict';
import { dryRunVerdict } from '../../text/dry-run-verdict';

const TONE_ICONS: Readonly<Record<DryRunVerdict['tone'], IconName>> = { ready: 'check', attention: 'warning', blocked: 'cross', checking: 'working' };

/** The dry run's verdict on the batch: decks, pictures, pictures needing alt text, how long the run will take, the model server. */
export function DryRunSummary() {
  const dryRun = useApp((state) => state.batch?.dry_run ?? false);
  const counts = useApp((state) => state.batch?.counts);
  const totals = useApp((state) => state.batch?.totals ?? null);
  const workers = useApp((state) => state.batch?.max_workers ?? 1);
  const finished = useApp((state) => state.batch?.state === 'finished' || state.batch?.state === 'stopped');
  const model = useApp((state) => state.modelStatus);
  if (!dryRun || !counts) return null;
  const verdict = dryRunVerdict(counts, totals, finished, model, workers);
  return (
    <section className={`panel verdict verdict-${verdict.tone}`} aria-labelledby="dry-run-verdict" data-testid="dry-run-verdict">
      <h3 id="dry-run-verdict">
        <Icon name={TONE_ICONS[verdict.tone]} />
        {verdict.headline}
      </h3>
      <ul>
        {verdict.details.map((detail) => (
          <li key={detail}>{detail}</li>
        ))}
      </ul>
      <ActivePolicy />
    </section>
  );
}
