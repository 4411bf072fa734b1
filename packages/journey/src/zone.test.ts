import { describe, expect, it } from 'vitest';
import { localTime, safeZone } from './zone';

describe('safeZone', () => {
  it('keeps a known IANA zone and falls back to UTC for a missing or unknown one, every time it is asked', () => {
    for (let i = 0; i < 3; i++) {
      expect(safeZone('America/New_York')).toBe('America/New_York');
      expect(safeZone('Mars/Olympus_Mons')).toBe('UTC');
      expect(safeZone('')).toBe('UTC');
      expect(safeZone(null)).toBe('UTC');
    }
    expect(localTime(Date.UTC(2026, 5, 10, 16), safeZone('America/New_York')).hour).toBe(12);
  });

  it('answers for more distinct zones than it remembers', () => {
    for (let i = 0; i < 1_100; i++) expect(safeZone(`Nowhere/Zone_${i}`)).toBe('UTC');
    expect(safeZone('Europe/Paris')).toBe('Europe/Paris');
  });
});
