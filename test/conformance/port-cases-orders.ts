/**
 * ExchangePort conformance cases on order entry: post-only, idempotent create, amend, decrease, cancel, IOC, batches, errors.
 */
import assert from 'node:assert/strict';
import { ApiError, KalshiMmError, OrderRejectedError, type Price } from '../../src/core/index.js';
import { c, level, limit, p, positionOf, restingIn, type CaseContext } from './port-kit.js';

/** Declares the order-entry cases. */
export function orderCases({ fixture, market, it }: CaseContext): void {
  it('postOnlyRests', 'a post-only bid below the best ask rests and is listed by getOrders({ status: resting })', async () => {
    const f = fixture();
    const ticker = market();
    await f.seedBook(ticker, { yes: [], no: [level(45, 5)] });
    const request = limit(ticker, 'bid', 54, 3);
    const ack = await f.port.createOrder(request);
    assert.equal(ack.fillCount, 0);
    assert.equal(ack.remainingCount, c(3));
    await f.settle();
    const resting = await f.port.getOrders({ status: 'resting' });
    const mine = resting.find((o) => o.orderId === ack.orderId);
    assert.ok(mine, `order ${ack.orderId} is among the resting orders`);
    assert.equal(mine.ticker, ticker);
    assert.equal(mine.side, 'bid');
    assert.equal(mine.price, p(54));
    assert.equal(mine.remainingCount, c(3));
    assert.equal(mine.fillCount, 0);
    assert.equal(mine.clientOrderId, request.clientOrderId);
    assert.equal((await f.port.getOrder(ack.orderId)).status, 'resting');
  });

  it('postOnlyCrossRejected', 'a post-only bid at the best ask is rejected with OrderRejectedError or ApiError, not filled', async () => {
    const f = fixture();
    const ticker = market();
    await f.seedBook(ticker, { yes: [], no: [level(45, 5)] });
    await assert.rejects(
      f.port.createOrder(limit(ticker, 'bid', 55, 2)),
      (e: unknown) => e instanceof OrderRejectedError || (e instanceof ApiError && e.status >= 400 && e.status < 500),
      'a crossing post-only order is refused at the call',
    );
    await f.seedBook(ticker, { yes: [level(40, 5)], no: [] });
    await assert.rejects(
      f.port.createOrder(limit(ticker, 'ask', 40, 2)),
      (e: unknown) => e instanceof OrderRejectedError || (e instanceof ApiError && e.status >= 400 && e.status < 500),
      'a crossing post-only ask is refused at the call',
    );
    await f.settle();
    assert.equal(await positionOf(f.port, ticker), 0, 'nothing was bought or sold');
    assert.equal((await restingIn(f.port, ticker)).length, 0, 'nothing rests');
    const book = await f.port.getOrderBook(ticker);
    assert.deepEqual(book.no, [level(45, 5)], 'the ask the bid would have crossed is untouched');
    assert.deepEqual(book.yes, [level(40, 5)], 'the bid the ask would have crossed is untouched');
  });

  it(
    'idempotentCreate',
    'a create retried with the same clientOrderId returns the same order id and leaves exactly one resting order',
    async () => {
      const f = fixture();
      const ticker = market();
      const request = limit(ticker, 'bid', 30, 2);
      const first = await f.port.createOrder(request);
      const again = await f.port.createOrder(request);
      await f.settle();
      const late = await f.port.createOrder(request);
      assert.equal(again.orderId, first.orderId, 'an immediate retry returns the existing order');
      assert.equal(late.orderId, first.orderId, 'a retry after the order rests returns it too');
      await f.settle();
      const resting = await restingIn(f.port, ticker);
      assert.deepEqual(
        resting.map((o) => o.orderId),
        [first.orderId],
        'exactly one resting order',
      );
    },
  );

  it('amend', 'amend moves the price and takes count as the new total including fills', async () => {
    const f = fixture();
    const ticker = market();
    const ack = await f.port.createOrder(limit(ticker, 'bid', 30, 5));
    await f.settle();
    await f.trade(ticker, 'ask', p(30), c(2));
    await f.settle();
    const filled = await f.port.getOrder(ack.orderId);
    assert.equal(filled.fillCount, c(2), 'precondition: another participant sold 2 into the bid');
    assert.equal(filled.remainingCount, c(3));
    const amended = await f.port.amendOrder({ orderId: ack.orderId, ticker, side: 'bid', price: p(31), count: c(6) });
    assert.equal(amended.remainingCount, c(4), 'count 6 is the total: 2 filled + 4 remaining');
    await f.settle();
    const after = await f.port.getOrder(amended.orderId);
    assert.equal(after.status, 'resting');
    assert.equal(after.price, p(31));
    assert.equal(after.fillCount, c(2));
    assert.equal(after.remainingCount, c(4));
  });

  it('decrease', 'decrease keeps the order resting with the smaller remainder (by and to)', async () => {
    const f = fixture();
    const ticker = market();
    const ack = await f.port.createOrder(limit(ticker, 'bid', 30, 5));
    await f.settle();
    const by = await f.port.decreaseOrder({ orderId: ack.orderId, ticker, reduceBy: c(2) });
    assert.equal(by.orderId, ack.orderId);
    assert.equal(by.remainingCount, c(3));
    await f.settle();
    let order = await f.port.getOrder(ack.orderId);
    assert.equal(order.status, 'resting');
    assert.equal(order.remainingCount, c(3));
    const to = await f.port.decreaseOrder({ orderId: ack.orderId, ticker, reduceTo: c(1) });
    assert.equal(to.remainingCount, c(1));
    await f.settle();
    order = await f.port.getOrder(ack.orderId);
    assert.equal(order.status, 'resting');
    assert.equal(order.remainingCount, c(1));
    assert.equal(order.price, p(30), 'a decrease keeps the price');
    const resting = await restingIn(f.port, ticker);
    assert.deepEqual(
      resting.map((o) => o.orderId),
      [ack.orderId],
    );
  });

  it('cancel', 'cancelOrder leaves the order queryable as canceled, and a second cancel throws ApiError 404', async () => {
    const f = fixture();
    const ticker = market();
    const request = limit(ticker, 'bid', 30, 4);
    const ack = await f.port.createOrder(request);
    await f.settle();
    const cancel = await f.port.cancelOrder(ack.orderId, ticker);
    assert.equal(cancel.orderId, ack.orderId);
    assert.equal(cancel.reducedBy, c(4));
    await f.settle();
    const order = await f.port.getOrder(ack.orderId);
    assert.equal(order.status, 'canceled');
    assert.equal(order.remainingCount, 0);
    assert.equal((await restingIn(f.port, ticker)).length, 0);
    await assert.rejects(
      f.port.cancelOrder(ack.orderId, ticker),
      (e: unknown) => e instanceof ApiError && e.status === 404,
      'a second cancel is a 404',
    );
  });

  it('cancelAll', "cancelAll leaves none of our orders resting and keeps other participants' orders", async () => {
    const f = fixture();
    const first = market();
    const second = market();
    await f.seedBook(first, { yes: [level(20, 7)], no: [level(60, 1)] });
    await f.port.createOrder(limit(first, 'bid', 30, 1));
    await f.port.createOrder(limit(first, 'ask', 70, 1));
    await f.port.createOrder(limit(second, 'bid', 10, 1));
    await f.settle();
    assert.ok((await f.port.getOrders({ status: 'resting' })).length >= 3, 'precondition: three of our orders rest');
    await f.port.cancelAll();
    await f.settle();
    assert.deepEqual(await f.port.getOrders({ status: 'resting' }), [], 'no order of ours rests anywhere');
    const book = await f.port.getOrderBook(first);
    assert.deepEqual(book.yes, [level(20, 7)], "the other participant's bid still rests");
    assert.deepEqual(book.no, [level(60, 1)], "the other participant's ask still rests");
  });

  it('iocPosition', 'a marketable IOC against resting liquidity executes, and getPositions moves by its fill count', async () => {
    const f = fixture();
    const ticker = market();
    await f.seedBook(ticker, { yes: [], no: [level(40, 3)] });
    const before = await positionOf(f.port, ticker);
    const ack = await f.port.createOrder(limit(ticker, 'bid', 62, 5, { postOnly: false, timeInForce: 'immediate_or_cancel' }));
    await f.settle();
    const order = await f.port.getOrder(ack.orderId);
    assert.equal(order.fillCount, c(3), 'it took the 3 contracts offered at 60¢');
    assert.equal(order.remainingCount, 0, 'the IOC remainder is not left resting');
    assert.notEqual(order.status, 'resting');
    assert.equal((await positionOf(f.port, ticker)) - before, c(3));
    assert.equal((await restingIn(f.port, ticker)).length, 0);
  });

  it('iocNoRest', 'a non-marketable IOC never rests: it ends with nothing filled and is not among the resting orders', async () => {
    const f = fixture();
    const ticker = market();
    await f.seedBook(ticker, { yes: [], no: [level(40, 3)] });
    const request = limit(ticker, 'bid', 50, 2, { postOnly: false, timeInForce: 'immediate_or_cancel' });
    let orderId: string | undefined;
    try {
      orderId = (await f.port.createOrder(request)).orderId;
    } catch (error) {
      // Refusing an IOC that cannot fill at the call is as good as cancelling it.
      assert.ok(error instanceof OrderRejectedError || error instanceof ApiError, `refused with a typed error, was ${String(error)}`);
    }
    await f.settle();
    assert.equal((await restingIn(f.port, ticker)).length, 0, 'the IOC (asks start at 60¢, it bids 50¢) does not rest');
    if (orderId !== undefined) {
      const order = await f.port.getOrder(orderId);
      assert.notEqual(order.status, 'resting');
      assert.equal(order.fillCount, 0);
      assert.equal(order.remainingCount, 0);
    }
    assert.equal(await positionOf(f.port, ticker), 0);
  });

  it(
    'typedErrors',
    'calls about an order that never existed throw ApiError 404, and an invalid request throws a KalshiMmError',
    async () => {
      const f = fixture();
      const ticker = market();
      const missing = 'conf-no-such-order';
      const problems: string[] = [];
      const expect = async (what: string, call: () => Promise<unknown>, ok: (e: unknown) => boolean, expected: string): Promise<void> => {
        try {
          await call();
          problems.push(`${what} resolved instead of throwing ${expected}`);
        } catch (error) {
          if (!ok(error))
            problems.push(`${what} threw ${error instanceof Error ? error.name : typeof error} (${String(error)}), expected ${expected}`);
        }
      };
      const is404 = (e: unknown): boolean => e instanceof ApiError && e.status === 404;
      await expect('getOrder', () => f.port.getOrder(missing), is404, 'ApiError 404');
      await expect('cancelOrder', () => f.port.cancelOrder(missing, ticker), is404, 'ApiError 404');
      await expect(
        'amendOrder',
        () => f.port.amendOrder({ orderId: missing, ticker, side: 'bid', price: p(30), count: c(1) }),
        is404,
        'ApiError 404',
      );
      await expect('decreaseOrder', () => f.port.decreaseOrder({ orderId: missing, ticker, reduceBy: c(1) }), is404, 'ApiError 404');
      const typed = (e: unknown): boolean => e instanceof KalshiMmError;
      await expect('createOrder with count 0', () => f.port.createOrder(limit(ticker, 'bid', 30, 0)), typed, 'a KalshiMmError');
      await expect(
        'createOrder off the grid',
        () => f.port.createOrder({ ...limit(ticker, 'bid', 30, 1), price: 5_550 as Price }),
        typed,
        'a KalshiMmError',
      );
      assert.deepEqual(problems, []);
      await f.settle();
      assert.equal((await restingIn(f.port, ticker)).length, 0, 'no invalid order rests');
    },
  );

  it('batch', 'batched creates and cancels answer per item: one bad price or one gone order does not fail the others', async () => {
    const f = fixture();
    const ticker = market();
    // 55.5¢ is off the grid (cent steps between 10¢ and 90¢).
    const results = await f.port.createOrders([limit(ticker, 'bid', 30, 1), { ...limit(ticker, 'bid', 30, 1), price: 5_550 as Price }]);
    assert.equal(results.length, 2);
    const [good, bad] = results;
    assert.ok(good?.ok === true, 'the valid order was created');
    assert.ok(bad?.ok === false, 'the off-grid order failed on its own');
    assert.equal(bad.errorCode, 'invalid_price');
    await f.settle();
    await f.port.cancelOrder(good.ack.orderId, ticker);
    await f.settle();
    const second = await f.port.createOrder(limit(ticker, 'bid', 29, 1));
    await f.settle();
    const cancels = await f.port.cancelOrders([
      { orderId: second.orderId, ticker },
      { orderId: good.ack.orderId, ticker },
    ]);
    assert.equal(cancels.length, 2);
    const [done, gone] = cancels;
    assert.ok(done !== undefined && 'reducedBy' in done, 'the resting order was cancelled');
    assert.equal(done.reducedBy, c(1));
    assert.ok(gone !== undefined && 'errorCode' in gone, 'the already cancelled order is an error item');
    await f.settle();
    assert.equal((await restingIn(f.port, ticker)).length, 0);
  });
}
