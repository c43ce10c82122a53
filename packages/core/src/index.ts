export * from "./actor.js";
export * from "./config.js";
export * from "./dynamo.js";
export * from "./errors.js";
export { Host } from "./host/index.js";
export * from "./ids.js";
export * from "./table.js";
export * from "./user-pool.js";
export * from "./validation.js";
