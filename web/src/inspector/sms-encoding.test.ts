import { describe, expect, it } from 'vitest';
import { smsEncoding } from './sms-encoding';

describe('smsEncoding', () => {
  it('keeps GSM-7 for the GSM alphabet and its extension table', () => {
    expect(smsEncoding('Hi Ana, 20% off: {CODE} €5 [today]')).toEqual({ encoding: 'GSM-7', nonGsm: [] });
  });

  it('switches to UCS-2 and names the characters that forced it', () => {
    expect(smsEncoding('It’s here 🎉 it’s')).toEqual({ encoding: 'UCS-2', nonGsm: ['’', '🎉'] });
  });
});
