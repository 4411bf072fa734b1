import { MAX_OUTPUT_BYTES } from '@hourglass/journey';
import { ActionError } from '@hourglass/nodes';
import { describe, expect, it } from 'vitest';
import { checkedOutput } from './outputs';

// What an action's step may record and hand on: the node's declared shape, within the size cap.

const discount = {
  code: 'THANKS-ABCDEFGH',
  percentOff: 15,
  amountOff: null,
  currency: null,
  expiresAt: null,
};

describe('checked step outputs', () => {
  it('keeps a declared output that fits its schema, and nothing for actions without one', () => {
    expect(checkedOutput('discount.create', { status: 'ok', output: discount })).toEqual(discount);
    expect(checkedOutput('email.send', { status: 'ok', output: { messageId: 'm1' } })).toBeNull();
  });

  it('fails for good on an output that breaks the schema, naming the field', () => {
    const err = (() => {
      try {
        checkedOutput('discount.create', { status: 'ok', output: { ...discount, code: 42 } });
      } catch (e) {
        return e;
      }
    })();
    expect(err).toBeInstanceOf(ActionError);
    expect(err).toMatchObject({
      code: 'output.invalid',
      retryable: false,
      message: expect.stringContaining('"code"'),
    });
  });

  it('fails for good on an output over the cap', () => {
    const big = { httpStatus: 200, blob: 'x'.repeat(MAX_OUTPUT_BYTES) };
    expect(() => checkedOutput('webhook.post', { status: 'ok', output: big })).toThrow(
      expect.objectContaining({ code: 'output.too_large', retryable: false }),
    );
    expect(checkedOutput('webhook.post', { status: 'ok', output: { httpStatus: 204 } })).toEqual({
      httpStatus: 204,
    });
  });
});
