/**
 * The slice of oidc-provider's API the tests use. oidc-provider ships no type declarations
 * (they live in @types/oidc-provider, which is not installed).
 */
declare module 'oidc-provider' {
  import type { IncomingMessage, ServerResponse } from 'node:http';

  export interface ProviderAccount {
    accountId: string;
    claims(use: string, scope: string): Promise<Record<string, unknown>> | Record<string, unknown>;
  }

  export interface ProviderConfiguration {
    clients?: Array<Record<string, unknown>>;
    jwks?: { keys: Array<Record<string, unknown>> };
    cookies?: { keys?: string[] };
    claims?: Record<string, string[] | null>;
    conformIdTokenClaims?: boolean;
    features?: Record<string, { enabled: boolean }>;
    pkce?: { required?: () => boolean };
    findAccount?: (ctx: unknown, id: string) => Promise<ProviderAccount | undefined>;
  }

  export class Provider {
    constructor(issuer: string, configuration?: ProviderConfiguration);
    readonly issuer: string;
    callback(): (request: IncomingMessage, response: ServerResponse) => void;
  }

  export default Provider;
}
