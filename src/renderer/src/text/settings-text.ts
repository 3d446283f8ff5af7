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
  overwrite: 'Describe every picture that is not decorative, replacing alt text people wrote',
  'missing-only': 'Describe only pictures with no alt text at all',
};

/** The policy in force, in a few words, where a batch is started and watched. */
export const POLICY_SUMMARY: Readonly<Record<Policy, string>> = {
  preserve: 'keeps the alt text people wrote; describes pictures without it, or with weak alt text (a file name, “Picture 3”).',
  overwrite: 'replaces all alt text, also what people wrote (decorative pictures excepted).',
  'missing-only': 'describes only pictures with no alt text at all; keeps every existing one, weak ones too.',
};

type LongDescriptions = AltgenConfig['alt_text']['long_descriptions'];

export const LONG_DESCRIPTION_WORDS: Readonly<Record<LongDescriptions, string>> = {
  off: 'Alt text only',
  notes: 'Also write a longer description of charts and diagrams into the speaker notes',
};

export const DECORATIVE_WORDS: Readonly<Record<Decorative, string>> = {
  suggest: 'List likely decorative pictures in the report, and describe them',
  apply: 'Mark likely decorative pictures as decorative, without a description',
};
