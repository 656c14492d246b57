import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
import { stderrLogger } from './backtest.js';

test('the backtest logger keeps a child\'s bindings, so a warning names its run (market, γ, κ)', () => {
  const stderr = new PassThrough();
  const chunks: Buffer[] = [];
  stderr.on('data', (c: Buffer) => chunks.push(c));
  const logger = stderrLogger(stderr).child({ ticker: 'M', gamma: 0.1, kappa: 1.5 });
  logger.warn({ kind: 'amend' }, 'amend failed');
  logger.child({ order: 'a' }).error({}, 'boom');
  logger.info({}, 'not at warn level');
  assert.equal(
    Buffer.concat(chunks).toString('utf8'),
    'warn amend failed {"ticker":"M","gamma":0.1,"kappa":1.5,"kind":"amend"}\nerror boom {"ticker":"M","gamma":0.1,"kappa":1.5,"order":"a"}\n',
  );
});
