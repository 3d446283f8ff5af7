import { useApp } from '../../store/store-context';

/** Warnings the batch reported (disk space, folders that could not be listed, the model check). */
export function BatchWarnings() {
  const warnings = useApp((state) => state.batch?.warnings);
  if (!warnings || warnings.length === 0) return null;
  return (
    <div className="message message-warning">
      <p>
        <strong>
          <span aria-hidden="true">⚠️ </span>Warnings
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
