/**
 * Wire shapes shared by the API and its clients (the dashboard imports this module; it
 * loads nothing else, so no SDK code reaches the browser bundle).
 */

/**
 * A page of a list: pass `nextCursor` back as `cursor`; null at the end. `truncated` is
 * present (true) only when the read budget cut the page short; follow `nextCursor`.
 */
export interface Page<T> {
  items: T[];
  nextCursor: string | null;
  truncated?: true;
}
