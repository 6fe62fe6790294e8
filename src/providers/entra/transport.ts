import { rootCertificates } from 'node:tls';
import { Agent } from 'undici';

/**
 * TLS trust and connection pooling shared by every HTTPS call of one Entra directory (Graph via
 * the SDK's `fetchOptions.dispatcher`, msal's network client for ROPC, the authority probe).
 *
 * A configured `caCertificate` is trusted in addition to Node's public roots, so one setting
 * serves both a TLS-inspecting proxy's private CA and the loopback emulator.
 */
export function trustedCas(caCertificate: string | undefined): string[] | undefined {
  return caCertificate === undefined ? undefined : [...rootCertificates, caCertificate];
}

export function createDispatcher(caCertificate: string | undefined, connections: number): Agent {
  const ca = trustedCas(caCertificate);
  return new Agent({
    connections,
    keepAliveTimeout: 30_000,
    // Timeouts are enforced per request by the caller (AbortSignal), not by the pool.
    headersTimeout: 0,
    bodyTimeout: 0,
    ...(ca ? { connect: { ca } } : {}),
  });
}
