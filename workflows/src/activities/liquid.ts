import { createRequire } from 'node:module';

// liquidjs is a dependency of @hourglass/nodes, not of this package (the brief forbids installing
// here). Until @hourglass/nodes exports a render function, resolve liquidjs from where that package
// lives, so both render with the same library version.
interface LiquidEngine {
  parseAndRender(source: string, scope: Record<string, unknown>): Promise<string>;
}
type LiquidModule = { Liquid: new (opts: Record<string, unknown>) => LiquidEngine };

let engine: LiquidEngine | undefined;

function getEngine(): LiquidEngine {
  if (!engine) {
    const here = createRequire(import.meta.url);
    const fromNodes = createRequire(here.resolve('@hourglass/nodes'));
    const { Liquid } = fromNodes('liquidjs') as LiquidModule;
    // Lenient on purpose: a missing variable renders empty instead of failing a customer's journey
    // (the compiler already warns about unknown variables).
    engine = new Liquid({ cache: true, strictVariables: false, strictFilters: false });
  }
  return engine;
}

/** Renders a Liquid template; plain text skips the engine. */
export async function renderLiquid(source: string, scope: Record<string, unknown>): Promise<string> {
  if (!source.includes('{')) return source;
  return getEngine().parseAndRender(source, scope);
}
