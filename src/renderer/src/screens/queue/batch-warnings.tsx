import { Icon } from '../../components/icon';
import { useApp, useAppShallow } from '../../store/store-context';

/**
 * Warnings the batch reported (disk space, folders that could not be listed). The dry run's
 * warning about the model server is left out: the verdict says it, once.
 */
export function BatchWarnings() {
  const modelMessage = useApp((state) => (state.modelStatus?.state !== 'ok' ? (state.modelStatus?.message ?? null) : null));
  const warnings = useAppShallow((state) => (state.batch?.warnings ?? []).filter((warning) => !(state.batch?.dry_run && modelMessage && warning.startsWith(modelMessage))));
  if (warnings.length === 0) return null;
  return (
    <div className="message message-warning">
      <p>
        <strong>
          <Icon name="warning" />
          Warnings
        </strong>
      </p>
      <ul>
        {warnings.map((warning) => (
          <li key={warning}>{warning}</li>
        ))}
      </ul>
    </div>
  );
}
