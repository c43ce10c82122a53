/**
 * Demo data for local and personal stages (`localstays seed`, `pnpm start`). Not exported
 * from core's index: handlers never need it, and faker would only weigh down their bundles.
 */
export { CITIES, type City } from "./cities.js";
export * from "./generate.js";
export * from "./seed.js";
