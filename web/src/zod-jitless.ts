import { z } from 'zod';

// The server's Content-Security-Policy forbids eval. Zod would compile object parsers with
// `new Function`, and even its probe for that is reported as a CSP violation, so the app parses
// without it. main.tsx imports this module first, before any schema runs.
z.config({ jitless: true });
