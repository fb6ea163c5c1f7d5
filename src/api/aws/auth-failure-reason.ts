import type { AuthenticationError } from './errors.js';

/**
 * Why a request's credentials were refused, in an operator's words, for the log: the client
 * gets AWS's wording (and must not learn more), the operator needs to tell a revoked key from
 * a drifting clock. Holds the access key id (public) but never a signature or secret.
 */
export function authFailureReason(error: AuthenticationError, authorization: string | undefined): string {
  const keyId = /Credential=([A-Za-z0-9]{1,128})\//.exec(authorization ?? '')?.[1];
  const key = keyId ? ` (access key ${keyId})` : '';
  const message = error.message;
  switch (error.code) {
    case 'MissingAuthenticationTokenException':
      return 'unsigned request: no AWS Signature V4 Authorization header';
    case 'IncompleteSignatureException':
      return `malformed Authorization header or X-Amz-Date${key}`;
    case 'UnrecognizedClientException':
      return message.endsWith('.') ? `unknown or revoked access key${key}` : `invalid session token${key}`;
    case 'InvalidSignatureException':
      if (message.startsWith('Signature expired') || message.startsWith('Signature not yet current')) {
        return `clock skew: X-Amz-Date is more than 15 minutes from the server's time${key}`;
      }
      if (message.startsWith('Credential should be scoped to a valid region')) return `signed for another region${key}`;
      if (message.startsWith('Credential should be scoped to correct service')) return `signed for another service than sagemaker${key}`;
      if (message.startsWith('The request signature we calculated')) return `bad signature: wrong secret key or the request changed after signing${key}`;
      return `invalid credential scope or signed headers${key}`;
  }
}
