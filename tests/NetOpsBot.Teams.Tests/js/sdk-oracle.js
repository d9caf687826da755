// The Bot Framework SDK's own inbound token check (botframework-connector 4.23), run on the same requests as
// NetOpsBot's validator, against the same local OpenID metadata: the oracle of SdkOracleTests.
//
// usage: node sdk-oracle.js cases.json
//   cases.json: { appId, tenantId, channelMetadataUrl, entraMetadataUrl,
//                 cases: [{ name, authorization, serviceUrl, channelId }] }
// prints one JSON line: { sdkVersion, results: { name: { parameterized: {accepted, reason}, legacy: {...} } } }
'use strict';

const fs = require('fs');
const connector = require('botframework-connector');
const { CallerIdConstants } = require('botframework-schema');

const {
  AuthenticationConfiguration,
  AuthenticationConstants,
  BotFrameworkAuthenticationFactory,
  ChannelValidation,
  JwtTokenValidation,
  PasswordServiceClientCredentialFactory,
  SimpleCredentialProvider,
} = connector;

async function verdict(run) {
  try {
    const identity = await run();
    return { accepted: !!(identity && identity.isAuthenticated), reason: null };
  } catch (err) {
    return { accepted: false, reason: String((err && err.message) || err).split('\n')[0] };
  }
}

async function main() {
  const input = JSON.parse(fs.readFileSync(process.argv[2], 'utf8'));
  const { appId, tenantId, channelMetadataUrl, entraMetadataUrl } = input;

  // What CloudAdapter uses today: the factory behind ConfigurationBotFrameworkAuthentication, given the public
  // cloud's values except the two OpenID metadata URLs (ToBotFromChannelOpenIdMetadataUrl,
  // ToBotFromEmulatorOpenIdMetadataUrl: settings of the SDK), pointed at the test's issuer, and the single-tenant
  // issuers the SDK samples add (validTokenIssuers).
  const authConfig = new AuthenticationConfiguration([], undefined, [
    `${AuthenticationConstants.ValidTokenIssuerUrlTemplateV1}${tenantId}/`,
    `${AuthenticationConstants.ValidTokenIssuerUrlTemplateV2}${tenantId}/v2.0`,
  ]);
  const parameterized = BotFrameworkAuthenticationFactory.create(
    '',
    true,
    AuthenticationConstants.ToChannelFromBotLoginUrlPrefix + tenantId,
    AuthenticationConstants.ToChannelFromBotOAuthScope,
    AuthenticationConstants.ToBotFromChannelTokenIssuer,
    AuthenticationConstants.OAuthUrl,
    channelMetadataUrl,
    entraMetadataUrl,
    CallerIdConstants.PublicAzureChannel,
    new PasswordServiceClientCredentialFactory(appId, 'unused-secret', tenantId),
    authConfig,
  );

  // The older static API (JwtTokenValidation / ChannelValidation / EmulatorValidation): its channel metadata URL is a
  // documented setting; its Entra (emulator) URL is a constant, redirected here the only way it can be.
  ChannelValidation.OpenIdMetadataEndpoint = channelMetadataUrl;
  AuthenticationConstants.ToBotFromEmulatorOpenIdMetadataUrl = entraMetadataUrl;
  const legacyCredentials = new SimpleCredentialProvider(appId, 'unused-secret');

  const results = {};
  for (const c of input.cases) {
    // An absent channelId (a key missing from the JSON) and an explicit null differ in the SDK: see SdkOracleTests.
    const activity = { type: 'message', serviceUrl: c.serviceUrl };
    if (c.channelId !== undefined) {
      activity.channelId = c.channelId;
    }
    results[c.name] = {
      parameterized: await verdict(async () => (await parameterized.authenticateRequest(activity, c.authorization || '')).claimsIdentity),
      legacy: await verdict(() => JwtTokenValidation.authenticateRequest(activity, c.authorization || '', legacyCredentials, '')),
    };
  }

  const sdkVersion = require('botframework-connector/package.json').version;
  process.stdout.write(JSON.stringify({ sdkVersion, results }) + '\n');
}

main().catch((err) => {
  process.stdout.write(JSON.stringify({ setupError: String((err && err.stack) || err) }) + '\n');
  process.exitCode = 1;
});
