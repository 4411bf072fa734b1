import fs from 'node:fs';
import { EventInput } from '@hourglass/contract';
import { describe, expect, it } from 'vitest';
import { signShopifyBody, verifyShopifyHmac } from './hmac';
import { consentOf, fulfilmentEventType, mapShopifyWebhook, ShopifyPayloadError } from './mapping';
import { parseShopifyJson } from './payloads';

// Shopify's documented sample bodies (test/fixtures/shopify) through the one mapping module.

const fixture = (name: string) =>
  parseShopifyJson(
    fs.readFileSync(new URL(`../../../test/fixtures/shopify/${name}.json`, import.meta.url), 'utf8'),
  );
const ctx = { webhookId: 'wh-1', triggeredAt: new Date('2022-01-06T00:00:00Z'), orderCustomer: null };
const known = { externalId: '115310627314723954', email: 'john@example.com' };

describe('Shopify webhook mapping', () => {
  it('keeps ids beyond 2^53 exact, and digits inside strings untouched', () => {
    const parsed = parseShopifyJson(
      '{"id":820982911946154508,"n":"id 820982911946154508","x":1.1234567890123457,"s":42}',
    );
    expect(parsed).toEqual({
      id: '820982911946154508',
      n: 'id 820982911946154508',
      x: 1.1234567890123457,
      s: 42,
    });
  });

  it('verifies the HMAC of the raw bytes in constant time, and refuses missing or altered ones', () => {
    const raw = Buffer.from('{"id":1}');
    const good = signShopifyBody(raw, 'secret');
    expect(verifyShopifyHmac(raw, good, 'secret')).toBe(true);
    expect(verifyShopifyHmac(Buffer.from('{"id":2}'), good, 'secret')).toBe(false);
    expect(verifyShopifyHmac(raw, good, 'other')).toBe(false);
    expect(verifyShopifyHmac(raw, undefined, 'secret')).toBe(false);
    expect(verifyShopifyHmac(raw, 'not base64!', 'secret')).toBe(false);
  });

  it('orders/create → order.placed with items, money, codes, status link and the customer (opt-out only)', () => {
    const { events } = mapShopifyWebhook('orders/create', fixture('orders-create'), ctx);
    expect(events).toHaveLength(1);
    const e = EventInput.parse(events[0]);
    expect(e).toMatchObject({
      id: 'shopify:order:820982911946154508:placed',
      type: 'order.placed',
      occurredAt: '2022-01-01T00:00:00.000Z',
      customer: {
        externalId: '115310627314723954',
        email: 'john@example.com',
        firstName: 'John',
        lastName: 'Smith',
        consent: { email: 'unsubscribed' },
      },
      order: {
        externalId: '820982911946154508',
        total: 403,
        currency: 'USD',
        discountCodes: ['WELCOME10'],
        placedAt: '2022-01-01T00:00:00.000Z',
      },
      properties: {
        source: 'shopify',
        orderName: '#9999',
        totalPrice: '403.00',
        subtotalPrice: '393.00',
        statusUrl: 'https://jsmith.myshopify.com/548380009/orders/123456abcd/authenticate?key=abcdefg',
      },
    });
    expect(e.order?.items?.[0]).toEqual({
      name: 'IPod Nano - 8GB',
      title: 'IPod Nano - 8GB',
      sku: 'IPOD2008PINK',
      productId: '632910392',
      variantId: '808950810',
      variant: 'Pink',
      quantity: 1,
      price: 199,
    });
  });

  it('orders/paid and orders/cancelled are their own events of the same order', () => {
    const order = fixture('orders-create') as Record<string, unknown>;
    const paid = mapShopifyWebhook('orders/paid', order, ctx).events[0];
    const cancelled = mapShopifyWebhook(
      'orders/cancelled',
      { ...order, cancelled_at: '2022-01-02T10:00:00Z', cancel_reason: 'customer' },
      ctx,
    ).events[0];
    expect(paid).toMatchObject({ id: 'shopify:order:820982911946154508:paid', type: 'order.paid' });
    expect(cancelled).toMatchObject({
      id: 'shopify:order:820982911946154508:cancelled',
      type: 'order.cancelled',
      occurredAt: '2022-01-02T10:00:00.000Z',
      properties: { cancelReason: 'customer' },
    });
  });

  it('a guest order is about its email; an order with no way to reach anyone is skipped', () => {
    const order = { ...(fixture('orders-create') as Record<string, unknown>), customer: null };
    expect(mapShopifyWebhook('orders/create', order, ctx).events[0]?.customer).toEqual({
      email: 'jon@example.com',
    });
    const nobody = mapShopifyWebhook('orders/create', { ...order, email: null, phone: null }, ctx);
    expect(nobody).toMatchObject({ events: [], skipped: 'no customer' });
  });

  it('fulfillments/update with shipment_status → the matching order event, with tracking as properties', () => {
    const m = mapShopifyWebhook('fulfillments/update', fixture('fulfillments-update'), {
      ...ctx,
      orderCustomer: known,
    });
    expect(m.resource).toEqual({ key: 'fulfillment:123456', updatedAt: new Date('2022-01-03T15:15:00Z') });
    expect(EventInput.parse(m.events[0])).toMatchObject({
      id: 'shopify:fulfillment:123456:delivered',
      type: 'order.delivered',
      customer: known,
      order: { externalId: '820982911946154508' },
      properties: {
        shipmentStatus: 'delivered',
        trackingCompany: 'UPS',
        trackingNumber: '1z827wk74630',
        trackingUrl: 'https://www.ups.com/WebTracking?loc=en_US&requester=ST&trackNums=1z827wk74630',
      },
    });
  });

  it('the status page (orders) and tracking (fulfilments) become order fields; no tracking keeps the old', () => {
    expect(mapShopifyWebhook('orders/create', fixture('orders-create'), ctx).tracking).toEqual({
      orderExternalId: '820982911946154508',
      fields: {
        statusUrl: 'https://jsmith.myshopify.com/548380009/orders/123456abcd/authenticate?key=abcdefg',
      },
    });
    const f = fixture('fulfillments-update') as Record<string, unknown>;
    expect(mapShopifyWebhook('fulfillments/update', f, ctx).tracking).toEqual({
      orderExternalId: '820982911946154508',
      fields: {
        trackingNumber: '1z827wk74630',
        trackingUrl: 'https://www.ups.com/WebTracking?loc=en_US&requester=ST&trackNums=1z827wk74630',
        trackingCompany: 'UPS',
      },
    });
    const bare = {
      ...f,
      tracking_number: null,
      tracking_numbers: [],
      tracking_url: 'javascript:alert(1)',
      tracking_urls: [],
      tracking_company: null,
    };
    expect(mapShopifyWebhook('fulfillments/update', bare, ctx).tracking).toBeUndefined();
  });

  it('every shipment status has its event; unsuccessful fulfilments none', () => {
    const cases: [string | null, string | null, string | null][] = [
      ['success', null, 'order.fulfilled'],
      ['success', 'in_transit', 'order.fulfilled'],
      ['success', 'label_printed', 'order.fulfilled'],
      ['success', 'out_for_delivery', 'order.out_for_delivery'],
      ['success', 'delivered', 'order.delivered'],
      ['success', 'attempted_delivery', 'order.delivery_attempted'],
      ['success', 'failure', 'order.delivery_failed'],
      ['success', 'delayed', 'order.delivery_failed'],
      ['pending', null, null],
      ['cancelled', 'in_transit', null],
      ['error', null, null],
    ];
    for (const [status, shipment, type] of cases) expect(fulfilmentEventType(status, shipment)).toBe(type);
  });

  it('a fulfilment of an unknown order falls back to its email', () => {
    const m = mapShopifyWebhook('fulfillments/create', fixture('fulfillments-update'), ctx);
    expect(m.events[0]?.customer).toEqual({ email: 'jon@example.com' });
  });

  it('refunds/create → order.refunded with the refunded amount as a decimal string', () => {
    const m = mapShopifyWebhook('refunds/create', fixture('refunds-create'), {
      ...ctx,
      orderCustomer: known,
    });
    expect(m.orderExternalId).toBe('820982911946154508');
    expect(EventInput.parse(m.events[0])).toMatchObject({
      id: 'shopify:refund:890088186047892319',
      type: 'order.refunded',
      properties: {
        amount: '199.00',
        currency: 'USD',
        note: 'Things were damaged',
        items: [{ title: 'IPod Nano - 8GB', sku: 'IPOD2008PINK', quantity: 1, subtotal: '199' }],
      },
    });
    expect(mapShopifyWebhook('refunds/create', fixture('refunds-create'), ctx)).toMatchObject({ events: [] });
  });

  it('customers/update → a customer upsert with both consents, tags and its version', () => {
    const m = mapShopifyWebhook('customers/update', fixture('customers-update'), ctx);
    expect(m.resource).toEqual({
      key: 'customer:706405506930370084',
      updatedAt: new Date('2022-01-04T14:30:00Z'),
    });
    expect(EventInput.parse(m.events[0])).toMatchObject({
      id: 'shopify:customer:706405506930370084:wh-1',
      type: 'customer.updated',
      customer: {
        externalId: '706405506930370084',
        email: 'bob@example.com',
        phone: '+16135550135',
        tags: ['vip', 'newsletter'],
        consent: { email: 'unsubscribed', sms: 'subscribed' },
      },
    });
  });

  it('only `subscribed` allows marketing', () => {
    expect(consentOf({ state: 'subscribed' })).toBe('subscribed');
    for (const state of ['not_subscribed', 'unsubscribed', 'pending', 'redacted', 'invalid'])
      expect(consentOf({ state })).toBe('unsubscribed');
    expect(consentOf(null)).toBeUndefined();
  });

  it('a body its topic cannot read names the field at fault', () => {
    expect(() => mapShopifyWebhook('orders/create', { id: 'x' }, ctx)).toThrow(ShopifyPayloadError);
    expect(() =>
      mapShopifyWebhook('fulfillments/update', { id: 1, order_id: 2, updated_at: 'yesterday' }, ctx),
    ).toThrow(expect.objectContaining({ field: 'body.updated_at' }));
  });
});
