import { ShopifyConnectBody, type ShopifySyncView } from '@hourglass/contract';
import { useState } from 'react';
import { useShopifyActions, useShopifyConnection, useShopifySync } from '../../api/store';
import { apiErrors, type FieldErrors, TextField, zodErrors } from './form';

/**
 * Settings › Store: connect a Shopify store (domain, client secret, Admin API token; secrets are
 * write-only), test it, register its webhooks, and import customers and order history with a
 * progress bar. Everyone sees the state; only admins change it.
 */
export function StoreSection({ readOnly }: { readOnly: boolean }) {
  const connection = useShopifyConnection();
  const view = connection.data;
  return (
    <div className="list-page settings-page">
      <header className="page-header">
        <h1>Settings · Store</h1>
      </header>
      {connection.error && (
        <p className="field-error">Could not load the store: {connection.error.message}</p>
      )}
      {view && (
        <section className="settings-forms" aria-label="Store">
          <ConnectCard readOnly={readOnly} shopDomain={view.shopDomain} connected={view.connected} />
          {view.connected && (
            <section className="settings-card" aria-labelledby="store-status">
              <h2 id="store-status">Shopify connection</h2>
              <p>
                <b>{view.shopDomain}</b>
                {view.shopName ? ` · ${view.shopName}` : ''}
              </p>
              <p className="small muted">
                {view.lastTestedAt ? `Tested ${view.lastTestedAt.toLocaleString()}.` : 'Not tested yet.'}{' '}
                {view.webhooksRegisteredAt
                  ? `Webhooks registered ${view.webhooksRegisteredAt.toLocaleString()}.`
                  : 'Webhooks not registered yet.'}
              </p>
              <WebhookInfo url={view.webhookUrl} topics={view.topics} />
              {!readOnly && <ConnectionActions />}
            </section>
          )}
          {view.connected && <ImportCard readOnly={readOnly} />}
        </section>
      )}
    </div>
  );
}

function ConnectCard(props: { readOnly: boolean; shopDomain: string | null; connected: boolean }) {
  const { connect } = useShopifyActions();
  const [shopDomain, setShopDomain] = useState(props.shopDomain ?? '');
  const [clientSecret, setClientSecret] = useState('');
  const [accessToken, setAccessToken] = useState('');
  const [errors, setErrors] = useState<FieldErrors>({});
  const submit = () => {
    const parsed = ShopifyConnectBody.safeParse({ shopDomain, clientSecret, accessToken });
    if (!parsed.success) return setErrors(zodErrors(parsed.error));
    setErrors({});
    connect.mutate(parsed.data, {
      onSuccess: () => {
        setClientSecret('');
        setAccessToken('');
      },
      onError: (e) => setErrors(apiErrors(e)),
    });
  };
  return (
    <section className="settings-card settings-form" aria-labelledby="store-connect">
      <h2 id="store-connect">{props.connected ? 'Reconnect Shopify' : 'Connect Shopify'}</h2>
      <p className="small muted">
        From the store's custom app: its permanent domain, the app's client secret (Shopify signs webhooks
        with it) and an Admin API access token with read_orders, read_fulfillments and read_customers. The
        secrets are stored encrypted and never shown again.
      </p>
      <form
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          submit();
        }}
      >
        <fieldset disabled={props.readOnly} className="settings-fields">
          <TextField
            label="Shop domain"
            value={shopDomain}
            onChange={setShopDomain}
            placeholder="my-shop.myshopify.com"
            error={errors.shopDomain}
          />
          <TextField
            label="Client secret"
            type="password"
            autoComplete="new-password"
            value={clientSecret}
            onChange={setClientSecret}
            error={errors.clientSecret}
          />
          <TextField
            label="Admin API access token"
            type="password"
            autoComplete="new-password"
            value={accessToken}
            onChange={setAccessToken}
            placeholder="shpat_…"
            error={errors.accessToken}
          />
        </fieldset>
        {errors[''] && (
          <p className="field-error" role="alert">
            {errors['']}
          </p>
        )}
        <div className="settings-actions">
          {props.readOnly ? (
            <p className="small muted">Only workspace admins can connect a store.</p>
          ) : (
            <button type="submit" className="btn primary" disabled={connect.isPending}>
              {connect.isPending ? 'Connecting…' : 'Connect'}
            </button>
          )}
          <span className="settings-saved" role="status">
            {connect.isSuccess ? 'Connected' : ''}
          </span>
        </div>
      </form>
    </section>
  );
}

function WebhookInfo({ url, topics }: { url: string; topics: string[] }) {
  return (
    <div className="field">
      <label htmlFor="store-webhook-url">Webhook address</label>
      <input id="store-webhook-url" readOnly value={url} onFocus={(e) => e.currentTarget.select()} />
      <p className="small muted settings-hint">
        Topics (JSON):{' '}
        {topics.map((t) => (
          <code key={t}>{t} </code>
        ))}
      </p>
    </div>
  );
}

function ConnectionActions() {
  const { test, register, disconnect } = useShopifyActions();
  const [confirming, setConfirming] = useState(false);
  const failure = test.error ?? register.error ?? disconnect.error;
  const failed = register.data?.topics.filter((t) => t.status === 'failed') ?? [];
  return (
    <>
      <div className="store-actions">
        <button type="button" className="btn" disabled={test.isPending} onClick={() => test.mutate()}>
          Test connection
        </button>
        <button type="button" className="btn" disabled={register.isPending} onClick={() => register.mutate()}>
          Register webhooks
        </button>
        {confirming ? (
          <>
            <button type="button" className="btn danger" onClick={() => disconnect.mutate()}>
              Disconnect now
            </button>
            <button type="button" className="btn" onClick={() => setConfirming(false)}>
              Keep
            </button>
          </>
        ) : (
          <button type="button" className="btn" onClick={() => setConfirming(true)}>
            Disconnect
          </button>
        )}
      </div>
      <p role="status" className="small">
        {test.data ? `Connected to ${test.data.shopName}.` : ''}
        {register.data && failed.length === 0 ? ' Webhooks registered for every topic.' : ''}
        {failed.length > 0
          ? ` Not registered: ${failed.map((t) => `${t.topic} (${t.message})`).join(', ')}.`
          : ''}
      </p>
      {failure && (
        <p className="field-error" role="alert">
          {failure.message}
        </p>
      )}
    </>
  );
}

function ImportCard({ readOnly }: { readOnly: boolean }) {
  const sync = useShopifySync();
  const { backfill } = useShopifyActions();
  const [days, setDays] = useState('365');
  const current = sync.data?.sync ?? null;
  const running = current?.status === 'running';
  return (
    <section className="settings-card settings-form" aria-labelledby="store-import">
      <h2 id="store-import">Import history</h2>
      <p className="small muted">
        Imports every customer and the orders of the last days you choose. History feeds segments, stats and
        recommendations; it starts no journey.
      </p>
      {!readOnly && (
        <form
          className="store-import"
          onSubmit={(e) => {
            e.preventDefault();
            backfill.mutate(Number(days));
          }}
        >
          <TextField
            label="Orders of the last (days)"
            type="number"
            min={1}
            max={3650}
            value={days}
            onChange={setDays}
          />
          <button type="submit" className="btn primary" disabled={running || backfill.isPending}>
            Import
          </button>
        </form>
      )}
      {backfill.error && (
        <p className="field-error" role="alert">
          {backfill.error.message}
        </p>
      )}
      {current && <SyncProgress sync={current} />}
    </section>
  );
}

function SyncProgress({ sync }: { sync: ShopifySyncView }) {
  const total = sync.ordersTotal ?? 0;
  const label =
    sync.status === 'running'
      ? sync.stage === 'customers'
        ? `Importing customers: ${sync.customersImported}`
        : `Importing orders: ${sync.ordersImported}${total ? ` of ${total}` : ''}`
      : sync.status === 'done'
        ? `Imported ${sync.customersImported} customers and ${sync.ordersImported} orders.`
        : `Import failed: ${sync.error ?? 'unknown reason'}`;
  return (
    <div className="field">
      <progress
        className="store-progress"
        aria-label="Import progress"
        max={total || 1}
        value={sync.status === 'done' ? total || 1 : Math.min(sync.ordersImported, total || 0)}
      />
      <p role="status" className="small">
        {label}
      </p>
    </div>
  );
}
