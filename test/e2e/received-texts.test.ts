import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type E2E, shot, signedInPage, startE2E } from './harness';

// The Messages page's received side: texts customers sent back, and texts from unknown numbers
// flagged Unmatched (the webhook that stores them is tested in test/api/sms-replies.test.ts).

let e2e: E2E;
beforeAll(async () => {
  e2e = await startE2E('received_texts', { temporal: false });
});
afterAll(async () => {
  await e2e?.close();
});

describe('Messages › received texts', () => {
  it('lists replies with their customer and keyword, and texts from unknown numbers as unmatched', async () => {
    const q = (text: string, values: unknown[] = []) => e2e.db.pool.query(text, values);
    const { rows } = await q(
      "select c.workspace_id, c.id, c.phone from customers c join workspaces w on w.id = c.workspace_id where c.email = 'olivia@example.com' limit 1",
    );
    const olivia = rows[0] as { workspace_id: string; id: string; phone: string | null };
    await q(
      `insert into inbound_messages (workspace_id, provider_message_id, from_address, body, keyword, customer_id, event_id, received_at)
       values ($1, 'SMreply', $2, 'Five stars 😍', 'FIVE', $3, 'sms.replied:SMreply', now() - interval '1 minute'),
              ($1, 'SMstranger', '+15559990000', 'who is this?', 'WHO', null, null, now())`,
      [olivia.workspace_id, olivia.phone ?? '+15550001111', olivia.id],
    );
    const page = await signedInPage(e2e);
    await page.getByRole('link', { name: 'Messages' }).first().click();
    await page.getByRole('heading', { name: 'Messages', exact: true }).waitFor();
    const direction = page.getByLabel('Direction');
    await direction.selectOption('received');
    const reply = page.getByRole('row', { name: /Five stars/ });
    await reply.waitFor({ timeout: 10_000 });
    expect(await reply.textContent()).toContain('FIVE');
    expect(await reply.getByRole('link').first().textContent()).toMatch(/Olivia/);
    const stranger = page.getByRole('row', { name: /who is this\?/ });
    expect(await stranger.textContent()).toContain('Unmatched');
    await direction.selectOption('unmatched');
    await expect
      .poll(
        async () =>
          (await page.getByRole('row').allTextContents()).filter((t) => t.includes('Five stars')).length,
      )
      .toBe(0);
    await page.getByRole('row', { name: /who is this\?/ }).waitFor();
    await shot(page, 'messages-received-texts');
    await page.close();
  });
});
