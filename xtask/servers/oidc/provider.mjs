// The OpenID provider of the tests: oidc-provider (from npm) on 127.0.0.1, with
// - client `opsclient` (client credentials, authorization code, refresh token, and the
//   resource-owner password grant registered below) and client `opsclient-short`, whose
//   access tokens live OIDC_SHORT_TTL seconds, for the expired-token test;
// - client `keystone`, which Apache's mod_auth_openidc uses to introspect bearer tokens;
// - users `ann` (the resource owner of the password and authorization-code flows) and `bob`
//   (whose token the access-token flow is given), named unlike any client, so that the user a
//   Keystone token was made for tells which subject the provider vouched for;
// - a token endpoint at a path only the discovery document names;
// - GET /test/code, which mints an authorization code for `ann` as an interactive login
//   would, for the authorization-code flow (the code is given to the client).
//
// It serves HTTPS with the test CA's server certificate: mod_auth_openidc introspects tokens
// only over HTTPS.
//
// Settings come from the environment: OIDC_PORT, OIDC_CLIENT_SECRET,
// OIDC_INTROSPECTION_SECRET, OIDC_USER_PASSWORD, OIDC_OTHER_USER_PASSWORD, OIDC_SHORT_TTL,
// OIDC_COOKIE_KEY, OIDC_TLS_CERT, OIDC_TLS_KEY (PEM files).

import { readFileSync } from 'node:fs';
import { createServer } from 'node:https';
import Provider, { errors } from 'oidc-provider';

const env = (name) => {
  const value = process.env[name];
  if (!value) {
    console.error(`${name} is not set`);
    process.exit(2);
  }
  return value;
};

const port = Number(env('OIDC_PORT'));
const issuer = `https://127.0.0.1:${port}`;
const redirectUri = `${issuer}/callback`;
const shortTtl = Number(env('OIDC_SHORT_TTL'));
const users = { ann: env('OIDC_USER_PASSWORD'), bob: env('OIDC_OTHER_USER_PASSWORD') };
const grantTypes = ['client_credentials', 'authorization_code', 'refresh_token', 'password'];

const ttl = (ctx, token, client) => (client && client.clientId === 'opsclient-short' ? shortTtl : 3600);

const provider = new Provider(issuer, {
  clients: [
    {
      client_id: 'opsclient',
      client_secret: env('OIDC_CLIENT_SECRET'),
      grant_types: grantTypes,
      response_types: ['code'],
      redirect_uris: [redirectUri],
    },
    {
      client_id: 'opsclient-short',
      client_secret: env('OIDC_CLIENT_SECRET'),
      grant_types: grantTypes,
      response_types: ['code'],
      redirect_uris: [redirectUri],
    },
    {
      client_id: 'keystone',
      client_secret: env('OIDC_INTROSPECTION_SECRET'),
      grant_types: [],
      response_types: [],
      redirect_uris: [],
    },
  ],
  cookies: { keys: [env('OIDC_COOKIE_KEY')] },
  features: {
    clientCredentials: { enabled: true },
    introspection: { enabled: true },
    devInteractions: { enabled: false },
  },
  routes: { token: '/oauth2/v1/token-endpoint' },
  scopes: ['openid', 'profile', 'email', 'offline_access'],
  claims: { openid: ['sub'], profile: ['name'], email: ['email'] },
  pkce: { required: () => false },
  // Who a token stands for, in its introspection answer (Apache's REMOTE_USER): the user, or
  // the client itself for client-credentials tokens.
  extraTokenClaims: async (ctx, token) => ({ preferred_username: token.accountId || token.clientId }),
  issueRefreshToken: async (ctx, client) => client.grantTypeAllowed('refresh_token'),
  ttl: {
    AccessToken: ttl,
    ClientCredentials: ttl,
    AuthorizationCode: 600,
    IdToken: 3600,
    RefreshToken: 86400,
    Grant: 86400,
    Session: 86400,
    Interaction: 600,
  },
  findAccount: async (ctx, id) => (users[id] === undefined ? undefined : {
    accountId: id,
    claims: async () => ({ sub: id, name: id, email: `${id}@example.com` }),
  }),
});

/** A grant of the OIDC scopes asked for, for `accountId` and the request's client. */
async function grantFor(ctx, accountId, clientId, scope) {
  const grant = new ctx.oidc.provider.Grant({ accountId, clientId });
  grant.addOIDCScope(scope.split(' ').filter((s) => ['openid', 'profile', 'email', 'offline_access'].includes(s)).join(' '));
  return grant.save();
}

// The resource-owner password grant, which oidc-provider leaves to the deployer.
provider.registerGrantType('password', async (ctx, next) => {
  const { username, password } = ctx.oidc.params;
  const scope = ctx.oidc.params.scope || 'openid';
  if (!username || users[username] === undefined || users[username] !== password) {
    throw new errors.InvalidGrant('wrong username or password');
  }
  const grantId = await grantFor(ctx, username, ctx.oidc.client.clientId, scope);
  const token = new ctx.oidc.provider.AccessToken({
    accountId: username,
    client: ctx.oidc.client,
    grantId,
    gty: 'password',
    scope,
  });
  const value = await token.save();
  ctx.body = {
    access_token: value,
    expires_in: token.expiration,
    token_type: token.tokenType,
    scope,
  };
  await next();
}, new Set(['username', 'password', 'scope']));

// An authorization code for `ann`, as the interactive login would hand it to the browser.
provider.use(async (ctx, next) => {
  if (ctx.method !== 'GET' || ctx.path !== '/test/code') {
    return next();
  }
  const clientId = ctx.query.client_id || 'opsclient';
  const client = await provider.Client.find(clientId);
  if (!client) {
    ctx.status = 404;
    ctx.body = { error: 'unknown client' };
    return undefined;
  }
  const scope = 'openid profile';
  const grant = new provider.Grant({ accountId: 'ann', clientId });
  grant.addOIDCScope(scope);
  const grantId = await grant.save();
  const code = new provider.AuthorizationCode({
    accountId: 'ann',
    client,
    grantId,
    redirectUri,
    scope,
    authTime: Math.floor(Date.now() / 1000),
  });
  ctx.body = { code: await code.save(), redirect_uri: redirectUri };
  return undefined;
});

const tls = { cert: readFileSync(env('OIDC_TLS_CERT')), key: readFileSync(env('OIDC_TLS_KEY')) };
createServer(tls, provider.callback()).listen(port, '127.0.0.1', () => {
  console.log(`oidc-provider ${issuer} ready`);
});
