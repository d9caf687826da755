using NetOpsBot.Host.Tests;
using NetOpsBot.Teams.Tests.Infrastructure;

namespace NetOpsBot.Teams.Tests;

/// <summary>
/// Teams settings that must stop the real host process at start-up with a message naming the key, instead of
/// running with a check switched off or crashing later. The host stops while it registers services, before it
/// looks for a lab, so these need no lab.
/// </summary>
public sealed class HostStartupRefusalTests : IDisposable
{
    private readonly string _work = Directory.CreateTempSubdirectory("netopsbot-teams-startup-").FullName;

    public void Dispose() => Directory.Delete(_work, recursive: true);

    private static Dictionary<string, string> Identity(string secret) => new()
    {
        ["Teams__AppId"] = TestIds.AppId,
        ["Teams__AppType"] = "SingleTenant",
        ["Teams__TenantId"] = TestIds.TenantId,
        ["Teams__ClientSecret"] = secret,
    };

    [Theory]
    [InlineData("AppId")]
    [InlineData("ClientSecret")]
    [InlineData("CertificatePath")]
    [InlineData("FederatedManagedIdentityClientId")]
    public async Task LoopbackSwitch_NextToAnIdentityOrCredential_HostRefusesToStart_NamingTheKey(string key)
    {
        const string secret = "loopback-relay-secret-value";
        var settings = key == "AppId" ? Identity(secret) : new Dictionary<string, string>();
        settings[$"Teams__{key}"] = key switch
        {
            "AppId" => TestIds.AppId,
            "ClientSecret" => secret,
            "CertificatePath" => Path.Combine(_work, "bot.pem"),
            _ => TestIds.TenantId,
        };
        settings["Teams__AllowUnauthenticatedLoopback"] = "true";

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => HostProcess.StartAsync(_work, Path.Combine(_work, "loopback.db"), settings));
        Assert.Contains($"Teams:AllowUnauthenticatedLoopback must be false when Teams:{key} is set", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(secret, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("0")]
    [InlineData("-1")]
    public async Task ConnectorRetriesBelowOne_HostRefusesToStart_NamingTheKey(string retries)
    {
        var settings = Identity("retries-secret-value");
        settings["Teams__ConnectorRetries"] = retries;
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => HostProcess.StartAsync(_work, Path.Combine(_work, "retries.db"), settings));
        Assert.Contains("Teams:ConnectorRetries must be between 1 and 10", error.Message, StringComparison.Ordinal);
    }
}
