/**
 * The name of an environment variable, as `api_key_env` names the one holding a server's key.
 * Settings ask for the name, never the key: a key pasted in (`sk-…`) does not match.
 */
export const ENV_VAR_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
export const MAX_ENV_VAR_NAME_CHARS = 200;
