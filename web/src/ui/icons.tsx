import { icons, type LucideIcon, Square } from 'lucide-react';

const pascal = (name: string) =>
  name
    .split('-')
    .map((p) => p.charAt(0).toUpperCase() + p.slice(1))
    .join('');

/** The lucide icon named by a node UI (kebab-case, e.g. "git-branch"); unknown names get a square. */
export function iconFor(name: string): LucideIcon {
  return (icons as Record<string, LucideIcon>)[pascal(name)] ?? Square;
}
