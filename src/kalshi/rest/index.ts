/** Raw REST: endpoint methods, the signed/paced/retried transport, the token-bucket limiter. */
export * from './client.js';
export { HttpTransport, type HttpRequest, type HttpResponse, type HttpTransportOptions, type RetryPolicy } from './http.js';
export * from './limiter.js';
