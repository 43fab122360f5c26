import type { Logger } from '../ports.js';

const LEVELS = ['info', 'warn', 'error'] as const;
type Level = (typeof LEVELS)[number];
let threshold = 0;

/** Set once by the local host from LOG_LEVEL; quieter levels keep benchmarks honest. */
export function setLogLevel(level: Level): void {
  threshold = LEVELS.indexOf(level);
}

/** Local console logging, prefixed with the function's name like the Functions host does. */
export function consoleLogger(name: string): Logger {
  const line = (message: string) => `${new Date().toISOString()} [${name}] ${message}`;
  return {
    info: (message, ...details) => threshold <= 0 && console.log(line(message), ...details),
    warn: (message, ...details) => threshold <= 1 && console.warn(line(message), ...details),
    error: (message, ...details) => console.error(line(message), ...details),
  };
}
