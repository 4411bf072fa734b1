// Plain-words explanations of runs for support staff (pure; see explain-format.ts for the helpers).
export * from './explain-act';
export * from './explain-attempts';
export * from './explain-format';
export * from './explain-steps';
