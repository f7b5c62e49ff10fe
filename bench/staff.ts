import { ACCESS_TOKEN_TTL_SECONDS, type Principal, signAccessToken, tokenVerifier } from '@dcrm/kit';

/** The demo Volt manager (every segment, `opportunity:read` and `ticket:read`), seeded by the customer subgraph. */
export const STAFF_EMAIL = 'manager@volt.example';
const DEMO_PASSWORD = 'dcrm-demo-2026';

/** Re-signed this often, well inside the access token's lifetime (a long `--duration` outlasts one token). */
const REFRESH_MS = Math.min(5 * 60_000, (ACCESS_TOKEN_TTL_SECONDS * 1000) / 3);

export type StaffSession = {
  /** The staff principal the token carries: the direct baseline signs it for the subgraph. */
  principal: Principal;
  /** `authorization: Bearer <token>`, always a fresh enough token. */
  headers(): Record<string, string>;
  stop(): void;
};

/**
 * Signs the demo manager in once through `graphqlUrl` (`staffLogin`, as a back-office client does), then
 * keeps the bearer token fresh by re-signing the same principal and session with the shared
 * DCRM_JWT_SECRET, as bench/live.ts signs its subscribers' tokens: no sign-in per request, no expiry mid-run.
 */
export async function staffSession(graphqlUrl: string, jwtSecret: string): Promise<StaffSession> {
  const res = await fetch(graphqlUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      query: 'mutation StaffLogin($input: LoginInput!) { staffLogin(input: $input) { accessToken userErrors { code message } } }',
      variables: { input: { email: STAFF_EMAIL, password: DEMO_PASSWORD } },
    }),
    signal: AbortSignal.timeout(30_000),
  });
  const body = (await res.json()) as { data?: { staffLogin?: { accessToken?: string | null } | null }; errors?: unknown[] };
  const signedIn = body.data?.staffLogin?.accessToken;
  if (!signedIn) throw new Error(`staff sign-in at ${graphqlUrl} failed: ${JSON.stringify(body).slice(0, 300)}`);
  const verified = await tokenVerifier({ DCRM_JWT_SECRET: jwtSecret })(signedIn);
  if (!verified) throw new Error(`staff sign-in at ${graphqlUrl}: the access token does not verify`);
  const { principal, sessionId } = verified;
  const secret = new TextEncoder().encode(jwtSecret);
  let token = signedIn;
  const timer = setInterval(() => {
    signAccessToken(principal, secret, sessionId ?? 'bench').then(
      (signed) => {
        token = signed.token;
      },
      () => {},
    );
  }, REFRESH_MS);
  timer.unref();
  return { principal, headers: () => ({ authorization: `Bearer ${token}` }), stop: () => clearInterval(timer) };
}
