import { describe, expect, it } from 'vitest';
import { replyCommand, replyKeyword, replyRating } from './replies';

describe('replyRating', () => {
  it.each([
    ['5', 5],
    [' 4/5 ', 4],
    ['4 / 5', 4],
    ['five', 5],
    ['Five!', 5],
    ['5 stars', 5],
    ['1 star', 1],
    ['3 out of 5', 3],
    ['0', 0],
    ['10', 10],
    ['10/10', 10],
    ['⭐⭐⭐⭐', 4],
    ['⭐️⭐️⭐️', 3],
    // A rating, then a comment after punctuation.
    ['2, the box was crushed', 2],
    ['5! Love it', 5],
    ['3 - slow shipping', 3],
    ['1 star: never again', 1],
    ['4/5. Nice', 4],
  ])('%j rates %d', (body, n) => expect(replyRating(body)).toBe(n));

  it.each([
    '',
    'yes',
    '42',
    '11',
    '7/5',
    '5/0',
    'I give it 5',
    'call me at 5pm',
    '5 5',
    '😀',
    '2 boxes were crushed',
    '5.5',
    '10-15 days late',
  ])('%j is no rating', (body) => expect(replyRating(body)).toBeNull());
});

describe('replyKeyword and replyCommand', () => {
  it('keyword is the trimmed, upper-cased first word', () => {
    expect(replyKeyword('  yes please ')).toBe('YES');
    expect(replyKeyword('5 stars')).toBe('5');
    expect(replyKeyword('👍 thanks')).toBe('👍');
    expect(replyKeyword('   ')).toBeNull();
  });
  it('STOP, START and HELP (and synonyms) are commands; other text is not', () => {
    expect(replyCommand('Stop.')).toBe('stop');
    expect(replyCommand('unsubscribe')).toBe('stop');
    expect(replyCommand('START')).toBe('start');
    expect(replyCommand('help')).toBe('help');
    expect(replyCommand('stop sending me coupons please')).toBeNull();
    expect(replyCommand('5')).toBeNull();
  });
});
