import { describe, expect, it } from 'vitest';
import { explainStep, explainWaiting, localTime, runStateText, type StepFacts } from './explain';

// The run page's "Now" line and the timeline name the same instant with the same words: the day in
// the customer's zone, with its date, labelled with the zone.

const paris = 'Europe/Paris';
const sleeping = (until: string) => ({
  status: 'waiting',
  currentStep: 'wait',
  waitingFor: { kind: 'sleep', until },
});
const sleepStep = (enteredAt: string): StepFacts => ({
  stepId: 'wait',
  nodeId: 'wait',
  primitive: 'sleep',
  enteredAt: new Date(enteredAt),
  finishedAt: null,
  outcome: null,
  port: null,
  reasons: null,
  error: null,
});

describe('the day of a wait', () => {
  it('a wait ten days long: the Now line names its date, as the timeline does', () => {
    // Entered Tue Dec 8; wakes Fri Dec 18 — "until Fri 11:05" read as Friday Dec 11.
    const run = sleeping('2020-12-18T10:05:00Z');
    const now = explainWaiting(run, paris, { label: 'Wait 10 days', primitive: 'sleep' });
    expect(now?.text).toBe('Waiting at "Wait 10 days" until Fri, Dec 18, 11:05 (Europe/Paris)');
    const entry = explainStep(sleepStep('2020-12-08T10:05:00Z'), [], { timeZone: paris, run });
    expect(entry.title).toBe('Waiting until Fri, Dec 18, 11:05 (Europe/Paris)');
  });

  it("the day is the customer's, not UTC's: 23:30 UTC Thursday is 00:30 Friday in Paris", () => {
    const run = sleeping('2020-12-17T23:30:00Z');
    expect(explainWaiting(run, paris, { label: null, primitive: 'sleep' })?.text).toBe(
      'Waiting until Fri, Dec 18, 00:30 (Europe/Paris)',
    );
    expect(localTime(new Date('2020-12-17T23:30:00Z'), 'America/Los_Angeles')).toBe(
      'Thu, Dec 17, 15:30 (America/Los_Angeles)',
    );
  });

  it('a wait shorter than a week still names its date', () => {
    const run = sleeping('2020-12-10T07:00:00Z');
    expect(explainStep(sleepStep('2020-12-08T10:05:00Z'), [], { timeZone: paris, run }).title).toBe(
      'Waiting until Thu, Dec 10, 08:00 (Europe/Paris)',
    );
  });

  it('an unknown zone falls back to UTC, labelled as such', () => {
    expect(localTime(new Date('2020-12-18T10:05:00Z'), 'Mars/Olympus')).toBe('Fri, Dec 18, 10:05 (UTC)');
  });
});

describe('the exit a run ended at', () => {
  const ended = { status: 'completed', currentStep: 'reviewed', waitingFor: null, endReason: 'exit_node' };

  it("says the exit's label instead of a generic exit", () => {
    expect(runStateText(ended, paris, null, 'Reviewed')).toBe('Ended: Reviewed');
    const end: StepFacts = { ...sleepStep('2020-12-08T10:05:00Z'), primitive: 'end', outcome: 'exit_node' };
    expect(
      explainStep(end, [], { timeZone: paris, run: ended, plan: { type: 'end', exitLabel: 'Nudged' } }).title,
    ).toBe('Ended: Nudged');
  });

  it('without a label, or for other reasons, says what ended it', () => {
    expect(runStateText(ended, paris, null, null)).toBe('Reached the exit');
    expect(runStateText({ ...ended, endReason: 'goal_reached' }, paris, null, 'Reviewed')).toBe(
      'Goal reached — left the journey',
    );
  });
});
