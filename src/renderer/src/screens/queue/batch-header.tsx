import { batchPhase } from '../../../../shared/batch-fold';
import { Icon, type IconName } from '../../components/icon';
import { useFocusTarget } from '../../components/use-focus-target';
import { useApp } from '../../store/store-context';
import { ActivePolicy } from '../settings/active-policy';
import { batchPhaseWords } from '../../text/status-text';
import { BatchClock } from './batch-clock';
import { BatchProgress } from './batch-progress';
import { BatchWarnings } from './batch-warnings';
import { ModelStatusLine } from './model-status-line';
import { NowLine } from './now-line';
import { PauseNotice } from './pause-notice';
import { PictureCounts } from './picture-counts';
import { StatusCounts } from './status-counts';
import { StopReason } from './stop-reason';

const PHASE_ICONS = { running: 'working', paused: 'pause', stopping: 'working', finished: 'check', stopped: 'pause' } as const satisfies Record<string, IconName>;

/**
 * The batch at a glance: its one state (running, paused and why, stopped and why), the file being
 * worked on, progress, elapsed time and estimate, and the model. The state heading is where the
 * focus goes after a start, stop, resume or "Try now": it says what the action did.
 */
export function BatchHeader() {
  const phase = useApp((s) => (s.batch ? batchPhase(s.batch) : null));
  const pause = useApp((s) => s.batch?.pause ?? null);
  const dryRun = useApp((s) => s.batch?.dry_run ?? false);
  const batchId = useApp((s) => s.batch?.batch_id);
  const outputDir = useApp((s) => s.batch?.output_dir);
  const workers = useApp((s) => s.batch?.max_workers);
  const connectionLost = useApp((s) => s.connectionLost);
  const headingRef = useFocusTarget<HTMLHeadingElement>('batch-state');
  if (!phase) return null;
  return (
    <section className="panel batch-header" aria-labelledby="batch-state-heading">
      <h3 id="batch-state-heading" data-testid="batch-state" className={`batch-state batch-state-${phase}`} tabIndex={-1} ref={headingRef}>
        <Icon name={PHASE_ICONS[phase]} />
        {batchPhaseWords(phase, dryRun, pause)}
        {connectionLost ? ' (last known state: the connection is lost)' : ''}
      </h3>
      <NowLine />
      <p className="meta">
        {dryRun ? 'Dry run (nothing is written)' : 'Batch'} <code>{batchId}</code> · Output folder <code>{outputDir}</code> ·{' '}
        {workers} {workers === 1 ? 'file' : 'files'} at a time
      </p>
      {dryRun ? null : <ActivePolicy />}
      <PauseNotice />
      <StopReason />
      <BatchProgress />
      <StatusCounts />
      <PictureCounts />
      <BatchClock />
      <ModelStatusLine />
      <BatchWarnings />
    </section>
  );
}
