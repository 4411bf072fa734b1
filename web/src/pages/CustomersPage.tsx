import { useState } from 'react';
import { useCustomers } from '../api/queries';
import { ListPage } from './ListPage';

const money = (n: number) => n.toLocaleString('en-US', { style: 'currency', currency: 'USD' });

/** Customers with their derived stats; search by email, name or external id. */
export function CustomersPage() {
  const [q, setQ] = useState('');
  const customers = useCustomers(q);
  return (
    <ListPage
      title="Customers"
      actions={
        <input
          type="search"
          aria-label="Search customers"
          placeholder="Search email or name"
          value={q}
          onChange={(e) => setQ(e.target.value)}
        />
      }
      query={customers}
      empty="No customers yet: they appear when your store sends events."
      rowKey={(c) => c.id}
      columns={[
        { label: 'Name', render: (c) => [c.firstName, c.lastName].filter(Boolean).join(' ') || '—' },
        { label: 'Email', render: (c) => c.email ?? '—' },
        { label: 'Orders', num: true, render: (c) => c.ordersCount },
        { label: 'Total spent', num: true, render: (c) => money(c.totalSpent) },
        { label: 'AOV', num: true, render: (c) => money(c.aov) },
        { label: 'Email consent', render: (c) => c.consent.email },
      ]}
    />
  );
}
