// What a text message from a customer says, read the way a marketer's branch rule asks about it.

/** The first word of a reply, trimmed and upper-cased ("yes please" → "YES"); null for an empty body. */
export function replyKeyword(body: string): string | null {
  const first = body.trim().split(/\s+/u)[0];
  return first ? first.toUpperCase() : null;
}

const STOP_WORDS = new Set(['STOP', 'STOPALL', 'UNSUBSCRIBE', 'CANCEL', 'END', 'QUIT', 'OPTOUT', 'REVOKE']);
const START_WORDS = new Set(['START', 'YES', 'UNSTOP', 'OPTIN']);
const HELP_WORDS = new Set(['HELP', 'INFO']);

/** The carrier keyword a reply is (Twilio's Advanced Opt-Out list), judged on its letters alone. */
export type ReplyCommand = 'stop' | 'start' | 'help';

/** STOP / START / HELP (and synonyms) when the whole reply is one; null for anything else. */
export function replyCommand(body: string): ReplyCommand | null {
  const word = body
    .trim()
    .toUpperCase()
    .replace(/[^A-Z]/g, '');
  if (STOP_WORDS.has(word)) return 'stop';
  if (START_WORDS.has(word)) return 'start';
  if (HELP_WORDS.has(word)) return 'help';
  return null;
}

const WORDS = ['zero', 'one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine', 'ten'];
const NUMBER = `(\\d{1,2}|${WORDS.join('|')})`;
// "5", "4/5", "4 out of 5", "five", "5 stars", "5!" — a rating, not a sentence that has a number in it;
// a rating may be followed by a comment after punctuation ("2, the box was crushed", "5! love it",
// "3 - slow"), which is how unhappy customers tend to answer.
const RATING = new RegExp(
  `^${NUMBER}(?:\\s*(?:/|out of)\\s*${NUMBER})?(?:\\s*stars?)?(?:[\\s.!]*$|\\s*[,;:.!)\\-–—]\\s*\\p{L})`,
  'u',
);
const MAX_RATING = 10;

const numberOf = (token: string) => (/^\d+$/.test(token) ? Number(token) : WORDS.indexOf(token));

/**
 * The number a reply rates with (0–10), or null when it is not a rating: "5", "4/5", "five", "5 stars"
 * and a row of ⭐ read as their number; out-of-range numbers ("42", "7/5") are no rating.
 */
export function replyRating(body: string): number | null {
  const text = body.trim().toLowerCase();
  const stars = text.replace(/\uFE0F/gu, '');
  if (/^⭐+$/u.test(stars)) {
    const n = [...stars].length;
    return n <= MAX_RATING ? n : null;
  }
  const m = RATING.exec(text);
  if (!m) return null;
  const n = numberOf(m[1]!);
  const of = m[2] === undefined ? null : numberOf(m[2]);
  if (n > MAX_RATING || (of !== null && (of === 0 || n > of || of > MAX_RATING))) return null;
  return n;
}
