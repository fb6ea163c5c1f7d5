/**
 * A real OpenID Connect provider for single-sign-on tests: panva's `oidc-provider` (the certified
 * implementation) on a loopback port, with its development login and consent pages, which plain
 * HTTP form posts drive (see {@link HttpBrowser}). Nothing is mocked: Tandem discovers it, sends
 * the browser to it, exchanges the code at its token endpoint and verifies its signed ID tokens.
 *
 * The issuer URL (its port) must be known before Tandem starts, and Tandem's redirect URI only
 * after; so the HTTP server listens first and the provider is built by {@link TestProvider.register}.
 *
 * @example
 * const idp = await startTestProvider();
 * idp.accounts.set('ana', { email: 'ana@example.com', 'sagemaker:groups': ['reviewers'] });
 * const tandem = await startTestTandem('sqlite', { oidcIssuer: idp.issuer, oidcClientId: 'tandem' });
 * idp.register({ client_id: 'tandem', token_endpoint_auth_method: 'none', redirect_uris: [`${tandem.url}/portal/sso/callback`] });
 */
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import Provider from 'oidc-provider';

export interface TestProviderOptions {
  /**
   * Put scope claims (email, groups…) in the ID token too. By default the provider follows OIDC
   * Core for the code flow and releases them only from the UserInfo endpoint.
   */
  claimsInIdToken?: boolean;
  /** Claim names released with the `openid` scope besides `sub`. @defaultValue `['sagemaker:groups']` */
  openidClaims?: string[];
}

export interface TestProvider {
  issuer: string;
  /** Login name → claims (besides `sub`, which is the login name). Change them between sign-ins at will. */
  accounts: Map<string, Record<string, unknown>>;
  /** Every request the provider received: method, path, and whether it carried HTTP Basic client credentials. */
  requests: Array<{ method: string; path: string; basicAuth: boolean }>;
  /** Builds the provider with this one client; requests before this get 503. */
  register(client: Record<string, unknown>): void;
  close(): Promise<void>;
}

export async function startTestProvider(options: TestProviderOptions = {}): Promise<TestProvider> {
  let handler: ((request: IncomingMessage, response: ServerResponse) => void) | undefined;
  const requests: TestProvider['requests'] = [];
  const server: Server = createServer((request, response) => {
    const path = new URL(request.url ?? '/', 'http://provider').pathname;
    requests.push({ method: request.method ?? 'GET', path, basicAuth: /^Basic /i.test(request.headers.authorization ?? '') });
    if (handler) return handler(request, response);
    response.writeHead(503).end('provider not registered yet');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const accounts = new Map<string, Record<string, unknown>>();
  const signingKey = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ format: 'jwk' });

  return {
    issuer,
    accounts,
    requests,
    register(client) {
      const provider = new Provider(issuer, {
        clients: [{ grant_types: ['authorization_code'], response_types: ['code'], ...client }],
        jwks: { keys: [{ ...signingKey, alg: 'RS256', use: 'sig', kid: 'test-key' }] },
        cookies: { keys: [randomBytes(32).toString('hex')] },
        claims: {
          openid: ['sub', ...(options.openidClaims ?? ['sagemaker:groups'])],
          email: ['email', 'email_verified'],
          profile: ['name'],
        },
        conformIdTokenClaims: !options.claimsInIdToken,
        // PKCE for every client, confidential ones included (OAuth 2.1; Tandem always sends it).
        pkce: { required: () => true },
        features: { devInteractions: { enabled: true } },
        async findAccount(_ctx, id) {
          const claims = accounts.get(id);
          if (!claims) return undefined;
          return { accountId: id, claims: () => ({ ...claims, sub: id }) };
        },
      });
      handler = provider.callback();
    },
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
