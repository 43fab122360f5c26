import { defineConfig } from 'vitest/config';
import base from './vitest.config.js';

/** What `npm run test:mutation` runs against each mutant: the unit tests alone (no build, no browser). */
export default defineConfig({ test: { ...base.test, include: ['functions/test/unit/**/*.test.ts'] } });
