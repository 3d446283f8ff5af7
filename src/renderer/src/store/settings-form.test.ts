import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG } from '../../../shared/config-schema';
import { FIELD_HINTS, fieldOfBridgeError, formFromConfig, validateSettingsForm } from './settings-form';

describe('the settings form', () => {
  const form = formFromConfig(DEFAULT_CONFIG);

  it('shows the threshold as a percentage and saves it as a fraction', () => {
    expect(form.threshold_percent).toBe('50');
    const { patch } = validateSettingsForm({ ...form, threshold_percent: '12.5' });
    expect(patch?.batch_processing?.stop_on_error_threshold).toBe(0.125);
  });

  it('reads its bounds and hints off the config schema', () => {
    expect(FIELD_HINTS.char_limit).toBe('Target length of a description: a whole number from 40 to 1000 characters.');
    expect(FIELD_HINTS.workers).toBe('Decks processed at the same time: a whole number from 1 to 64.');
    expect(FIELD_HINTS.timeout_seconds).toBe('How long one deck may take before it is stopped: a number greater than 0, at most 86400 seconds.');
  });

  it('refuses every field that is not right, each with its own message', () => {
    const { patch, errors } = validateSettingsForm({ ...form, base_url: 'ftp://x', model_name: ' ', workers: '0', threshold_percent: '150', timeout_seconds: 'soon', char_limit: '12.5' });
    expect(patch).toBeNull();
    expect(Object.keys(errors).sort()).toEqual(['base_url', 'char_limit', 'model_name', 'threshold_percent', 'timeout_seconds', 'workers']);
    expect(errors.workers).toBe('Files at once must be a whole number from 1 to 64.');
    expect(errors.threshold_percent).toBe('The error threshold must be a number from 0 to 100.');
  });

  it('finds the field a refusal from main is about', () => {
    expect(fieldOfBridgeError({ code: 'ECONFIG', message: 'batch_processing.default_max_workers: too big' })).toBe('workers');
    expect(fieldOfBridgeError({ code: 'EIO', message: 'Disk full.' })).toBeNull();
  });
});
