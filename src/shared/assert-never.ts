/** Compile-time exhaustiveness check for closed unions; throws if reached at run time. */
export function assertNever(value: never, what = 'value'): never {
  throw new Error(`Unexpected ${what}: ${JSON.stringify(value)}`);
}
