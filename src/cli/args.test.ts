import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseFlags } from './args.js';

test('a negative number or offset after a string flag is its value, as the help writes it (--utc-offset -05:00)', () => {
  const options = { 'utc-offset': { type: 'string' }, gamma: { type: 'string' }, json: { type: 'boolean' } } as const;
  const { values } = parseFlags(['--utc-offset', '-05:00', '--gamma', '-0.5', '--json'], options);
  assert.equal(values['utc-offset'], '-05:00');
  assert.equal(values.gamma, '-0.5');
  assert.equal(values.json, true);
  // Anything else that starts with a dash is still a flag, never swallowed as a value.
  assert.throws(() => parseFlags(['--gamma', '--json'], options), /argument is ambiguous|argument missing/);
  assert.throws(() => parseFlags(['--json', '-5'], options), /Unknown option/);
});
