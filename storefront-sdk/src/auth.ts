import type { RequestOptions, StorefrontAuth } from './client-types.js';
import { documentText } from './document.js';
import type { GraphQLResult } from './errors.js';
import {
  CustomerLoginDocument,
  type CustomerLoginMutation,
  CustomerLogoutDocument,
  type CustomerLogoutMutation,
  CustomerRegisterDocument,
  type CustomerRegisterInput,
  type CustomerRegisterMutation,
  type LoginInput,
} from './generated/graphql.js';
import { type Execute, type Renewal, type RenewedPayload, toSession } from './renewal.js';
import type { Session } from './session.js';
import type { SessionKeeper } from './session-keeper.js';

export type AuthDeps = { keeper: SessionKeeper; renewal: Renewal; execute: Execute; now: () => number };

/** `client.auth`: sign-in and registration store the session they return; sign-out forgets it whatever the server says. */
export function createAuth({ keeper, renewal, execute, now }: AuthDeps): StorefrontAuth {
  const signIn = async <T>(document: string, input: unknown, field: string, requestOptions?: RequestOptions) => {
    const result = (await execute(document, { input }, 'none', requestOptions)) as GraphQLResult<T>;
    const payload = (result.data as Record<string, RenewedPayload | undefined> | null)?.[field];
    if (payload?.accessToken) await keeper.set(toSession(payload, now()));
    return result;
  };

  return Object.freeze({
    login: (input: LoginInput, requestOptions?: RequestOptions) =>
      signIn<CustomerLoginMutation>(documentText(CustomerLoginDocument), input, 'customerLogin', requestOptions),
    register: (input: CustomerRegisterInput, requestOptions?: RequestOptions) =>
      signIn<CustomerRegisterMutation>(documentText(CustomerRegisterDocument), input, 'customerRegister', requestOptions),
    logout: async (requestOptions?: RequestOptions) => {
      const s = await keeper.session();
      if (!s) return null;
      try {
        if (!s.refreshToken) return null;
        return (await execute(
          documentText(CustomerLogoutDocument),
          { input: { refreshToken: s.refreshToken } },
          'none',
          requestOptions,
        )) as GraphQLResult<CustomerLogoutMutation>;
      } finally {
        // Signed out locally whatever the server said: the tokens are not used again.
        await keeper.set(null);
      }
    },
    renew: () => renewal.renew({ force: true }),
    session: keeper.session,
    setSession: (next: Session | null) => keeper.set(next),
    onChange: keeper.onChange,
  });
}
