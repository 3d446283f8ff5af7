import type { AltgenConfig } from '../../../shared/config-schema';

type Policy = AltgenConfig['alt_text']['policy'];
type Decorative = AltgenConfig['alt_text']['decorative'];
type Provider = AltgenConfig['model']['provider'];

export const PROVIDER_WORDS: Readonly<Record<Provider, string>> = {
  ollama: 'Ollama',
  openai: 'OpenAI-compatible server',
  offline: 'No model: drafts from the text in pictures, for review',
};

export const POLICY_WORDS: Readonly<Record<Policy, string>> = {
  preserve: 'Keep good existing alt text; describe missing and weak ones',
  overwrite: 'Describe every picture that is not decorative',
  'missing-only': 'Describe only pictures with no alt text at all',
};

export const DECORATIVE_WORDS: Readonly<Record<Decorative, string>> = {
  suggest: 'List likely decorative pictures in the report, and describe them',
  apply: 'Mark likely decorative pictures as decorative, without a description',
};
