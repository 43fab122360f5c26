import type { Logger } from '../ports.js';

/** Local console logging, prefixed with the function's name like the Functions host does. */
export function consoleLogger(name: string): Logger {
  const line = (message: string) => `${new Date().toISOString()} [${name}] ${message}`;
  return {
    info: (message, ...details) => console.log(line(message), ...details),
    warn: (message, ...details) => console.warn(line(message), ...details),
    error: (message, ...details) => console.error(line(message), ...details),
  };
}
