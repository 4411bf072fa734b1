import { type Customer, type Event, eventSubject, eventSubjects, type Order } from '@hourglass/db';
import type { EventSubject, Subjects } from '@hourglass/journey';

// Routing reads the subject model of packages/db (subjects.ts), the same view branches, sends and
// previews read, so a trigger filter and a branch agree on every field.

/** An event as rules and runs see it. */
export const eventContext = (e: Event): EventSubject => eventSubject(e);

/** `{customer, order, trigger, event}` for evaluateRule. */
export const ruleContext = (customer: Customer, order: Order | null, event: Event): Subjects =>
  eventSubjects(customer, order, event);
