/**
 * The fastify application of the local exchange: Kalshi's REST API under /trade-api/v2 (auth,
 * rate limits, faults, Kalshi-shaped errors) and the loopback-only admin API under /_admin.
 */
import Fastify, { type FastifyInstance, type FastifyRequest } from 'fastify';
import { signedHeadersOf, verifySignedRequest } from '../auth/index.js';
import type { ServerContext } from './context.js';
import { describeFailure, errorBody, sendError, sendTooManyRequests } from './errors.js';
import { costOfRequest } from './rate-limit.js';
import { registerAdminRoutes } from './routes-admin.js';
import { registerMarketRoutes } from './routes-market.js';
import { registerOrderGroupRoutes } from './routes-order-groups.js';
import { registerOrderRoutes } from './routes-orders.js';
import { registerPortfolioRoutes } from './routes-portfolio.js';

/** Where Kalshi's REST API is mounted. */
export const REST_PREFIX = '/trade-api/v2';

declare module 'fastify' {
  interface FastifyRequest {
    /** The authenticated account ('' when the request was not signed). */
    accountId: string;
  }
  interface FastifyContextConfig {
    /** `private`: requires a valid signature (401 otherwise); `public`: signature optional. */
    auth?: 'private' | 'public';
  }
}

/** Returns the fastify app (not listening). */
export function buildApp(ctx: ServerContext): FastifyInstance {
  const app = Fastify({ logger: false, forceCloseConnections: true, routerOptions: { ignoreTrailingSlash: true } });
  app.decorateRequest('accountId', '');
  // Kalshi's clients send DELETE with a JSON content type and no body; an empty body is "no body".
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (_req, body, done) => {
    const text = typeof body === 'string' ? body : body.toString('utf8');
    if (text.trim() === '') {
      done(null, undefined);
      return;
    }
    try {
      done(null, JSON.parse(text) as unknown);
    } catch {
      done(Object.assign(new Error('body: expected JSON'), { statusCode: 400, code: 'invalid_parameters' }), undefined);
    }
  });

  app.addHook('onRequest', async (request, reply) => {
    if (!request.url.startsWith(REST_PREFIX)) return;
    const delay = ctx.faults.drawDelayMs();
    if (delay > 0) await ctx.clock.sleep(delay);
    const status = ctx.faults.drawFailure();
    if (status === 429) return sendTooManyRequests(reply);
    if (status !== undefined) return sendError(reply, status, status === 503 ? 'service_unavailable' : 'internal_server_error', 'injected fault');
    return undefined;
  });

  app.addHook('preHandler', async (request, reply) => {
    if (!request.url.startsWith(REST_PREFIX) || request.is404) return undefined;
    const auth = request.routeOptions.config.auth ?? 'private';
    const result = authenticate(ctx, request);
    if (result.ok) request.accountId = result.accountId;
    else if (auth === 'private') return sendError(reply, 401, 'authentication_error', result.reason);
    if (request.accountId === '') return undefined;
    const route = (request.routeOptions.url ?? '').slice(REST_PREFIX.length);
    const body = request.body as { orders?: unknown } | undefined;
    const items = Array.isArray(body?.orders) ? body.orders.length : 1;
    const { bucket, cost } = costOfRequest(request.method, route, items);
    if (!ctx.limiter.admit(request.accountId, bucket, cost)) return sendTooManyRequests(reply);
    return undefined;
  });

  app.setErrorHandler((error, request, reply) => {
    const failure = describeFailure(error);
    const fastifyStatus = (error as { statusCode?: unknown }).statusCode;
    if (failure.status === 500 && typeof fastifyStatus === 'number' && fastifyStatus < 500) {
      return reply.code(fastifyStatus).send(errorBody('invalid_parameters', error instanceof Error ? error.message : 'bad request'));
    }
    if (failure.status >= 500) ctx.logger.error({ method: request.method, url: request.url, err: error instanceof Error ? error.message : String(error) }, 'request failed');
    return reply.code(failure.status).send(errorBody(failure.code, failure.message, failure.details));
  });
  app.setNotFoundHandler((request, reply) => sendError(reply, 404, 'not_found', `no route ${request.method} ${request.url.split('?')[0] ?? ''}`));

  void app.register(
    async (api) => {
      registerMarketRoutes(api, ctx);
      registerPortfolioRoutes(api, ctx);
      registerOrderRoutes(api, ctx);
      registerOrderGroupRoutes(api, ctx);
    },
    { prefix: REST_PREFIX },
  );
  void app.register(async (admin) => registerAdminRoutes(admin, ctx), { prefix: '/_admin' });
  return app;
}

function authenticate(ctx: ServerContext, request: FastifyRequest): ReturnType<typeof verifySignedRequest> {
  return verifySignedRequest({
    registry: ctx.keys,
    headers: signedHeadersOf(request.headers),
    method: request.method,
    path: request.url,
    nowMs: ctx.clock.nowMs(),
    windowMs: ctx.authWindowMs,
  });
}
