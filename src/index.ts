/** Package entry: `import { defineRule, testRule } from 'suwinet-audit'`. */
export * from './rule-api/index.js';
