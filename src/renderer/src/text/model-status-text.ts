import { assertNever } from '../../../shared/assert-never';
import type { ModelStatus } from '../../../shared/ipc-contract';
import type { IconName } from '../components/icon';

/** The model server's state in words, with an icon beside them. */
export function modelStateLabel(state: ModelStatus['state']): { readonly icon: IconName | null; readonly words: string } {
  switch (state) {
    case 'ok':
      return { icon: 'check', words: 'Reachable' };
    case 'unreachable':
      return { icon: 'cross', words: 'Not reachable' };
    case 'model-missing':
      return { icon: 'cross', words: 'Model not installed' };
    case 'bad-answer':
      return { icon: 'cross', words: 'Unexpected answer' };
    case 'unknown':
      return { icon: null, words: 'Not checked yet' };
    default:
      return assertNever(state, 'model state');
  }
}
