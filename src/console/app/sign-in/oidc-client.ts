import * as oauth from 'oauth4webapi';
import type { Session } from '../shell/session.tsx';
import { CALLBACK_PATH } from './oidc-paths.ts';
import { SignInProblem, type OidcSettings } from './oidc-settings.ts';
import { keepProviderSignIn, type ProviderSignIn } from './provider-sign-in.ts';

// OpenID Connect authorization code flow with PKCE (S256), state and nonce, for
// a public client: the browser holds no secret, so the code is worthless to
// anyone without this tab's code verifier.

// sessionStorage, like the console's session: the verifier, state and nonce stay with the tab that started.
const PENDING_KEY = 'brand-auth.oidc-pending';

interface PendingSignIn {
  state: string;
  nonce: string;
  verifier: string;
  /** The console page to open once signed in. */
  next: string;
}

interface Provider {
  issuer: URL;
  client: oauth.Client;
  settings: OidcSettings;
}

export const redirectUri = () => `${window.location.origin}${CALLBACK_PATH}`;

/** The settings, checked: sign-in is set up only once the console has a client id at a provider. */
export function providerOf(settings: OidcSettings): Provider {
  if (!settings.issuer || !URL.canParse(settings.issuer) || !settings.clientId) {
    throw new SignInProblem(
      'Signing in is not set up on this service yet: its operators still need to register the console with the identity provider. Please try again later.',
    );
  }
  return { issuer: new URL(settings.issuer), client: { client_id: settings.clientId }, settings };
}

// Providers are reached over HTTPS; plain http only for one on this machine (development, tests).
const isLoopback = (url: URL) => ['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname);
const requestOptions = (issuer: URL) => (isLoopback(issuer) ? { [oauth.allowInsecureRequests]: true } : {});

const unreachable = (issuer: URL) =>
  new SignInProblem(`The sign-in service at ${issuer.host} can't be reached right now. Check your connection and try again in a moment.`);

async function discover({ issuer }: Provider): Promise<oauth.AuthorizationServer> {
  let response: Response;
  try {
    response = await oauth.discoveryRequest(issuer, requestOptions(issuer));
  } catch {
    throw unreachable(issuer);
  }
  if (response.status >= 500) throw unreachable(issuer);
  try {
    return await oauth.processDiscoveryResponse(issuer, response);
  } catch {
    throw new SignInProblem(
      `The sign-in service at ${issuer.host} did not answer as this service's identity provider. Please tell the service's operators.`,
    );
  }
}

/** The parameter that asks for an access token addressed to the API. */
function audienceParameters({ settings }: Provider): Record<string, string> {
  if (!settings.audience || settings.audienceParameter === 'none') return {};
  return { [settings.audienceParameter]: settings.audience };
}

/** Sends the browser to the provider's sign-in page; `next` is the console page to come back to. */
export async function startSignIn(settings: OidcSettings, next: string): Promise<void> {
  const provider = providerOf(settings);
  const as = await discover(provider);
  if (!as.authorization_endpoint) throw new SignInProblem(`${provider.issuer.host} does not offer signing in to applications.`);
  const pending: PendingSignIn = {
    state: oauth.generateRandomState(),
    nonce: oauth.generateRandomNonce(),
    verifier: oauth.generateRandomCodeVerifier(),
    next,
  };
  const url = new URL(as.authorization_endpoint);
  const parameters = {
    client_id: provider.client.client_id,
    redirect_uri: redirectUri(),
    response_type: 'code',
    scope: settings.scopes,
    code_challenge: await oauth.calculatePKCECodeChallenge(pending.verifier),
    code_challenge_method: 'S256',
    state: pending.state,
    nonce: pending.nonce,
    ...audienceParameters(provider),
  };
  for (const [key, value] of Object.entries(parameters)) url.searchParams.set(key, value);
  sessionStorage.setItem(PENDING_KEY, JSON.stringify(pending));
  window.location.assign(url.href);
}

/** The sign-in this tab started, at most once: a replayed answer finds nothing. */
function takePendingSignIn(): PendingSignIn | null {
  const stored = sessionStorage.getItem(PENDING_KEY);
  sessionStorage.removeItem(PENDING_KEY);
  try {
    const pending = JSON.parse(stored ?? 'null') as PendingSignIn | null;
    return pending && typeof pending.state === 'string' && typeof pending.verifier === 'string' ? pending : null;
  } catch {
    return null;
  }
}

function authorizationRefused(provider: Provider, error: oauth.AuthorizationResponseError): SignInProblem {
  const host = provider.issuer.host;
  if (error.error === 'access_denied') {
    return new SignInProblem(
      `Signing in at ${host} was cancelled or not allowed, so you are not signed in. You can start again whenever you like.`,
    );
  }
  const reason = error.error_description ?? error.error;
  return new SignInProblem(`${host} could not sign you in (${reason}). Please start again.`);
}

const isJwt = (token: string) => /^[\w-]+\.[\w-]+\.[\w-]*$/.test(token);

function jwtExpiry(token: string): number | null {
  try {
    const payload = JSON.parse(atob(token.split('.')[1]!.replace(/-/g, '+').replace(/_/g, '/'))) as { exp?: unknown };
    return typeof payload.exp === 'number' ? payload.exp * 1000 : null;
  } catch {
    return null;
  }
}

/**
 * Finishes the sign-in the provider sent the browser back from (`answer` is
 * the callback page's URL): checks state, issuer and nonce, trades the code
 * and its verifier for tokens, and returns the console's session.
 */
export async function finishSignIn(settings: OidcSettings, answer: URL): Promise<{ session: Session; next: string }> {
  const provider = providerOf(settings);
  const host = provider.issuer.host;
  const pending = takePendingSignIn();
  if (!pending) {
    throw new SignInProblem(
      'No sign-in was under way in this tab: it may have finished already, or the sign-in was started in another tab. Please start again.',
    );
  }
  if (answer.searchParams.get('state') !== pending.state) {
    throw new SignInProblem(
      `The answer from ${host} does not belong to the sign-in started in this tab (it may be old, or come from another site), so nothing was signed in. Please start again.`,
    );
  }
  const as = await discover(provider);
  let parameters: URLSearchParams;
  try {
    parameters = oauth.validateAuthResponse(as, provider.client, answer, pending.state);
  } catch (error) {
    if (error instanceof oauth.AuthorizationResponseError) throw authorizationRefused(provider, error);
    throw new SignInProblem(`The answer that came back did not come from ${host}, so nothing was signed in. Please start again.`);
  }
  let response: Response;
  try {
    response = await oauth.authorizationCodeGrantRequest(as, provider.client, oauth.None(), parameters, redirectUri(), pending.verifier, {
      ...requestOptions(provider.issuer),
      additionalParameters: audienceParameters(provider),
    });
  } catch {
    throw unreachable(provider.issuer);
  }
  let result: oauth.TokenEndpointResponse;
  try {
    result = await oauth.processAuthorizationCodeResponse(as, provider.client, response, {
      expectedNonce: pending.nonce,
      requireIdToken: true,
    });
  } catch (error) {
    const reason = error instanceof oauth.ResponseBodyError ? ` (${error.error_description ?? error.error})` : '';
    throw new SignInProblem(`${host} did not complete the sign-in${reason}. Please start again.`);
  }
  // The API verifies signed tokens addressed to it; an opaque token means the provider isn't set up for its audience.
  if (!isJwt(result.access_token)) {
    throw new SignInProblem(
      `${host} signed you in but gave the console a token this service can't use. Please tell the service's operators (the access token must be a JWT for the API's audience).`,
    );
  }
  const claims = oauth.getValidatedIdTokenClaims(result)!;
  const expiresAt =
    typeof result.expires_in === 'number'
      ? Date.now() + result.expires_in * 1000
      : (jwtExpiry(result.access_token) ?? Date.now() + 5 * 60_000);
  const providerSignIn: ProviderSignIn = { idToken: result.id_token!, endSessionEndpoint: as.end_session_endpoint ?? null, expiresAt };
  keepProviderSignIn(providerSignIn);
  return { session: { token: result.access_token, subject: claims.sub, expiresAt }, next: pending.next };
}
