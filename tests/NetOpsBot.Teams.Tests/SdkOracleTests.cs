using System.Diagnostics;
using System.Text.Json.Nodes;
using NetOpsBot.Teams.Auth;
using NetOpsBot.Teams.Tests.Infrastructure;
using NetOpsBot.Testing;

namespace NetOpsBot.Teams.Tests;

/// <summary>
/// The Bot Framework SDK as the oracle of our inbound token check: botframework-connector 4.23 (Node) judges the
/// same signed tokens against the same local OpenID metadata as <see cref="BotTokenValidator"/>, through both its
/// current API (BotFrameworkAuthenticationFactory → ParameterizedBotFrameworkAuthentication, what CloudAdapter
/// uses) and its older static one (JwtTokenValidation.authenticateRequest). Every verdict must match, except the
/// differences listed in <see cref="Cases"/>, each asserted both ways and explained.
/// </summary>
public sealed class SdkOracleTests : IAsyncLifetime, IDisposable
{
    private const string Absent = "\u0000absent";
    private static readonly string JsDir = JsScript.JsDir;
    private readonly SigningKey _teamsKey = new("key-teams", "msteams", "webchat");
    private readonly SigningKey _webchatOnlyKey = new("key-webchat", "webchat");
    private readonly SigningKey _bareKey = new("key-bare");
    private readonly SigningKey _unpublished = new("key-unpublished", "msteams");
    private readonly HttpClient _http = new();
    private LocalIssuer _issuer = null!;

    public async Task InitializeAsync() => _issuer = await LocalIssuer.StartAsync(_teamsKey, _webchatOnlyKey, _bareKey);

    public async Task DisposeAsync() => await _issuer.DisposeAsync();

    public void Dispose()
    {
        _http.Dispose();
        _teamsKey.Dispose();
        _webchatOnlyKey.Dispose();
        _bareKey.Dispose();
        _unpublished.Dispose();
    }

    /// <summary>Who accepts: (ours, the SDK's). Equal unless on purpose; <c>why</c> says why they differ.</summary>
    private IEnumerable<(string Name, string? Authorization, string? ChannelId, string ServiceUrl, bool Ours, bool Sdk, string? Why)> Cases()
    {
        const string su = TestIds.ServiceUrl;
        string Bearer(TokenSpec t) => "Bearer " + t.Create();
        var valid = new TokenSpec { Key = _teamsKey };
        var entraV1 = new TokenSpec
        {
            Key = _bareKey,
            Issuer = $"https://sts.windows.net/{TestIds.TenantId}/",
            ServiceUrl = null,
            Extra = new Dictionary<string, object> { ["ver"] = "1.0", ["appid"] = TestIds.AppId, ["tid"] = TestIds.TenantId },
        };
        var entraV2 = entraV1 with { Issuer = $"https://login.microsoftonline.com/{TestIds.TenantId}/v2.0", Extra = new Dictionary<string, object> { ["ver"] = "2.0", ["azp"] = TestIds.AppId, ["tid"] = TestIds.TenantId } };
        const string otherTenant = "11111111-1111-1111-1111-111111111111";
        var tampered = valid.Create().Split('.');
        tampered[1] = Microsoft.IdentityModel.Tokens.Base64UrlEncoder.Encode(Microsoft.IdentityModel.Tokens.Base64UrlEncoder.Decode(tampered[1]).Replace(TestIds.AppId, "22222222-2222-2222-2222-222222222222", StringComparison.Ordinal));
        var unsigned = valid.Create().Split('.');

        yield return ("valid channel token", Bearer(valid), "msteams", su, true, true, null);
        yield return ("valid, expired 4 min ago (within the 5 min skew)", Bearer(valid with { NotBeforeOffset = TimeSpan.FromHours(-1), ExpiresIn = TimeSpan.FromMinutes(-4) }), "msteams", su, true, true, null);
        yield return ("key endorsed for webchat, activity from webchat", Bearer(valid with { Key = _webchatOnlyKey }), "webchat", su, true, true, null);
        yield return ("Entra v1 token of our tenant (appid)", Bearer(entraV1), "msteams", su, true, true, null);
        yield return ("Entra v2 token of our tenant (azp)", Bearer(entraV2), "msteams", su, true, true, null);

        yield return ("no Authorization header", null, "msteams", su, false, false, null);
        yield return ("Basic scheme", "Basic dXNlcjpwYXNz", "msteams", su, false, false, null);
        yield return ("not a JWT", "Bearer not-a-jwt", "msteams", su, false, false, null);
        yield return ("unsigned (alg none)", "Bearer " + Microsoft.IdentityModel.Tokens.Base64UrlEncoder.Encode("{\"alg\":\"none\",\"typ\":\"JWT\"}") + "." + unsigned[1] + ".", "msteams", su, false, false, null);
        yield return ("wrong issuer", Bearer(valid with { Issuer = "https://login.botframework.example/" }), "msteams", su, false, false, null);
        yield return ("wrong audience", Bearer(valid with { Audience = "11111111-2222-3333-4444-555555555555" }), "msteams", su, false, false, null);
        yield return ("forged signature for a published kid", Bearer(valid with { SignWith = _webchatOnlyKey }), "msteams", su, false, false, null);
        yield return ("tampered payload", "Bearer " + string.Join('.', tampered), "msteams", su, false, false, null);
        yield return ("kid not in the metadata", Bearer(valid with { Key = _unpublished }), "msteams", su, false, false, null);
        yield return ("expired beyond the skew", Bearer(valid with { NotBeforeOffset = TimeSpan.FromHours(-1), ExpiresIn = TimeSpan.FromMinutes(-6) }), "msteams", su, false, false, null);
        yield return ("not valid before 10 min from now", Bearer(valid with { NotBeforeOffset = TimeSpan.FromMinutes(10), ExpiresIn = TimeSpan.FromMinutes(40) }), "msteams", su, false, false, null);
        yield return ("serviceUrl mismatch", Bearer(valid), "msteams", "https://attacker.example.com/", false, false, null);
        yield return ("no serviceurl claim", Bearer(valid with { ServiceUrl = null }), "msteams", su, false, false, null);
        yield return ("key endorsed only for webchat, activity from msteams", Bearer(valid with { Key = _webchatOnlyKey }), "msteams", su, false, false, null);
        yield return ("Entra token of another app", Bearer(entraV2 with { Extra = new Dictionary<string, object> { ["ver"] = "2.0", ["azp"] = "99999999-2222-3333-4444-555555555555", ["tid"] = TestIds.TenantId } }), "msteams", su, false, false, null);
        // The SDK classifies this one as a skill (bot-to-bot) token and refuses it for its audience; we refuse the audience directly.
        yield return ("Entra token of our tenant for another audience (e.g. Graph)", Bearer(entraV2 with { Audience = "https://graph.microsoft.com" }), "msteams", su, false, false, null);
        yield return ("Entra token without ver", Bearer(entraV1 with { Extra = new Dictionary<string, object> { ["appid"] = TestIds.AppId, ["tid"] = TestIds.TenantId } }), "msteams", su, false, false, null);

        // The SDK's EndorsementsValidator passes a null channelId but calls .trim() on an absent one, so an activity
        // whose JSON has no channelId is refused there by a TypeError; we refuse it on purpose (below).
        yield return ("channelId absent from the activity", Bearer(valid), Absent, su, false, false, null);

        // Deliberate differences: we are stricter, or follow the .NET SDK where the JS one differs.
        yield return ("key without endorsements", Bearer(valid with { Key = _bareKey }), "msteams", su, false, true,
            "the SDK skips the endorsement check when a key lists none; every key of the real Bot Framework JWKS lists its channels, so a bare key is not one the channel service published for Teams");
        yield return ("channelId null", Bearer(valid), null, su, false, true,
            "the SDK treats a missing channelId as 'no claim to check'; a channel token whose channel cannot be checked against the key's endorsements is refused here");
        yield return ("RS384-signed channel token", Bearer(valid with { Algorithm = Microsoft.IdentityModel.Tokens.SecurityAlgorithms.RsaSha384 }), "msteams", su, false, true,
            "the SDK allows RS256/384/512; the Bot Framework and Entra sign with RS256 only, so nothing else is accepted here");
        yield return ("serviceurl claim differing only in case", Bearer(valid with { ServiceUrl = "https://SMBA.trafficmanager.net/amer/" }), "msteams", su, true, false,
            "botbuilder-js compares the serviceurl claim exactly, botbuilder-dotnet ignoring case (ChannelValidation.cs, OrdinalIgnoreCase); we follow .NET: the host part of a URL is case-insensitive, and the claim still pins the same endpoint");
        yield return ("Entra token of another tenant", Bearer(entraV2 with { Issuer = $"https://login.microsoftonline.com/{otherTenant}/v2.0", Extra = new Dictionary<string, object> { ["ver"] = "2.0", ["azp"] = TestIds.AppId, ["tid"] = otherTenant } }), "msteams", su, false, true,
            "the SDK's isTokenFromEmulator adds the token's own tid to its issuer list, so any tenant's issuer passes; a SingleTenant bot here accepts only its own tenant's issuers");
    }

    [Fact]
    public async Task BotFrameworkSdk_AndOurValidator_JudgeTheSameTokens_TheSameWay_ExceptTheListedDifferences()
    {
        var cases = Cases().ToList();
        var options = new TeamsOptions { AppId = TestIds.AppId, AppType = "SingleTenant", TenantId = TestIds.TenantId, ClientSecret = "s", OpenIdMetadataUrl = _issuer.MetadataUrl, EntraOpenIdMetadataUrl = _issuer.EntraMetadataUrl };
        var validator = new BotTokenValidator(options, _http);
        var ours = new Dictionary<string, TokenCheck>();
        foreach (var c in cases)
        {
            ours[c.Name] = await validator.ValidateAsync(c.Authorization, c.ServiceUrl, c.ChannelId == Absent ? null : c.ChannelId, CancellationToken.None);
        }

        var sdk = RunOracle(cases.Select(c => (c.Name, c.Authorization, c.ChannelId, c.ServiceUrl)));
        Assert.StartsWith("4.23.", (string?)sdk["sdkVersion"], StringComparison.Ordinal);
        var results = sdk["results"]!.AsObject();
        var report = string.Join('\n', cases.Select(c =>
            $"{c.Name}: ours={ours[c.Name].Succeeded} ({ours[c.Name].Reason}) sdk={results[c.Name]!["parameterized"]!["accepted"]} ({results[c.Name]!["parameterized"]!["reason"]}) legacy={results[c.Name]!["legacy"]!["accepted"]}"));
        foreach (var c in cases)
        {
            var parameterized = (bool)results[c.Name]!["parameterized"]!["accepted"]!;
            var legacy = (bool)results[c.Name]!["legacy"]!["accepted"]!;
            Assert.True(c.Ours == ours[c.Name].Succeeded, $"ours on '{c.Name}': expected {c.Ours}\n{report}");
            Assert.True(c.Sdk == parameterized, $"SDK on '{c.Name}': expected {c.Sdk}\n{report}");
            Assert.True(parameterized == legacy, $"the SDK's two APIs disagree on '{c.Name}'\n{report}");
            Assert.True((c.Ours == c.Sdk) == (c.Why is null), $"'{c.Name}' differs without a reason, or has a reason without differing\n{report}");
        }

        // Enough of both kinds that agreement is not an artefact of one side accepting (or refusing) everything.
        Assert.True(cases.Count(c => c.Ours && c.Sdk) >= 5 && cases.Count(c => !c.Ours && !c.Sdk) >= 15, report);
    }

    private JsonObject RunOracle(IEnumerable<(string Name, string? Authorization, string? ChannelId, string ServiceUrl)> cases)
    {
        Assert.True(Directory.Exists(Path.Combine(JsDir, "node_modules", "botframework-connector")), "run `npm ci --prefix tests/NetOpsBot.Teams.Tests/js`");
        var list = new JsonArray();
        foreach (var (name, authorization, channelId, serviceUrl) in cases)
        {
            var c = new JsonObject { ["name"] = name, ["authorization"] = authorization, ["serviceUrl"] = serviceUrl };
            if (channelId != Absent)
            {
                c["channelId"] = channelId;
            }

            list.Add(c);
        }

        var input = new JsonObject
        {
            ["appId"] = TestIds.AppId,
            ["tenantId"] = TestIds.TenantId,
            ["channelMetadataUrl"] = _issuer.MetadataUrl,
            ["entraMetadataUrl"] = _issuer.EntraMetadataUrl,
            ["cases"] = list,
        };
        var file = Path.Combine(Path.GetTempPath(), $"netopsbot-sdk-oracle-{Guid.NewGuid():N}.json");
        File.WriteAllText(file, input.ToJsonString());
        try
        {
            return JsScript.RunNodeJson("sdk-oracle.js", file);
        }
        finally
        {
            File.Delete(file);
        }
    }
}
