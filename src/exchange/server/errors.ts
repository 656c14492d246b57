/**
 * Kalshi's REST error bodies (kalshi-api.md §8): `{"error": {"code", "message", "details"?}}` for
 * every error except 429, whose body is the bare `{"error": "too many requests"}`.
 */
import type { FastifyReply } from 'fastify';
import { EngineRejection } from '../matching/index.js';

/** An error a route throws to answer with Kalshi's error body. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly apiCode: string,
    message: string,
    readonly details?: string,
  ) {
    super(message);
    this.name = 'HttpError';
  }
}

/** Returns Kalshi's error body. */
export function errorBody(code: string, message: string, details?: string): { error: { code: string; message: string; details?: string } } {
  return { error: { code, message, ...(details === undefined ? {} : { details }) } };
}

/** Sends Kalshi's error body with `status`. */
export function sendError(reply: FastifyReply, status: number, code: string, message: string, details?: string): FastifyReply {
  return reply.code(status).send(errorBody(code, message, details));
}

/** Sends the 429 body Kalshi uses (a bare string, no Retry-After). */
export function sendTooManyRequests(reply: FastifyReply): FastifyReply {
  return reply.code(429).send({ error: 'too many requests' });
}

/** Returns the status, code, message and details of anything a route threw. */
export function describeFailure(error: unknown): { status: number; code: string; message: string; details?: string } {
  if (error instanceof HttpError) return { status: error.status, code: error.apiCode, message: error.message, ...(error.details === undefined ? {} : { details: error.details }) };
  if (error instanceof EngineRejection) return { status: error.status, code: error.reason, message: error.message, ...(error.details === undefined ? {} : { details: error.details }) };
  return { status: 500, code: 'internal_server_error', message: 'internal server error' };
}
