import type { BridgeError } from '../../../../shared/ipc-contract';
import { Icon } from '../../components/icon';

/** A refusal said at its field, in main's own sentence; the field names it in aria-describedby. */
export function FieldErrorText({ error, id }: { readonly error: BridgeError | null; readonly id: string }) {
  if (!error) return null;
  return (
    <p className="field-error" id={id} role="alert">
      <Icon name="cross" /> {error.message}
    </p>
  );
}
