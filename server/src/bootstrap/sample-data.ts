import type { EventInput } from '@hourglass/contract';

const DAY = 86_400_000;
const ago = (days: number, now: number) => new Date(now - days * DAY).toISOString();

type Shopper = {
  key: string;
  firstName: string;
  lastName: string;
  timezone: string;
  locale: string;
  birthday?: string;
  orders: { daysAgo: number; total: number; items: { sku: string; name: string; price: number }[] }[];
};

// First-time, loyal and lapsed shoppers across several time zones: enough to preview segments
// ("first purchase over $100", "loyal, AOV over $300") and to try every template.
const SHOPPERS: Shopper[] = [
  {
    key: 'ava',
    firstName: 'Ava',
    lastName: 'Martin',
    timezone: 'America/New_York',
    locale: 'en-US',
    orders: [{ daysAgo: 2, total: 129, items: [{ sku: 'TEE-01', name: 'Organic tee', price: 129 }] }],
  },
  {
    key: 'kenji',
    firstName: 'Kenji',
    lastName: 'Sato',
    timezone: 'Asia/Tokyo',
    locale: 'ja-JP',
    birthday: '1990-04-12',
    orders: [{ daysAgo: 1, total: 48, items: [{ sku: 'MUG-02', name: 'Stoneware mug', price: 48 }] }],
  },
  {
    key: 'olivia',
    firstName: 'Olivia',
    lastName: 'Brown',
    timezone: 'Europe/London',
    locale: 'en-GB',
    birthday: '1985-09-30',
    orders: [
      { daysAgo: 400, total: 320, items: [{ sku: 'JKT-01', name: 'Wool jacket', price: 320 }] },
      { daysAgo: 210, total: 410, items: [{ sku: 'BOOT-3', name: 'Leather boots', price: 410 }] },
      { daysAgo: 90, total: 280, items: [{ sku: 'BAG-7', name: 'Weekender bag', price: 280 }] },
      { daysAgo: 20, total: 360, items: [{ sku: 'JKT-02', name: 'Rain shell', price: 360 }] },
    ],
  },
  {
    key: 'lucas',
    firstName: 'Lucas',
    lastName: 'Silva',
    timezone: 'America/Sao_Paulo',
    locale: 'pt-BR',
    orders: [
      { daysAgo: 365, total: 350, items: [{ sku: 'WATCH-1', name: 'Field watch', price: 350 }] },
      { daysAgo: 30, total: 390, items: [{ sku: 'SUN-4', name: 'Sunglasses', price: 390 }] },
    ],
  },
  {
    key: 'mia',
    firstName: 'Mia',
    lastName: 'Schmidt',
    timezone: 'Europe/Berlin',
    locale: 'de-DE',
    orders: [
      { daysAgo: 420, total: 60, items: [{ sku: 'CANDLE', name: 'Candle', price: 60 }] },
      { daysAgo: 240, total: 75, items: [{ sku: 'SOAP-3', name: 'Soap set', price: 75 }] },
    ],
  },
  {
    key: 'noah',
    firstName: 'Noah',
    lastName: 'Wilson',
    timezone: 'Australia/Sydney',
    locale: 'en-AU',
    orders: [{ daysAgo: 300, total: 95, items: [{ sku: 'CAP-1', name: 'Cap', price: 95 }] }],
  },
  {
    key: 'sofia',
    firstName: 'Sofia',
    lastName: 'Garcia',
    timezone: 'America/Los_Angeles',
    locale: 'es-US',
    birthday: '1995-12-01',
    orders: [],
  },
];

/** The demo workspace's sample events (customers and orders are derived from them like real data). */
export function sampleEvents(now = Date.now()): EventInput[] {
  const events: EventInput[] = [];
  for (const s of SHOPPERS) {
    const customer = {
      externalId: `demo_${s.key}`,
      email: `${s.key}@example.com`,
      phone: undefined,
      firstName: s.firstName,
      lastName: s.lastName,
      timezone: s.timezone,
      locale: s.locale,
      birthday: s.birthday,
      consent: { email: 'subscribed' as const, sms: 'unknown' as const },
    };
    if (s.orders.length === 0) {
      events.push({
        id: `demo_${s.key}_signup`,
        type: 'customer.created',
        occurredAt: ago(5, now),
        customer,
      });
    }
    s.orders.forEach((o, i) => {
      events.push({
        id: `demo_${s.key}_order_${i + 1}`,
        type: 'order.placed',
        occurredAt: ago(o.daysAgo, now),
        customer,
        order: {
          externalId: `demo_${s.key}_${i + 1}`,
          total: o.total,
          currency: 'USD',
          items: o.items.map((it) => ({ ...it, quantity: 1 })),
          placedAt: ago(o.daysAgo, now),
        },
      });
    });
  }
  return events;
}
