import { useState } from 'react';
import { useCustomers } from '../api/queries';
import { navigate } from '../router';
import { customerLabel } from './format';
import { ListPage } from './ListPage';

const money = (n: number) => n.toLocaleString('en-US', { style: 'currency', currency: 'USD' });

/** Customers with their derived stats; search by email, phone, name or external id; a row opens the profile. */
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
          placeholder="Email, phone, name or external id"
          value={q}
          onChange={(e) => setQ(e.target.value)}
        />
      }
      query={customers}
      empty={q ? 'No customer matches.' : 'No customers yet: they appear when your store sends events.'}
      rowKey={(c) => c.id}
      rowHref={(c) => `/customers/${c.id}`}
      columns={[
        {
          label: 'Name',
          render: (c) => (
            <a
              href={`/customers/${c.id}`}
              onClick={(e) => {
                e.preventDefault();
                navigate(`/customers/${c.id}`);
              }}
            >
              {customerLabel(c)}
            </a>
          ),
        },
        { label: 'Email', render: (c) => c.email ?? '—' },
        { label: 'Phone', render: (c) => c.phone ?? '—' },
        { label: 'Orders', num: true, render: (c) => c.ordersCount },
        { label: 'Total spent', num: true, render: (c) => money(c.totalSpent) },
        { label: 'AOV', num: true, render: (c) => money(c.aov) },
        { label: 'Email / SMS consent', render: (c) => `${c.consent.email} / ${c.consent.sms}` },
      ]}
    />
  );
}
