using System.Net;
using System.Net.Sockets;
using Azure.Core;
using Azure.Core.Pipeline;
using Azure.Security.KeyVault.Secrets;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using NetOpsBot.Testing;

namespace NetOpsBot.Secrets.KeyVault.Tests;

/// <summary>The cache against a fake vault speaking Key Vault's REST shape over TLS, through the real SDK.</summary>
public sealed class KeyVaultSecretCacheTests : IAsyncLifetime
{
    private FakeKeyVault _vault = null!;
    private readonly FakeTimeProvider _time = new(DateTimeOffset.Parse("2026-11-24T10:00:00Z", System.Globalization.CultureInfo.InvariantCulture));
    private readonly CapturingLogger _log = new();

    public async Task InitializeAsync() => _vault = await FakeKeyVault.StartAsync();

    public async Task DisposeAsync() => await _vault.DisposeAsync();

    private KeyVaultSecretCache Cache(Uri? vaultUri = null, int maxRetries = 0) => new(
        new KeyVaultSecretsOptions { VaultUri = (vaultUri ?? _vault.VaultUri).ToString(), RefreshSeconds = 300, RetrySeconds = 30, MaxRetries = maxRetries, TimeoutSeconds = 5 },
        new StaticToken(_vault.AccessToken),
        _time,
        _log,
        new SecretClientOptions(SecretClientOptions.ServiceVersion.V7_6)
        {
            Transport = new HttpClientTransport(new HttpClient(_vault.Handler())),
        });

    [Fact]
    public async Task ReadsThroughTheChallenge_CachesUntilRefresh_ThenPicksUpARotatedValue()
    {
        _vault.Set("device-lab-device", "{\"user\":\"u\",\"password\":\"first\"}");
        var cache = Cache();

        Assert.Equal("{\"user\":\"u\",\"password\":\"first\"}", await cache.GetAsync("device-lab-device", CancellationToken.None));
        Assert.Equal("{\"user\":\"u\",\"password\":\"first\"}", await cache.GetAsync("device-lab-device", CancellationToken.None));
        Assert.Single(_vault.Reads);
        Assert.True(_vault.Challenges >= 1);

        _vault.Set("device-lab-device", "{\"user\":\"u\",\"password\":\"rotated\"}");
        _time.Advance(TimeSpan.FromSeconds(299));
        Assert.Contains("first", await cache.GetAsync("device-lab-device", CancellationToken.None), StringComparison.Ordinal);
        _time.Advance(TimeSpan.FromSeconds(2));
        Assert.Contains("rotated", await cache.GetAsync("device-lab-device", CancellationToken.None), StringComparison.Ordinal);
        Assert.Equal(2, _vault.Reads.Count);
        Assert.All(cache.Health, h => Assert.True(h.Readable));
    }

    [Fact]
    public async Task ConcurrentReadersOfOneSecret_CauseOneVaultRead()
    {
        _vault.Set("jumphost-lab-jump-key", "KEY");
        var cache = Cache();
        var values = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => cache.GetAsync("jumphost-lab-jump-key", CancellationToken.None).AsTask()));
        Assert.All(values, v => Assert.Equal("KEY", v));
        Assert.Single(_vault.Reads);
    }

    [Fact]
    public async Task MissingSecret_IsNull_AndCountsAsReadable()
    {
        var cache = Cache();
        Assert.Null(await cache.GetAsync("jumphost-lab-jump-passphrase", CancellationToken.None));
        var health = Assert.Single(cache.Health);
        Assert.True(health.Readable);
        Assert.False(health.Exists);
    }

    [Fact]
    public async Task VaultDownAfterARead_ServesTheEarlierValue_AndSaysSoOnce()
    {
        _vault.Set("slack-bot-token", "xoxb-CANARY-1");
        var cache = Cache();
        Assert.Equal("xoxb-CANARY-1", await cache.GetAsync("slack-bot-token", CancellationToken.None));

        _vault.Down = true;
        for (var i = 0; i < 3; i++)
        {
            _time.Advance(TimeSpan.FromSeconds(301));
            Assert.Equal("xoxb-CANARY-1", await cache.GetAsync("slack-bot-token", CancellationToken.None));
        }

        var health = Assert.Single(cache.Health);
        Assert.False(health.Readable);
        Assert.True(health.ServingStale);
        Assert.Equal("HTTP 503 ServiceUnavailable", health.Problem);
        Assert.Single(_log.Lines, l => l.Contains("could not refresh secret 'slack-bot-token'", StringComparison.Ordinal));

        _vault.Down = false;
        _time.Advance(TimeSpan.FromSeconds(31));
        Assert.Equal("xoxb-CANARY-1", await cache.GetAsync("slack-bot-token", CancellationToken.None));
        Assert.True(Assert.Single(cache.Health).Readable);
        Assert.Single(_log.Lines, l => l.Contains("'slack-bot-token' is readable again", StringComparison.Ordinal));
        Assert.DoesNotContain(_log.Lines, l => l.Contains("CANARY", StringComparison.Ordinal));
    }

    [Fact]
    public async Task UnreachableVault_NoValue_ThrowsNamingTheSecret_LogsOnce_AndRetriesOnlyAfterTheRetryWindow()
    {
        var closed = ClosedPort();
        var cache = Cache(new Uri($"https://127.0.0.1:{closed}/"));

        var first = await Assert.ThrowsAsync<SecretUnavailableException>(() => cache.GetAsync("device-core", CancellationToken.None).AsTask());
        Assert.Equal("device-core", first.SecretName);
        Assert.Equal("network: ConnectionRefused", first.Reason);
        Assert.Contains("secret 'device-core' could not be read: network: ConnectionRefused", first.Message, StringComparison.Ordinal);

        var again = await Assert.ThrowsAsync<SecretUnavailableException>(() => cache.GetAsync("device-core", CancellationToken.None).AsTask());
        Assert.Contains("(retrying)", again.Message, StringComparison.Ordinal);
        _time.Advance(TimeSpan.FromSeconds(31));
        await Assert.ThrowsAsync<SecretUnavailableException>(() => cache.GetAsync("device-core", CancellationToken.None).AsTask());

        Assert.Single(_log.Lines, l => l.Contains("could not read secret 'device-core'", StringComparison.Ordinal) && l.Contains("DEGRADED", StringComparison.Ordinal));
        var health = Assert.Single(await cache.CheckAsync(["device-core"], CancellationToken.None));
        Assert.False(health.Readable);
        Assert.False(health.ServingStale);
    }

    [Fact]
    public async Task RejectedToken_IsReportedAsHttp401_WithoutTheToken()
    {
        var cache = new KeyVaultSecretCache(
            new KeyVaultSecretsOptions { VaultUri = _vault.VaultUri.ToString(), MaxRetries = 0 },
            new StaticToken("WRONG-TOKEN-CANARY"),
            _time,
            _log,
            new SecretClientOptions
            {
                Transport = new HttpClientTransport(new HttpClient(_vault.Handler())),
            });
        var ex = await Assert.ThrowsAsync<SecretUnavailableException>(() => cache.GetAsync("device-core", CancellationToken.None).AsTask());
        Assert.True(ex.Reason == "HTTP 401 Unauthorized", ex.ToString());
        Assert.DoesNotContain("CANARY", ex.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Options_NameEveryBadKey()
    {
        var problems = new KeyVaultSecretsOptions { VaultUri = "http://vault", RefreshSeconds = 1, DeviceCredentialPrefix = "dev_", ManagedIdentityClientId = "not-a-guid" }.Validate();
        Assert.Contains(problems, p => p.StartsWith("NetOps:Secrets:KeyVault:VaultUri", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith("NetOps:Secrets:KeyVault:RefreshSeconds", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith("NetOps:Secrets:KeyVault:DeviceCredentialPrefix", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith("NetOps:Secrets:KeyVault:ManagedIdentityClientId", StringComparison.Ordinal));
        Assert.Empty(new KeyVaultSecretsOptions { VaultUri = "https://kv.vault.azure.net/" }.Validate());
        Assert.Equal("device-lab-device", SecretNames.For("device-", "lab_device"));
    }

    private static int ClosedPort()
    {
        using var l = new TcpListener(IPAddress.Loopback, 0);
        l.Start();
        return ((IPEndPoint)l.LocalEndpoint).Port;
    }

    private sealed class StaticToken(string token) : TokenCredential
    {
        public override AccessToken GetToken(TokenRequestContext requestContext, CancellationToken cancellationToken) => new(token, TimeProvider.System.GetUtcNow().AddHours(1));

        public override ValueTask<AccessToken> GetTokenAsync(TokenRequestContext requestContext, CancellationToken cancellationToken) => ValueTask.FromResult(GetToken(requestContext, cancellationToken));
    }
}
