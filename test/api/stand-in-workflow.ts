import { condition, defineSignal, setHandler } from '@temporalio/workflow';

// Stand-in for the real interpreter: proves the API started (and signalled) a run.
export async function journeyRun(input: {
  customerId: string;
}): Promise<{ customerId: string; events: string[] }> {
  const events: string[] = [];
  let stop = false;
  setHandler(defineSignal<[{ id: string }]>('event'), (e) => {
    events.push(e.id);
  });
  setHandler(defineSignal('journeyStatus'), () => {});
  setHandler(defineSignal('cancel'), () => {
    stop = true;
  });
  await condition(() => stop, '10 minutes');
  return { customerId: input.customerId, events };
}
