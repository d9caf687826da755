// A real OpenID Connect provider (oidc-provider, OpenID Certified) for the web chat's sign-in test, on loopback only.
//   node oidc-provider.mjs <port> <redirect_uri> <client_secret>
// One static confidential client (code flow + PKCE), three accounts, the library's own login form (devInteractions:
// the login name picks the account). Prints "listening <issuer>" once it accepts connections.
import Provider from "oidc-provider";

const [port, redirectUri, clientSecret] = process.argv.slice(2);
const issuer = `http://127.0.0.1:${port}`;

const accounts = {
  "u-1001": { name: "Dana Approver", preferred_username: "dana", groups: ["netops-approvers"] },
  "u-1002": { name: "Erin Engineer", preferred_username: "erin", groups: ["netops"] },
  "u-1003": { name: "Frank Finance", preferred_username: "frank", groups: [] },
};

const provider = new Provider(issuer, {
  clients: [{
    client_id: "netopsbot-webchat",
    client_secret: clientSecret,
    redirect_uris: [redirectUri],
    response_types: ["code"],
    grant_types: ["authorization_code"],
    token_endpoint_auth_method: "client_secret_post",
  }],
  claims: { openid: ["sub"], profile: ["name", "preferred_username"], groups: ["groups"] },
  scopes: ["openid", "profile", "groups"],
  pkce: { required: () => true },
  cookies: { keys: ["netopsbot-test-only-cookie-key"] },
  features: { devInteractions: { enabled: true } },
  async findAccount(_ctx, id) {
    const account = accounts[id];
    if (!account) return undefined; // an unknown login signs nobody in
    return { accountId: id, async claims() { return { sub: id, ...account }; } };
  },
  // First-party client: no consent screen; the grant covers what the web chat asks for.
  async loadExistingGrant(ctx) {
    const grantId = ctx.oidc.result?.consent?.grantId || ctx.oidc.session.grantIdFor(ctx.oidc.client.clientId);
    if (grantId) return ctx.oidc.provider.Grant.find(grantId);
    const grant = new ctx.oidc.provider.Grant({ clientId: ctx.oidc.client.clientId, accountId: ctx.oidc.session.accountId });
    grant.addOIDCScope("openid profile groups");
    await grant.save();
    return grant;
  },
});
provider.on("server_error", (_ctx, err) => console.error("server_error", err));

const server = provider.listen(Number(port), "127.0.0.1", () => console.log(`listening ${issuer}`));
process.on("SIGTERM", () => server.close(() => process.exit(0)));
