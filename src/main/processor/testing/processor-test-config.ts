import type { AltgenConfig } from '../../../shared/config-schema';
import { DEFAULT_CONFIG } from '../../../shared/config-schema';

/** The processor's config for tests: the default, pointed at a test model server, no retries. */
export function processorTestConfig(
  baseUrl: string,
  altText: Partial<AltgenConfig['alt_text']> = {},
  model: Partial<AltgenConfig['model']> = {},
): AltgenConfig {
  return {
    ...DEFAULT_CONFIG,
    model: { ...DEFAULT_CONFIG.model, base_url: baseUrl, max_retries: 0, timeout_seconds: 10, ...model },
    alt_text: { ...DEFAULT_CONFIG.alt_text, ...altText },
  };
}
