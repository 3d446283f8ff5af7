import { Icon } from '../../components/icon';
import { useApp } from '../../store/store-context';
import { POLICY_SUMMARY } from '../../text/settings-text';

/**
 * The alt text policy in force, said where a batch is started, checked and watched (the new
 * batch's buttons, the dry run's verdict, the batch header), so nobody replaces alt text that
 * people wrote without seeing it said. Nothing until the settings are loaded.
 */
export function ActivePolicy() {
  const policy = useApp((state) => state.settings?.config.alt_text.policy ?? null);
  const showView = useApp((state) => state.showView);
  if (policy === null) return null;
  const replaces = policy === 'overwrite';
  return (
    <p className={`active-policy${replaces ? ' active-policy-replaces' : ''}`} data-testid="active-policy">
      {replaces ? <Icon name="warning" /> : <Icon name="info" />} <span className="label">Alt text policy:</span> {POLICY_SUMMARY[policy]}{' '}
      <button type="button" className="link-button" onClick={() => showView('settings')}>
        Change in Settings
      </button>
    </p>
  );
}
