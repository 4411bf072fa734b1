// @hourglass/journey — the journey model: graph, node-type SDK, plan IR, rules, compiler. Pure code only.
export * from './compile';
export type { CompiledNode } from './compile-node';
export * from './define-node';
export * from './diagnostics';
export * from './evaluate';
export * from './field-catalog';
export * from './graph';
export * from './hash';
export * from './io';
export * from './json';
export * from './plan';
export * from './random';
export * from './rule';
export * from './rule-check';
export * from './rule-fields';
export * from './subjects';
export * from './triggers';
export { type LocalTime, localTime, safeZone, zonedInstant } from './zone';
