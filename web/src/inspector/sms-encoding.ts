// The server's preview answers the segment count but not the encoding; this names the encoding and the
// characters that force UCS-2 (same GSM 03.38 tables as @hourglass/channels, which the browser cannot import).
const GSM_BASIC = new Set(
  '@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !"#¤%&\'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà',
);
const GSM_EXTENDED = new Set('^{}\\[~]|€\f');

/** GSM-7 when every character is in the GSM alphabet, else UCS-2, with the characters at fault. */
export function smsEncoding(text: string): { encoding: 'GSM-7' | 'UCS-2'; nonGsm: string[] } {
  const nonGsm = new Set<string>();
  for (const ch of text) if (!GSM_BASIC.has(ch) && !GSM_EXTENDED.has(ch)) nonGsm.add(ch);
  return { encoding: nonGsm.size ? 'UCS-2' : 'GSM-7', nonGsm: [...nonGsm] };
}
