// GSM 03.38 default alphabet and its extension table (extension characters take two septets).
const GSM_BASIC =
  '@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !"#¤%&\'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà';
const GSM_EXTENDED = '^{}\\[~]|€\f';
const BASIC = new Set(GSM_BASIC);
const EXTENDED = new Set(GSM_EXTENDED);

/** How an SMS body will be encoded and billed. */
export interface SmsSegments {
  encoding: 'GSM-7' | 'UCS-2';
  /** Septets (GSM-7) or UTF-16 code units (UCS-2) used. */
  units: number;
  segments: number;
  /** Characters that forced UCS-2 (so the editor can point at the curly quote or emoji). */
  nonGsmCharacters: string[];
}

/** Counts segments: 160/153 septets for GSM-7, 70/67 code units for UCS-2 (concatenated headers take the rest). */
export function smsSegments(text: string): SmsSegments {
  let septets = 0;
  const nonGsm = new Set<string>();
  for (const ch of text) {
    if (BASIC.has(ch)) septets += 1;
    else if (EXTENDED.has(ch)) septets += 2;
    else nonGsm.add(ch);
  }
  if (nonGsm.size === 0) {
    return { encoding: 'GSM-7', units: septets, segments: count(septets, 160, 153), nonGsmCharacters: [] };
  }
  // UCS-2 as carriers implement it is UTF-16: an emoji takes two code units.
  const units = text.length;
  return { encoding: 'UCS-2', units, segments: count(units, 70, 67), nonGsmCharacters: [...nonGsm] };
}

function count(units: number, single: number, multi: number): number {
  if (units === 0) return 0;
  return units <= single ? 1 : Math.ceil(units / multi);
}

const OPT_OUT = /\b(stop|unsubscribe|opt[- ]?out)\b/i;

/** Appends opt-out instructions to a marketing text unless it already mentions how to stop. */
export function withOptOutFooter(text: string): string {
  return OPT_OUT.test(text) ? text : `${text.trimEnd()}\nReply STOP to opt out.`;
}
