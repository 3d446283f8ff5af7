import { assertNever } from '../../../shared/assert-never';
import type { ModelStatus } from '../../../shared/ipc-contract';

/** The model server's state in words, with an emoji beside them. */
export function modelStateLabel(state: ModelStatus['state']): string {
  switch (state) {
    case 'ok':
      return '✅ Reachable';
    case 'unreachable':
      return '❌ Not reachable';
    case 'model-missing':
      return '❌ Model not installed';
    case 'bad-answer':
      return '❌ Unexpected answer';
    case 'unknown':
      return 'Not checked yet';
    default:
      return assertNever(state, 'model state');
  }
}
