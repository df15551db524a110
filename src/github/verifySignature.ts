// createSignatureVerifier: checks GitHub's `X-Hub-Signature-256` against the
// raw request body with @octokit/webhooks, trying every configured secret so a
// secret can be rotated (new secret first, the previous one still accepted).

import { Webhooks } from '@octokit/webhooks';

/** Resolves true when some configured secret signed exactly this body. */
export type SignatureVerifier = (payload: string, signature: string | undefined) => Promise<boolean>;

// The only form GitHub sends; anything else is rejected before any HMAC is computed.
const SIGNATURE_PATTERN = /^sha256=[0-9a-f]{64}$/;

export function createSignatureVerifier(secrets: readonly string[]): SignatureVerifier {
  // Built once at registration: one verifier per secret, in the order given.
  const verifiers = secrets.map((secret) => new Webhooks({ secret }));
  return async (payload, signature) => {
    if (signature === undefined || !SIGNATURE_PATTERN.test(signature) || payload === '') return false;
    for (const webhooks of verifiers) {
      // verify() compares in constant time; it throws only on empty inputs, excluded above.
      if (await webhooks.verify(payload, signature)) return true;
    }
    return false;
  };
}
