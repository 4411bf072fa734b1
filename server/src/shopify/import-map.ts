// The Admin GraphQL shapes the import reads, turned into the webhook bodies of the same resources
// (REST field names), so imported history goes through the one webhook mapping, its de-duplication
// and its stale check.

/** `gid://shopify/Order/123` → `123`. */
export const idOfGid = (gid: unknown) =>
  typeof gid === 'string' ? (/\/(\d{1,30})$/.exec(gid)?.[1] ?? null) : null;

type Money = { shopMoney?: { amount?: string | null; currencyCode?: string | null } | null } | null;

/** A customer node as CUSTOMERS_QUERY reads it. */
export interface CustomerNode {
  id: string;
  firstName?: string | null;
  lastName?: string | null;
  updatedAt?: string | null;
  tags?: string[] | null;
  defaultEmailAddress?: { emailAddress?: string | null; marketingState?: string | null } | null;
  defaultPhoneNumber?: { phoneNumber?: string | null; marketingState?: string | null } | null;
}

/** An order node as ORDERS_QUERY reads it. */
export interface OrderNode {
  id: string;
  name?: string | null;
  createdAt?: string | null;
  processedAt?: string | null;
  updatedAt?: string | null;
  cancelledAt?: string | null;
  statusPageUrl?: string | null;
  email?: string | null;
  phone?: string | null;
  currencyCode?: string | null;
  totalPriceSet?: Money;
  discountCodes?: string[] | null;
  displayFinancialStatus?: string | null;
  customer?: { id?: string | null } | null;
  lineItems?: {
    nodes?: {
      title?: string | null;
      sku?: string | null;
      quantity?: number | null;
      variantTitle?: string | null;
      originalUnitPriceSet?: Money;
      variant?: { id?: string | null } | null;
      product?: { id?: string | null } | null;
    }[];
  } | null;
}

const PAGE = 'pageInfo { hasNextPage endCursor }';

/** Customers, 250 a page. */
export const CUSTOMERS_QUERY = `query importCustomers($cursor: String) {
  customers(first: 250, after: $cursor) {
    ${PAGE}
    nodes { id firstName lastName updatedAt tags
      defaultEmailAddress { emailAddress marketingState }
      defaultPhoneNumber { phoneNumber marketingState } }
  }
}`;

/** Orders matching a search (`created_at:>=…`), oldest first, 100 a page with their first 50 lines. */
export const ORDERS_QUERY = `query importOrders($cursor: String, $query: String) {
  orders(first: 100, after: $cursor, query: $query, sortKey: CREATED_AT) {
    ${PAGE}
    nodes { id name createdAt processedAt updatedAt cancelledAt statusPageUrl email phone currencyCode
      totalPriceSet { shopMoney { amount currencyCode } } discountCodes displayFinancialStatus
      customer { id }
      lineItems(first: 50) { nodes { title sku quantity variantTitle
        originalUnitPriceSet { shopMoney { amount } } variant { id } product { id } } } }
  }
}`;

/** How many orders match the search (the progress bar's total). */
export const ORDERS_COUNT_QUERY = `query countOrders($query: String) { ordersCount(query: $query, limit: null) { count } }`;

const consent = (state: string | null | undefined) => (state ? { state: state.toLowerCase() } : null);

/** A customer node as a customers/update body. */
export function customerBody(c: CustomerNode) {
  return {
    id: idOfGid(c.id),
    email: c.defaultEmailAddress?.emailAddress ?? null,
    phone: c.defaultPhoneNumber?.phoneNumber ?? null,
    first_name: c.firstName ?? null,
    last_name: c.lastName ?? null,
    tags: (c.tags ?? []).join(', '),
    updated_at: c.updatedAt ?? null,
    email_marketing_consent: consent(c.defaultEmailAddress?.marketingState),
    sms_marketing_consent: consent(c.defaultPhoneNumber?.marketingState),
  };
}

/** An order node as an orders/create body (its customer only by id: consent comes with customers). */
export function orderBody(o: OrderNode) {
  const customerId = idOfGid(o.customer?.id);
  return {
    id: idOfGid(o.id),
    name: o.name ?? null,
    email: o.email ?? null,
    phone: o.phone ?? null,
    created_at: o.createdAt ?? null,
    processed_at: o.processedAt ?? null,
    updated_at: o.updatedAt ?? null,
    cancelled_at: o.cancelledAt ?? null,
    currency: o.totalPriceSet?.shopMoney?.currencyCode ?? o.currencyCode ?? null,
    total_price: o.totalPriceSet?.shopMoney?.amount ?? null,
    financial_status: o.displayFinancialStatus?.toLowerCase() ?? null,
    order_status_url: o.statusPageUrl ?? null,
    discount_codes: (o.discountCodes ?? []).map((code) => ({ code })),
    customer: customerId ? { id: customerId, email: o.email ?? null, phone: o.phone ?? null } : null,
    line_items: (o.lineItems?.nodes ?? []).map((l) => ({
      title: l.title ?? null,
      sku: l.sku ?? null,
      quantity: l.quantity ?? 1,
      variant_title: l.variantTitle ?? null,
      price: l.originalUnitPriceSet?.shopMoney?.amount ?? null,
      variant_id: idOfGid(l.variant?.id),
      product_id: idOfGid(l.product?.id),
    })),
  };
}

/** A fulfilment as RECONCILE_ORDERS_QUERY reads it. */
export interface FulfillmentNode {
  id: string;
  status?: string | null;
  displayStatus?: string | null;
  createdAt?: string | null;
  updatedAt?: string | null;
  trackingInfo?: { number?: string | null; url?: string | null; company?: string | null }[] | null;
}

/** Orders updated since (`updated_at:>=…`), with their fulfilments: what webhooks may have missed. */
export const RECONCILE_ORDERS_QUERY = `query reconcileOrders($cursor: String, $query: String) {
  orders(first: 50, after: $cursor, query: $query, sortKey: UPDATED_AT) {
    ${PAGE}
    nodes { id name createdAt processedAt updatedAt cancelledAt statusPageUrl email phone currencyCode
      totalPriceSet { shopMoney { amount currencyCode } } discountCodes displayFinancialStatus
      customer { id }
      lineItems(first: 50) { nodes { title sku quantity variantTitle
        originalUnitPriceSet { shopMoney { amount } } variant { id } product { id } } }
      fulfillments(first: 10) { id status displayStatus createdAt updatedAt
        trackingInfo(first: 1) { number url company } } }
  }
}`;

/** A fulfilment node as a fulfillments/update body (`displayStatus` read as `shipment_status`). */
export function fulfillmentBody(orderGid: string, f: FulfillmentNode) {
  const tracking = f.trackingInfo?.[0];
  return {
    id: idOfGid(f.id),
    order_id: idOfGid(orderGid),
    status: f.status?.toLowerCase() ?? null,
    shipment_status: f.displayStatus?.toLowerCase() ?? null,
    created_at: f.createdAt ?? null,
    updated_at: f.updatedAt ?? null,
    tracking_number: tracking?.number ?? null,
    tracking_url: tracking?.url ?? null,
    tracking_company: tracking?.company ?? null,
  };
}
