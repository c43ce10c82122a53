/** Progress goes to stderr, so stdout carries only the report (text or JSON). */
export const log = (message: string) => console.error(`[bench] ${message}`);
