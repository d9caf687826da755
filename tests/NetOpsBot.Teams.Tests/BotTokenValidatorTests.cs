using NetOpsBot.Teams.Auth;
using NetOpsBot.Teams.Tests.Infrastructure;

namespace NetOpsBot.Teams.Tests;

/// <summary>Inbound JWT rules with real RS256 tokens against a local OpenID metadata endpoint and JWKS.</summary>
public sealed class BotTokenValidatorTests : IAsyncLifetime, IDisposable
{
    private readonly SigningKey _teamsKey = new("key-teams", "msteams", "webchat");
    private readonly SigningKey _webchatOnlyKey = new("key-webchat", "webchat");
    private readonly SigningKey _noEndorsementKey = new("key-bare");
    private LocalIssuer _issuer = null!;
    private HttpClient _http = null!;

    public async Task InitializeAsync()
    {
        _issuer = await LocalIssuer.StartAsync(_teamsKey, _webchatOnlyKey, _noEndorsementKey);
        _http = new HttpClient();
    }

    public async Task DisposeAsync() => await _issuer.DisposeAsync();

    public void Dispose()
    {
        _http.Dispose();
        _teamsKey.Dispose();
        _webchatOnlyKey.Dispose();
        _noEndorsementKey.Dispose();
    }

    private BotTokenValidator Validator(string appType = "SingleTenant", TimeSpan? minimumRefresh = null)
    {
        var options = new TeamsOptions { AppId = TestIds.AppId, AppType = appType, TenantId = TestIds.TenantId, ClientSecret = "s", OpenIdMetadataUrl = _issuer.MetadataUrl, EntraOpenIdMetadataUrl = _issuer.EntraMetadataUrl };
        return new BotTokenValidator(options, BotTokenValidator.Keys(options.OpenIdMetadataUrl, _http, minimumRefresh), BotTokenValidator.Keys(options.EntraOpenIdMetadataUrl, _http, minimumRefresh));
    }

    private Task<TokenCheck> Check(string token, string? serviceUrl = TestIds.ServiceUrl, string? channelId = "msteams", BotTokenValidator? validator = null) =>
        (validator ?? Validator()).ValidateAsync("Bearer " + token, serviceUrl, channelId, CancellationToken.None);

    [Fact]
    public async Task ChannelToken_SignedByEndorsedKey_IsAccepted()
    {
        var result = await Check(new TokenSpec { Key = _teamsKey }.Create());
        Assert.True(result.Succeeded, result.Reason);
        Assert.Equal(CallerKind.BotFrameworkChannel, result.Caller);
    }

    [Fact]
    public async Task ServiceUrlClaim_ComparedIgnoringCase_AsTheDotnetSdkDoes()
    {
        var result = await Check(new TokenSpec { Key = _teamsKey, ServiceUrl = "https://SMBA.trafficmanager.net/amer/" }.Create());
        Assert.True(result.Succeeded, result.Reason);
    }

    [Fact]
    public async Task WrongIssuer_IsRefusedBeforeAnyKeyFetch()
    {
        var reads = _issuer.MetadataReads;
        var result = await Check(new TokenSpec { Key = _teamsKey, Issuer = "https://evil.example.com" }.Create());
        Assert.False(result.Succeeded);
        Assert.Contains("issuer not accepted", result.Reason, StringComparison.Ordinal);
        Assert.Equal(reads, _issuer.MetadataReads);
    }

    [Fact]
    public async Task WrongAudience_IsRefused()
    {
        var result = await Check(new TokenSpec { Key = _teamsKey, Audience = "11111111-2222-3333-4444-555555555555" }.Create());
        Assert.False(result.Succeeded);
        Assert.Equal("audience is not this bot's app id", result.Reason);
    }

    [Fact]
    public async Task ForgedSignature_ForAPublishedKid_IsRefused()
    {
        using var attacker = new SigningKey("attacker");
        var result = await Check(new TokenSpec { Key = _teamsKey, SignWith = attacker }.Create());
        Assert.False(result.Succeeded);
        Assert.Equal("signature invalid", result.Reason);
    }

    [Fact]
    public async Task TamperedPayload_IsRefused()
    {
        var parts = new TokenSpec { Key = _teamsKey }.Create().Split('.');
        var payload = Microsoft.IdentityModel.Tokens.Base64UrlEncoder.Decode(parts[1]).Replace(TestIds.ServiceUrl.Replace("/", "\\/", StringComparison.Ordinal), "https://evil.example.com/", StringComparison.Ordinal);
        var forged = parts[0] + "." + Microsoft.IdentityModel.Tokens.Base64UrlEncoder.Encode(payload) + "." + parts[2];
        var result = await Check(forged, serviceUrl: "https://evil.example.com/");
        Assert.False(result.Succeeded);
    }

    [Fact]
    public async Task Expired_BeyondFiveMinutesOfSkew_IsRefused_WithinSkew_IsAccepted()
    {
        var expired = await Check(new TokenSpec { Key = _teamsKey, NotBeforeOffset = TimeSpan.FromHours(-1), ExpiresIn = TimeSpan.FromMinutes(-6) }.Create());
        Assert.False(expired.Succeeded);
        Assert.Equal("token expired", expired.Reason);

        var withinSkew = await Check(new TokenSpec { Key = _teamsKey, NotBeforeOffset = TimeSpan.FromHours(-1), ExpiresIn = TimeSpan.FromMinutes(-4) }.Create());
        Assert.True(withinSkew.Succeeded, withinSkew.Reason);
    }

    [Fact]
    public async Task NotYetValid_BeyondSkew_IsRefused()
    {
        var result = await Check(new TokenSpec { Key = _teamsKey, NotBeforeOffset = TimeSpan.FromMinutes(10), ExpiresIn = TimeSpan.FromMinutes(40) }.Create());
        Assert.False(result.Succeeded);
        Assert.Equal("token not yet valid", result.Reason);
    }

    [Fact]
    public async Task ServiceUrlMismatch_IsRefused()
    {
        var result = await Check(new TokenSpec { Key = _teamsKey }.Create(), serviceUrl: "https://attacker.example.com/");
        Assert.False(result.Succeeded);
        Assert.Contains("does not match the activity's serviceUrl", result.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ChannelTokenWithoutServiceUrlClaim_IsRefused()
    {
        var result = await Check(new TokenSpec { Key = _teamsKey, ServiceUrl = null }.Create());
        Assert.False(result.Succeeded);
        Assert.Equal("channel token has no serviceurl claim", result.Reason);
    }

    [Fact]
    public async Task KeyNotEndorsedForTheActivitysChannel_IsRefused()
    {
        var result = await Check(new TokenSpec { Key = _webchatOnlyKey }.Create());
        Assert.False(result.Succeeded);
        Assert.Contains("is not endorsed for channel 'msteams'", result.Reason, StringComparison.Ordinal);
        Assert.True((await Check(new TokenSpec { Key = _webchatOnlyKey }.Create(), channelId: "webchat")).Succeeded);
    }

    [Fact]
    public async Task KeyWithoutEndorsements_OrActivityWithoutChannelId_IsRefused()
    {
        Assert.False((await Check(new TokenSpec { Key = _noEndorsementKey }.Create())).Succeeded);
        Assert.False((await Check(new TokenSpec { Key = _teamsKey }.Create(), channelId: null)).Succeeded);
    }

    [Fact]
    public async Task OnlyRs256_IsAccepted()
    {
        var result = await Check(new TokenSpec { Key = _teamsKey, Algorithm = Microsoft.IdentityModel.Tokens.SecurityAlgorithms.RsaSha384 }.Create());
        Assert.False(result.Succeeded);
        Assert.StartsWith("signature", result.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task MissingOrMalformedHeader_IsRefused()
    {
        var v = Validator();
        Assert.Equal("no Authorization header", (await v.ValidateAsync(null, TestIds.ServiceUrl, "msteams", CancellationToken.None)).Reason);
        Assert.Equal("Authorization is not 'Bearer <token>'", (await v.ValidateAsync("Basic abc", TestIds.ServiceUrl, "msteams", CancellationToken.None)).Reason);
        Assert.Equal("the bearer token is not a JWT", (await v.ValidateAsync("Bearer not-a-jwt", TestIds.ServiceUrl, "msteams", CancellationToken.None)).Reason);
    }

    [Fact]
    public async Task UnknownKid_RereadsTheMetadataOnce_ThenAcceptsTheRolledKey()
    {
        var validator = Validator(minimumRefresh: TimeSpan.FromSeconds(1.1));
        Assert.True((await Check(new TokenSpec { Key = _teamsKey }.Create(), validator: validator)).Succeeded);
        using var rolled = new SigningKey("key-rolled", "msteams");
        var unknown = await Check(new TokenSpec { Key = rolled }.Create(), validator: validator);
        Assert.False(unknown.Succeeded);
        Assert.Equal("signing key not in the issuer's metadata", unknown.Reason);

        _issuer.Publish(rolled);
        // Well past the 1.1 s minimum: on two loaded cores 1.2 s left too little margin (failed once).
        await Task.Delay(2000);
        var result = await Check(new TokenSpec { Key = rolled }.Create(), validator: validator);
        Assert.True(result.Succeeded, result.Reason);
    }

    [Theory]
    [InlineData("https://sts.windows.net/" + TestIds.TenantId + "/", "1.0", "appid")]
    [InlineData("https://login.microsoftonline.com/" + TestIds.TenantId + "/v2.0", "2.0", "azp")]
    public async Task SingleTenantEntraToken_v1AndV2_AreAccepted(string issuer, string version, string appClaim)
    {
        var token = new TokenSpec { Key = _noEndorsementKey, Issuer = issuer, ServiceUrl = null, Extra = new Dictionary<string, object> { ["ver"] = version, [appClaim] = TestIds.AppId } }.Create();
        var result = await Check(token);
        Assert.True(result.Succeeded, result.Reason);
        Assert.Equal(CallerKind.Entra, result.Caller);
    }

    [Fact]
    public async Task EntraToken_FromAnotherApp_OrAnotherTenant_IsRefused()
    {
        var otherApp = new TokenSpec { Key = _noEndorsementKey, Issuer = "https://login.microsoftonline.com/" + TestIds.TenantId + "/v2.0", ServiceUrl = null, Extra = new Dictionary<string, object> { ["ver"] = "2.0", ["azp"] = "99999999-2222-3333-4444-555555555555" } }.Create();
        Assert.Contains("is not this bot", (await Check(otherApp)).Reason, StringComparison.Ordinal);

        var otherTenant = new TokenSpec { Key = _noEndorsementKey, Issuer = "https://login.microsoftonline.com/11111111-1111-1111-1111-111111111111/v2.0", ServiceUrl = null, Extra = new Dictionary<string, object> { ["ver"] = "2.0", ["azp"] = TestIds.AppId } }.Create();
        Assert.Contains("issuer not accepted", (await Check(otherTenant)).Reason, StringComparison.Ordinal);

        var noVersion = new TokenSpec { Key = _noEndorsementKey, Issuer = "https://sts.windows.net/" + TestIds.TenantId + "/", ServiceUrl = null, Extra = new Dictionary<string, object> { ["appid"] = TestIds.AppId } }.Create();
        Assert.Contains("is not 1.0 or 2.0", (await Check(noVersion)).Reason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("https://smba.trafficmanager.net/amer/", true)]
    [InlineData("https://smba.trafficmanager.net/teams/", true)]
    [InlineData("https://smba.infra.gcc.teams.microsoft.com/teams", true)]
    [InlineData("https://smba.infra.gov.teams.microsoft.us/", true)]
    [InlineData("https://smba.infra.dod.teams.microsoft.us/teams/", true)]
    [InlineData("https://attacker.example/", false)]
    [InlineData("https://smba.trafficmanager.net.attacker.example/amer/", false)]
    [InlineData("https://smba.trafficmanager.net@attacker.example/amer/", false)]
    [InlineData("http://smba.trafficmanager.net/amer/", false)]
    [InlineData("https://smba.trafficmanager.net:8443/amer/", false)]
    [InlineData("http://127.0.0.1:3978/", false)]
    [InlineData(null, false)]
    public async Task EntraToken_ServiceUrlMustBeOnTheAllowList(string? serviceUrl, bool accepted)
    {
        var token = new TokenSpec { Key = _noEndorsementKey, Issuer = "https://login.microsoftonline.com/" + TestIds.TenantId + "/v2.0", ServiceUrl = null, Extra = new Dictionary<string, object> { ["ver"] = "2.0", ["azp"] = TestIds.AppId } }.Create();
        var result = await Check(token, serviceUrl: serviceUrl);
        Assert.Equal(accepted, result.Succeeded);
        if (!accepted)
        {
            Assert.Contains("is not on Teams:ServiceUrlAllowList", result.Reason, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void ServiceUrlAllowList_Configured_ReplacesTheDefaults()
    {
        var o = new TeamsOptions { ServiceUrlAllowList = ["http://127.0.0.1:3978/"] };
        Assert.True(o.ServiceUrlAllowed("http://127.0.0.1:3978/"));
        Assert.False(o.ServiceUrlAllowed("http://127.0.0.1:3979/"));
        Assert.False(o.ServiceUrlAllowed("https://smba.trafficmanager.net/amer/"));
        Assert.Contains("Teams:ServiceUrlAllowList must list https URLs (http only on loopback, for tests)", new TeamsOptions { AllowUnauthenticatedLoopback = true, ServiceUrlAllowList = ["http://example.com/"] }.Validate());
    }

    [Fact]
    public async Task MultiTenantBot_AcceptsTheBotFrameworkTenant_NotItsOwnTenantList()
    {
        var validator = Validator("MultiTenant");
        var bfTenant = new TokenSpec { Key = _noEndorsementKey, Issuer = "https://login.microsoftonline.com/d6d49420-f39b-4df7-a1dc-d59a935871db/v2.0", ServiceUrl = null, Extra = new Dictionary<string, object> { ["ver"] = "2.0", ["azp"] = TestIds.AppId } }.Create();
        Assert.True((await Check(bfTenant, validator: validator)).Succeeded);
        var ownTenant = new TokenSpec { Key = _noEndorsementKey, Issuer = "https://login.microsoftonline.com/" + TestIds.TenantId + "/v2.0", ServiceUrl = null, Extra = new Dictionary<string, object> { ["ver"] = "2.0", ["azp"] = TestIds.AppId } }.Create();
        Assert.False((await Check(ownTenant, validator: validator)).Succeeded);
    }
}
