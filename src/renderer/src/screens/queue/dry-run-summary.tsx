import { useApp } from '../../store/store-context';
import { dryRunVerdict } from '../../text/dry-run-verdict';

/** The dry run's verdict on the batch: decks, pictures, pictures needing alt text, model server. */
export function DryRunSummary() {
  const dryRun = useApp((state) => state.batch?.dry_run ?? false);
  const counts = useApp((state) => state.batch?.counts);
  const totals = useApp((state) => state.batch?.totals ?? null);
  const finished = useApp((state) => state.batch?.state === 'finished' || state.batch?.state === 'stopped');
  const model = useApp((state) => state.modelStatus);
  if (!dryRun || !counts) return null;
  const verdict = dryRunVerdict(counts, totals, finished, model);
  return (
    <section className={`panel verdict verdict-${verdict.tone}`} aria-labelledby="dry-run-verdict" data-testid="dry-run-verdict">
      <h3 id="dry-run-verdict">{verdict.headline}</h3>
      <ul>
        {verdict.details.map((detail) => (
          <li key={detail}>{detail}</li>
        ))}
      </ul>
    </section>
  );
}
