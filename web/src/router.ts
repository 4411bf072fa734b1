import { create } from 'zustand';

/** The current path and query; the app has few routes, so a tiny history-API router is enough. */
export const useRoute = create<{ path: string; search: string }>(() => ({
  path: window.location.pathname,
  search: window.location.search,
}));

window.addEventListener('popstate', () =>
  useRoute.setState({ path: window.location.pathname, search: window.location.search }),
);

/** Navigates without reloading. */
export function navigate(to: string) {
  if (to === window.location.pathname + window.location.search) return;
  window.history.pushState(null, '', to);
  // The path without the query string; the query on its own, for pages that filter by it.
  useRoute.setState({ path: window.location.pathname, search: window.location.search });
}

const selectPath = (s: { path: string }) => s.path;

/** The current path, re-rendering on change. */
export const usePath = () => useRoute(selectPath);

const selectSearch = (s: { search: string }) => s.search;

/** The current query string ("?customerId=…"), re-rendering on change. */
export const useSearch = () => useRoute(selectSearch);
