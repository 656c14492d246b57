/**
 * kalshi: the protocol layer. `ExchangeClient` (the ExchangePort over REST + WebSocket), the raw REST
 * and WS clients, signing and credentials, local books. Wire schemas and conversion: `./wire`.
 */
export { ExchangeClient, KALSHI_ENVIRONMENTS, type ExchangeClientOptions } from './client.js';
export { OrderBooks, type DeltaOutcome } from './books.js';
export { EventPump, type EventPumpHost } from './event-pump.js';
export { FeeSchedules, type MarketFees } from './fee-schedules.js';
export { signedHeaders, signingPayload, signRequest, verifySignature, WS_SIGN_PATH, type SignedHeaders } from './sign.js';
export { credentialsFromEnvironment, credentialsFromPem, loadCredentials, type CredentialsSource, type KalshiCredentials } from './credentials.js';
export * from './rest/index.js';
export * from './ws/index.js';
