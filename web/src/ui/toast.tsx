import { create } from 'zustand';

const useToasts = create<{ items: { id: number; text: string }[] }>(() => ({ items: [] }));
let seq = 0;

/** Shows a short confirmation at the bottom of the screen. */
export function toast(text: string) {
  const id = ++seq;
  useToasts.setState((s) => ({ items: [...s.items, { id, text }] }));
  setTimeout(() => useToasts.setState((s) => ({ items: s.items.filter((t) => t.id !== id) })), 4000);
}

/** Hook form of `toast`, for components. */
export const useToast = () => toast;

const selectItems = (s: { items: { id: number; text: string }[] }) => s.items;

/** Renders the toasts (once, in the shell); announced politely to screen readers. */
export function Toasts() {
  const items = useToasts(selectItems);
  return (
    <div className="toasts" role="status" aria-live="polite">
      {items.map((t) => (
        <div key={t.id} className="toast">
          {t.text}
        </div>
      ))}
    </div>
  );
}
