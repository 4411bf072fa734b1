import { ForTag, type Hash, TablerowTag, type Template, type Token, TypeGuards, toValueSync } from 'liquidjs';

// Iterations of one loop when its collection is a literal range (`(1..50)`, with a literal
// `limit:` applied); 1 when it depends on data, which the render limits bound instead.
function literalCount(collection: Token, hash: Hash): number {
  if (!TypeGuards.isRangeToken(collection)) return 1;
  const { lhs, rhs } = collection;
  if (!TypeGuards.isNumberToken(lhs) || !TypeGuards.isNumberToken(rhs)) return 1;
  let count = Math.max(0, Math.floor(rhs.content) - Math.floor(lhs.content) + 1);
  const limit = hash.hash.limit;
  if (limit && TypeGuards.isNumberToken(limit)) count = Math.min(count, Math.max(0, limit.content));
  return count;
}

// A loop's body runs `count` times; a for-loop's `else` branch runs instead of it, not inside it.
function loopOf(t: Template): { count: number; body: Template[]; once: Template[] } | null {
  if (t instanceof ForTag)
    return { count: literalCount(t.collection, t.hash), body: t.templates, once: t.elseTemplates };
  if (t instanceof TablerowTag)
    return { count: literalCount(t.collection, t.args), body: t.templates, once: [] };
  return null;
}

/**
 * Loop iterations a parsed template asks for through literal ranges: each loop's count times the
 * counts of the loops around it, summed over all loops. Known before rendering, so a template
 * that would spin for seconds is refused at compile time.
 */
export function templateCost(templates: Template[], outer = 1): number {
  let total = 0;
  for (const t of templates) {
    const loop = loopOf(t);
    if (loop) {
      const inner = outer * loop.count;
      total += inner + templateCost(loop.body, inner) + templateCost(loop.once, outer);
    } else if (t.children) {
      // Other block tags (if, case, capture, liquid, …) expose their bodies; partials never exist.
      total += templateCost(toValueSync(t.children(false, true)), outer);
    }
    // Past any budget already: stop walking (the numbers only grow).
    if (!Number.isFinite(total) || total > Number.MAX_SAFE_INTEGER) return Number.MAX_SAFE_INTEGER;
  }
  return total;
}
