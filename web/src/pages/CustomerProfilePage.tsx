import type { CustomerRun, Order, StoredEvent } from '@hourglass/contract';
import { type ReactNode, useState } from 'react';
import { useCustomerProfile, useCustomerRuns, useOlderEvents, useOlderOrders } from '../api/support';
import { navigate } from '../router';
import { ConsentEditor } from './ConsentEditor';
import { browserZone, customerLabel, inZone, yourTime, yourTimeHint } from './format';
import { JourneyDecisions } from './JourneyDecisions';
import { openRow } from './ListPage';

const money = (n: number) => n.toLocaleString('en-US', { style: 'currency', currency: 'USD' });
// Outside the timeline, times are the reader's own (browser) zone, and say so.
const when = (d: Date | null | undefined) => (d ? inZone(d, browserZone()) : '—');
const Hint = () => <span className="th-hint"> ({yourTimeHint()})</span>;

function Link({ to, children }: { to: string; children: ReactNode }) {
  return (
    <a
      href={to}
      onClick={(e) => {
        e.preventDefault();
        navigate(to);
      }}
    >
      {children}
    </a>
  );
}

function Facts({ items }: { items: [string, ReactNode][] }) {
  return (
    <dl className="facts">
      {items.map(([k, v]) => (
        <div key={k}>
          <dt>{k}</dt>
          <dd>{v}</dd>
        </div>
      ))}
    </dl>
  );
}

/** "Show older …" under a list while it has older pages (a heavy customer has thousands of rows). */
function ShowOlder({
  what,
  more,
  loading,
  onClick,
}: {
  what: string;
  more: boolean;
  loading: boolean;
  onClick: () => void;
}) {
  if (!more) return null;
  return (
    <button type="button" className="btn" disabled={loading} onClick={onClick}>
      {loading ? 'Loading…' : `Show older ${what}`}
    </button>
  );
}

/**
 * A profile list beyond its first page: `after` is the profile's cursor; the first click opens the list
 * (its query fetches the next page), later clicks fetch the pages after that.
 */
function older<T>(
  after: string | null,
  [opened, open]: [boolean, (v: boolean) => void],
  q: {
    data?: { pages: T[] };
    hasNextPage: boolean;
    isFetching: boolean;
    fetchNextPage: () => Promise<unknown>;
  },
) {
  return {
    pages: q.data?.pages ?? [],
    more: opened ? q.isFetching || q.hasNextPage : after !== null,
    loading: q.isFetching,
    show: () => (opened ? void q.fetchNextPage() : open(true)),
  };
}

/** One customer: identity, consent, stats, attributes, journey runs, orders and recent events. */
export function CustomerProfilePage({ id }: { id: string }) {
  const profile = useCustomerProfile(id);
  const runs = useCustomerRuns(id);
  if (profile.isLoading) return <p className="muted">Loading…</p>;
  if (!profile.data)
    return <p className="field-error">Could not load this customer: {profile.error?.message}</p>;
  const { customer: c, orders, ordersNextCursor, events, eventsNextCursor, decisions } = profile.data;
  const runList = runs.data?.pages.flatMap((p) => p.runs);
  const name = customerLabel(c);
  return (
    <div className="list-page profile">
      <header className="page-header">
        <h1>{name}</h1>
        <Link to="/customers">← All customers</Link>
      </header>
      <div className="cards">
        <section className="card" aria-labelledby="identity">
          <h2 id="identity">Identity</h2>
          <Facts
            items={[
              ['Email', c.email ?? '—'],
              ['Phone', c.phone ?? '—'],
              ['External id', c.externalId ?? '—'],
              ['Time zone', c.timezone ?? 'unknown (UTC used)'],
              ['Locale', c.locale ?? '—'],
            ]}
          />
        </section>
        <section className="card" aria-labelledby="consent">
          <h2 id="consent">Consent</h2>
          <Facts
            items={[
              [
                'Email',
                <span key="email" className={`pill consent-${c.consent.email}`}>
                  {c.consent.email}
                </span>,
              ],
              [
                'SMS',
                <span key="sms" className={`pill consent-${c.consent.sms}`}>
                  {c.consent.sms}
                </span>,
              ],
            ]}
          />
          <ConsentEditor key={`${c.consent.email}/${c.consent.sms}`} customerId={c.id} consent={c.consent} />
        </section>
        <section className="card" aria-labelledby="stats">
          <h2 id="stats">Order stats</h2>
          <Facts
            items={[
              ['Orders', c.ordersCount],
              ['Total spent', money(c.totalSpent)],
              ['AOV', money(c.aov)],
              ['First order', when(c.firstOrderAt)],
              ['Last order', when(c.lastOrderAt)],
            ]}
          />
        </section>
        <section className="card" aria-labelledby="attributes">
          <h2 id="attributes">Attributes</h2>
          {Object.keys(c.attributes).length ? (
            <Facts items={Object.entries(c.attributes).map(([k, v]) => [k, JSON.stringify(v)])} />
          ) : (
            <p className="muted">None</p>
          )}
          {c.tags.length > 0 && <p className="small">Tags: {c.tags.join(', ')}</p>}
        </section>
      </div>

      <section aria-labelledby="runs">
        <h2 id="runs">Journeys</h2>
        <Link to={`/messages?customerId=${c.id}`}>All messages to this customer</Link>
        {runList?.length === 0 && (
          <p className="empty-state">
            {decisions.length
              ? 'Not in any journey: "Journeys and why" below says why not.'
              : 'Not in any journey yet: no event of theirs has started one.'}
          </p>
        )}
        {!!runList?.length && <RunsTable runs={runList} />}
        <ShowOlder
          what="runs"
          more={runs.hasNextPage}
          loading={runs.isFetchingNextPage}
          onClick={() => void runs.fetchNextPage()}
        />
      </section>

      {decisions.length > 0 && <JourneyDecisions decisions={decisions} />}

      <OrdersSection customerId={c.id} first={orders} after={ordersNextCursor} />
      <EventsSection customerId={c.id} first={events} after={eventsNextCursor} />
    </div>
  );
}

function RunsTable({ runs }: { runs: CustomerRun[] }) {
  return (
    <table className="table">
      <thead>
        <tr>
          <th>Journey</th>
          <th className="num">Version</th>
          <th>Status</th>
          <th>
            Started
            <Hint />
          </th>
          <th>Now / end</th>
          <th>
            <span className="sr-only">Open</span>
          </th>
        </tr>
      </thead>
      <tbody>
        {runs.map((r) => (
          <tr key={r.id} className="row-link" onClick={(e) => openRow(e, `/runs/${r.id}`)}>
            <td>{r.journeyName}</td>
            <td className="num">v{r.version}</td>
            <td>
              <span className={`pill run-${r.status}`}>{r.status}</span>
            </td>
            <td>{yourTime(r.startedAt)}</td>
            <td>{r.state}</td>
            <td>
              <Link to={`/runs/${r.id}`}>
                Open run<span className="sr-only"> of {r.journeyName}</span>
              </Link>
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

type ListProps<T> = { customerId: string; first: T[]; after: string | null };

function OrdersSection({ customerId, first, after }: ListProps<Order>) {
  const opened = useState(false);
  const more = older(after, opened, useOlderOrders(customerId, after, opened[0]));
  const orders = [...first, ...more.pages.flatMap((p) => p.orders)];
  return (
    <section aria-labelledby="orders">
      <h2 id="orders">Orders</h2>
      <table className="table">
        <thead>
          <tr>
            <th>Order</th>
            <th className="num">Total</th>
            <th>Status</th>
            <th>
              Placed
              <Hint />
            </th>
            <th>
              Delivered
              <Hint />
            </th>
          </tr>
        </thead>
        <tbody>
          {orders.map((o) => (
            <tr key={o.id}>
              <td>{o.externalId}</td>
              <td className="num">
                {o.total.toLocaleString('en-US', { style: 'currency', currency: o.currency })}
              </td>
              <td>{o.status}</td>
              <td>{yourTime(o.placedAt)}</td>
              <td>{yourTime(o.deliveredAt)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <ShowOlder what="orders" more={more.more} loading={more.loading} onClick={more.show} />
    </section>
  );
}

function EventsSection({ customerId, first, after }: ListProps<StoredEvent>) {
  const opened = useState(false);
  const more = older(after, opened, useOlderEvents(customerId, after, opened[0]));
  const events = [...first, ...more.pages.flatMap((p) => p.events)];
  return (
    <section aria-labelledby="events">
      <h2 id="events">
        Recent events
        <Hint />
      </h2>
      <ul className="events">
        {events.map((e) => (
          <li key={e.id}>
            <code>{e.type}</code> <span className="muted small">{yourTime(e.occurredAt)}</span>
          </li>
        ))}
      </ul>
      <ShowOlder what="events" more={more.more} loading={more.loading} onClick={more.show} />
    </section>
  );
}
