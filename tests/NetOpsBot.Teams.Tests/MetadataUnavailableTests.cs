using System.Net;
using System.Text.RegularExpressions;
using NetOpsBot.Host.Tests;
using NetOpsBot.Teams.Auth;
using NetOpsBot.Teams.Tests.Infrastructure;
using static NetOpsBot.Teams.Tests.Infrastructure.TeamsActivities;

namespace NetOpsBot.Teams.Tests;

/// <summary>
/// The Bot Framework OpenID metadata cannot be read (network down, DNS, the endpoint failing): a request with a
/// token is answered 503 with Retry-After (the token may be good; the bot cannot check it now), not an unhandled
/// exception and 500, and the outage is logged once a minute, not once per request.
/// </summary>
public sealed partial class MetadataUnavailableTests : IDisposable
{
    private readonly SigningKey _key = new("key-teams", "msteams");
    private readonly string _work = Directory.CreateTempSubdirectory("netopsbot-teams-metadata-").FullName;

    public void Dispose()
    {
        _key.Dispose();
        Directory.Delete(_work, recursive: true);
    }

    /// <summary>A loopback URL nothing listens on.</summary>
    private static string DeadMetadataUrl() => $"http://127.0.0.1:{HostProcess.FreePort()}/v1/.well-known/openidconfiguration";

    [Fact]
    public async Task Validator_MetadataUnreachable_KeysUnavailable_NotRefusedNotThrown()
    {
        using var http = new HttpClient();
        var options = new TeamsOptions { AppId = TestIds.AppId, AppType = "SingleTenant", TenantId = TestIds.TenantId, ClientSecret = "s", OpenIdMetadataUrl = DeadMetadataUrl(), EntraOpenIdMetadataUrl = DeadMetadataUrl() };
        var validator = new BotTokenValidator(options, BotTokenValidator.Keys(options.OpenIdMetadataUrl, http), BotTokenValidator.Keys(options.EntraOpenIdMetadataUrl, http));

        var check = await validator.ValidateAsync("Bearer " + new TokenSpec { Key = _key }.Create(), TestIds.ServiceUrl, "msteams", CancellationToken.None);

        Assert.False(check.Succeeded);
        Assert.True(check.KeysUnavailable, check.Reason);
        Assert.StartsWith("the Bot Framework OpenID metadata could not be read: ", check.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Host_MetadataUnreachable_TokenRequests503WithRetryAfter_OneWarningNotOnePerRequest()
    {
        // An inventory whose jump host is not there: the host starts and answers; these requests reach no device.
        File.WriteAllText(Path.Combine(_work, "inventory.json"), """
            {"jumpHosts":[{"name":"bastion-1","address":"127.0.0.1","port":1,"user":"netopsbot","keyFile":"/nonexistent"}],"consoleServers":[],
             "devices":[{"name":"sw-access-12","managementAddress":"127.0.0.1","managementIp":"10.12.0.12","credential":"core","jumpHost":"bastion-1"}]}
            """);
        File.WriteAllText(Path.Combine(_work, "known_hosts"), string.Empty);
        await using var host = await HostProcess.StartAsync(_work, Path.Combine(_work, "metadata.db"), new Dictionary<string, string>
        {
            ["NetOps__InventoryPath"] = Path.Combine(_work, "inventory.json"),
            ["NetOps__KnownHostsPath"] = Path.Combine(_work, "known_hosts"),
            ["Teams__AppId"] = TestIds.AppId,
            ["Teams__AppType"] = "SingleTenant",
            ["Teams__TenantId"] = TestIds.TenantId,
            ["Teams__ClientSecret"] = "metadata-test-secret-value",
            ["Teams__OpenIdMetadataUrl"] = DeadMetadataUrl(),
            ["Teams__EntraOpenIdMetadataUrl"] = DeadMetadataUrl(),
            ["Teams__ServiceUrlAllowList__0"] = TestIds.ServiceUrl,
        });

        for (var i = 0; i < 5; i++)
        {
            var activity = PersonalMessage(TestIds.ServiceUrl, "a:personal-metadata", "help", Alice);
            using var response = await TeamsHostFixture.PostAsync(host, activity, new TokenSpec { Key = _key }.Create());
            Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
            Assert.Equal(TimeSpan.FromSeconds(30), response.Headers.RetryAfter?.Delta);
        }

        // The host is still whole: it answers a request that needs no keys.
        using var refused = await TeamsHostFixture.PostAsync(host, PersonalMessage(TestIds.ServiceUrl, "a:personal-metadata", "help", Alice), null);
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);

        var log = host.Log;
        Assert.Single(Warning503().Matches(log));
        Assert.DoesNotContain("Unhandled", log, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotMatch(StackFrame(), log);
        Assert.DoesNotContain("metadata-test-secret-value", log, StringComparison.Ordinal);
    }

    [GeneratedRegex(@"answered 503 \(Retry-After 30 s\).*metadata could not be read")]
    private static partial Regex Warning503();

    [GeneratedRegex(@"\bat [A-Za-z_][\w.`<>]*\.[\w<>|`]+\(")]
    private static partial Regex StackFrame();
}
