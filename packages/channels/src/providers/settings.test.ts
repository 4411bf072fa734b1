import { describe, expect, it } from 'vitest';
import { secretHint } from './settings';

describe('secretHint', () => {
  it('says whether a secret is set and shows only the last four characters of a long one', () => {
    expect(secretHint(undefined)).toEqual({ set: false, hint: null });
    expect(secretHint('')).toEqual({ set: false, hint: null });
    expect(secretHint('re_live_0123456789abcd')).toEqual({ set: true, hint: '••••abcd' });
  });

  it('shows nothing of a short secret, where four characters would be a third of it', () => {
    expect(secretHint('short-12345')).toEqual({ set: true, hint: null });
  });
});
