import type { BridgeError } from '../../../shared/ipc-contract';
import { Icon } from './icon';

/** Main's refusal in its own words, announced at once. */
export function ErrorMessage({ error, id }: { readonly error: BridgeError | null; readonly id?: string }) {
  if (!error) return null;
  return (
    <p className="message message-error" role="alert" id={id}>
      <Icon name="cross" />
      {error.message}
    </p>
  );
}
