import { create } from 'zustand';

/** The current path; the app has few routes, so a tiny history-API router is enough. */
export const useRoute = create<{ path: string }>(() => ({ path: window.location.pathname }));

window.addEventListener('popstate', () => useRoute.setState({ path: window.location.pathname }));

/** Navigates without reloading. */
export function navigate(path: string) {
  if (path === window.location.pathname) return;
  window.history.pushState(null, '', path);
  useRoute.setState({ path });
}

const selectPath = (s: { path: string }) => s.path;

/** The current path, re-rendering on change. */
export const usePath = () => useRoute(selectPath);
