import { create } from 'zustand';

/** The current path; the app has few routes, so a tiny history-API router is enough. */
export const useRoute = create<{ path: string }>(() => ({ path: window.location.pathname }));

window.addEventListener('popstate', () => useRoute.setState({ path: window.location.pathname }));

/** Navigates without reloading. */
export function navigate(to: string) {
  if (to === window.location.pathname + window.location.search) return;
  window.history.pushState(null, '', to);
  // The path without the query string: pages read their query from window.location.
  useRoute.setState({ path: to.split('?')[0] ?? to });
}

const selectPath = (s: { path: string }) => s.path;

/** The current path, re-rendering on change. */
export const usePath = () => useRoute(selectPath);
