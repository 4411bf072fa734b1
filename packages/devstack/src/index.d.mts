// Types of the devstack entry (plain ESM JavaScript so it runs before dependencies are installed).

/** A failure the user can act on, printed as one line. */
export declare class FatalError extends Error {}
export declare function info(message: string): void;
export declare function step<T>(label: string, fn: () => Promise<T>): Promise<T>;
export declare const ROOT: string;
export declare const DATA_DIR: string;
export declare const CACHE_DIR: string;
export declare function portFree(port: number, host?: string): Promise<boolean>;
export declare function freePort(): Promise<number>;
export declare function waitForPort(port: number, host?: string, timeoutMs?: number): Promise<boolean>;
export declare function canConnect(port: number, host?: string, timeoutMs?: number): Promise<boolean>;
export declare function startPostgres(opts: {
  dir: string;
  port: number;
  database?: string;
  fast?: boolean;
}): Promise<{ url: string; adminUrl: string; stop: () => Promise<void> }>;
export declare function createDatabase(adminUrl: string, database: string): Promise<void>;
export declare function checkDatabase(url: string): Promise<void>;
export declare function redact(url: string): string;
export declare function ensureChromium(): Promise<string>;
export declare function ensureTimeSkippingServer(): Promise<string>;
export declare const SEARCH_ATTRIBUTES: Record<string, string>;
export declare function checkTemporalAddress(address: string): Promise<void>;
export declare function ensureTemporalCli(): Promise<string>;
export declare function startTemporalDevServer(opts: {
  port: number;
  uiPort?: number | null;
  dbFile?: string | null;
  logFile: string;
}): Promise<{ address: string; child: import('node:child_process').ChildProcess; stop: () => Promise<void> }>;
