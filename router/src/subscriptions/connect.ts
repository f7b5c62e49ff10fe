import type { IncomingMessage } from 'node:http';
import { HeaderMap } from '@apollo/server';
import { acceptedLocale, canonicalCountry } from '@dcrm/kit/locale.js';
import { loggerFor } from '@dcrm/kit/logger.js';
import { GraphQLError } from 'graphql';
import { CloseCode } from 'graphql-ws';
import type { WebSocket } from 'ws';
import type { Authenticator, Identity } from '../authenticate.js';

export type ConnectDeps = { auth: Authenticator; clientIp: (req: IncomingMessage) => string | null };

const codeOf = (error: unknown) => (error instanceof GraphQLError ? error.extensions.code : undefined);

/**
 * Who opens a socket, from the credentials in its `connectionParams` (the same check as HTTP). A socket
 * without valid credentials is closed here (4401, or 4500 when authentication itself failed): `null`.
 */
export async function identifyConnection(
  deps: ConnectDeps,
  socket: WebSocket,
  request: IncomingMessage,
  connectionParams: Record<string, unknown> | undefined,
): Promise<Identity | null> {
  let identity: Identity;
  try {
    identity = await deps.auth.identify(credentialHeaders(connectionParams), deps.clientIp(request));
  } catch (error) {
    if (codeOf(error) === 'UNAUTHENTICATED') {
      socket.close(CloseCode.Unauthorized, (error as GraphQLError).message.slice(0, 120));
    } else {
      loggerFor('subscriptions').error({ err: error }, 'subscription authentication failed');
      socket.close(CloseCode.InternalServerError, 'Internal server error');
    }
    return null;
  }
  if (identity.principal.kind === 'anonymous' && !identity.keyId) {
    socket.close(CloseCode.Unauthorized, 'Unauthorized: send authorization or x-api-key in connectionParams');
    return null;
  }
  return withConnectionContext(identity, request, connectionParams);
}

/**
 * The socket's request context, as HTTP's: `accept-language` (and `country`) in `connectionParams`,
 * else the upgrade request's `Accept-Language` header. A subscription's own `@inContext` overrides it
 * (plan.ts); every event's lookup runs in it, so texts arrive in the subscriber's language.
 */
function withConnectionContext(identity: Identity, request: IncomingMessage, params: Record<string, unknown> | undefined): Identity {
  const asked = params?.['accept-language'] ?? params?.['Accept-Language'];
  const locale = acceptedLocale(typeof asked === 'string' ? asked : request.headers['accept-language']);
  const country = canonicalCountry(params?.country);
  if (!locale && !country) return identity;
  return { ...identity, principal: { ...identity.principal, locale, country } };
}

// Credentials travel as connectionParams, named like the HTTP headers.
function credentialHeaders(connectionParams: Record<string, unknown> | undefined): HeaderMap {
  const headers = new HeaderMap();
  for (const [name, value] of Object.entries(connectionParams ?? {})) {
    const lower = name.toLowerCase();
    if ((lower === 'authorization' || lower === 'x-api-key') && typeof value === 'string') headers.set(lower, value);
  }
  return headers;
}
