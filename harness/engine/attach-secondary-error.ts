/**
 * After a failure, cleanup may fail too. The first error is what the user must
 * see; the cleanup error is kept on it as `cause` (joined with an existing
 * cause in an AggregateError) so `--debug` shows both and neither is lost.
 */
export function attachSecondaryError(primary: unknown, secondary: unknown): void {
  if (!(primary instanceof Error)) return;
  const cause = primary.cause === undefined ? secondary : new AggregateError([primary.cause, secondary], 'the error and a later cleanup failure');
  Object.defineProperty(primary, 'cause', { value: cause, configurable: true, writable: true, enumerable: false });
}
