/** Dependencies every activity may need, passed in by the worker. */
export type ActivityDeps = Record<string, never>;

/** Builds the activity implementations from their dependencies. */
export function createActivities(_deps: ActivityDeps) {
  return {};
}

/** The activity surface, imported by workflows as a type only. */
export type Activities = ReturnType<typeof createActivities>;
