// The full drizzle schema: tables, relations-free (queries join explicitly), and the value lists.
export * from './access';
export * from './customers';
export * from './decisions';
export * from './engagement';
export * from './events';
export * from './journeys';
export * from './messages';
export * from './products';
export * from './runs';
export * from './stats';
export * from './stores';
export * from './types';
