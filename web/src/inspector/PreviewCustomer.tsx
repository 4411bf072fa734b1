import type { Customer } from '@hourglass/contract';
import { useEffect, useState } from 'react';
import { create } from 'zustand';
import { useCustomerOrders } from '../api/preview';
import { useCustomers } from '../api/queries';

/**
 * The customer (and order) previews render for; kept across steps and journeys while the app is open.
 * `orderId`: null = not chosen yet (the latest order is picked), '' = explicitly no order.
 */
export const usePreviewTarget = create<{ customerId: string | null; orderId: string | null }>(() => ({
  customerId: null,
  orderId: null,
}));
const selectTarget = (s: { customerId: string | null; orderId: string | null }) => s;

const nameOf = (c: Pick<Customer, 'firstName' | 'lastName' | 'email' | 'externalId' | 'id'>) =>
  [c.firstName, c.lastName].filter(Boolean).join(' ') || c.email || c.externalId || c.id;

const money = (n: number, currency: string) => {
  try {
    return n.toLocaleString('en-US', { style: 'currency', currency });
  } catch {
    return `${n} ${currency}`;
  }
};

/** Search + pick a real customer, then one of their orders (latest by default). */
export function PreviewCustomer() {
  const [q, setQ] = useState('');
  const customers = useCustomers(q);
  const { customerId, orderId } = usePreviewTarget(selectTarget);
  const profile = useCustomerOrders(customerId);
  const list = customers.data ?? [];

  // First visit: preview for the first customer the workspace has.
  useEffect(() => {
    if (!customerId && !q && list[0]) usePreviewTarget.setState({ customerId: list[0].id, orderId: null });
  }, [customerId, q, list]);

  // A new customer: default to their latest order (templates usually talk about it).
  const orders = profile.data?.customer.id === customerId ? profile.data.orders : [];
  useEffect(() => {
    if (orderId !== null || orders.length === 0) return;
    const latest = [...orders].sort((a, b) => b.placedAt.getTime() - a.placedAt.getTime())[0];
    if (latest) usePreviewTarget.setState({ orderId: latest.id });
  }, [orders, orderId]);

  const chosen = profile.data?.customer.id === customerId ? profile.data.customer : null;
  const options = chosen && !list.some((c) => c.id === chosen.id) ? [chosen, ...list] : list;
  return (
    <div className="preview-customer">
      <span className="small muted">Preview for a real customer</span>
      <input
        type="search"
        aria-label="Search customers to preview for"
        placeholder="Search by name, email or phone"
        value={q}
        onChange={(e) => setQ(e.target.value)}
      />
      <select
        aria-label="Preview customer"
        value={customerId ?? ''}
        onChange={(e) => usePreviewTarget.setState({ customerId: e.target.value || null, orderId: null })}
      >
        {options.length === 0 && (
          <option value="">{customers.isLoading ? 'Loading customers…' : 'No customer matches'}</option>
        )}
        {options.map((c) => (
          <option key={c.id} value={c.id}>
            {nameOf(c)}
            {c.email && nameOf(c) !== c.email ? ` · ${c.email}` : ''}
          </option>
        ))}
      </select>
      <select
        aria-label="Preview order"
        value={orderId ?? ''}
        disabled={!customerId}
        onChange={(e) => usePreviewTarget.setState({ orderId: e.target.value })}
      >
        <option value="">No order</option>
        {orders.map((o) => (
          <option key={o.id} value={o.id}>
            Order {o.externalId} · {money(o.total, o.currency)} · {o.placedAt.toLocaleDateString()}
          </option>
        ))}
      </select>
    </div>
  );
}
