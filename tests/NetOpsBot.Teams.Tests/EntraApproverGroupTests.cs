using Azure.Core;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using NetOpsBot.Teams.Approvals;
using NetOpsBot.Teams.Connector;
using NetOpsBot.Teams.Tests.Infrastructure;
using NetOpsBot.Testing;

namespace NetOpsBot.Teams.Tests;

/// <summary>
/// The Entra-group approver check against a local Microsoft Graph, with the bot's real Azure.Identity credential
/// getting its Graph token from a local Entra (https, a certificate trusted only through the credential's transport).
/// </summary>
public sealed class EntraApproverGroupTests : IAsyncLifetime, IDisposable
{
    private const string GroupId = "0c0ffee0-1111-4222-8333-944444444444";
    private const string Bob = "b2b2b2b2-0000-4000-8000-000000000002";
    private const string Carol = "c3c3c3c3-0000-4000-8000-000000000003";
    private const string Mallory = "99999999-0000-4000-8000-000000000009";
    private const string Secret = "graph-test-secret-6d1f";
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 5, 4, 9, 0, 0, TimeSpan.Zero));
    private readonly CapturingLogger<EntraApproverGroup> _log = new();
    private readonly HttpClient _http = new();
    private FakeEntra _entra = null!;
    private FakeGraph _graph = null!;

    public async Task InitializeAsync()
    {
        _entra = await FakeEntra.StartAsync(TestIds.TenantId, TestIds.AppId, Secret);
        _graph = await FakeGraph.StartAsync(_entra.IssuedFor);
        _graph.Groups[GroupId] = [Bob, Carol];
    }

    public void Dispose() => _http.Dispose();

    public async Task DisposeAsync()
    {
        await _graph.DisposeAsync();
        await _entra.DisposeAsync();
    }

    private TokenCredential Credential(string secret = Secret) => TeamsCredentials.Create(
        new TeamsOptions { AppId = TestIds.AppId, AppType = "SingleTenant", TenantId = TestIds.TenantId, ClientSecret = secret, AuthorityHost = _entra.AuthorityHost.ToString() },
        _entra.TrustingTransport())!;

    private EntraApproverGroup Group(string? graphBaseUrl = null, string groupId = GroupId, TokenCredential? credential = null) =>
        new(_http, credential ?? Credential(), graphBaseUrl ?? _graph.BaseUrl, groupId, TimeSpan.FromSeconds(300), _time, _log);

    [Fact]
    public async Task Member_IsApprover_NonMember_IsNot_WithAGraphTokenForThatGraph()
    {
        using var group = Group();
        Assert.True(await group.ContainsAsync(Bob, CancellationToken.None));
        Assert.True(await group.ContainsAsync(Carol.ToUpperInvariant(), CancellationToken.None));
        Assert.False(await group.ContainsAsync(Mallory, CancellationToken.None));
        Assert.Equal(1, _graph.Requests);
        Assert.Equal([_graph.Scope], _entra.Issued.Values);
        Assert.DoesNotContain(_entra.Requests, r => r.Contains("discovery", StringComparison.Ordinal));
        Assert.Empty(_log.Lines);
    }

    [Fact]
    public async Task ConnectorToken_ComesFromTheConfiguredAuthority_ForTheBotFrameworkScope()
    {
        var token = await new CredentialTokenSource(Credential()).GetTokenAsync(CancellationToken.None);
        Assert.True(_entra.IssuedFor(token, FakeEntra.BotFrameworkScope));
        Assert.Contains($"POST /{TestIds.TenantId}/oauth2/v2.0/token", _entra.Requests);
    }

    [Fact]
    public async Task TransitiveMembers_AreReadAcrossPages()
    {
        var many = Enumerable.Range(1, 7).Select(i => $"00000000-0000-4000-8000-{i:D12}").Append(Carol).ToList();
        _graph.Groups[GroupId] = many;
        _graph.PageSize = 3;
        using var group = Group();
        Assert.True(await group.ContainsAsync(Carol, CancellationToken.None));
        Assert.Equal(3, _graph.Requests);
    }

    [Fact]
    public async Task Membership_IsCached_ThenReread_SoARemovedMemberLosesApproval()
    {
        using var group = Group();
        Assert.True(await group.ContainsAsync(Bob, CancellationToken.None));
        _graph.Groups[GroupId] = [Carol];
        _time.Advance(TimeSpan.FromSeconds(299));
        Assert.True(await group.ContainsAsync(Bob, CancellationToken.None));
        Assert.Equal(1, _graph.Requests);

        _time.Advance(TimeSpan.FromSeconds(2));
        Assert.False(await group.ContainsAsync(Bob, CancellationToken.None));
        Assert.Equal(2, _graph.Requests);
    }

    [Fact]
    public async Task GraphDown_FailsClosed_IsLogged_AndIsNotCached()
    {
        using var group = Group();
        _graph.Down = true;
        Assert.False(await group.ContainsAsync(Bob, CancellationToken.None));
        Assert.Contains(_log.Lines, l => l.StartsWith("Warning Teams: the approver group could not be read", StringComparison.Ordinal) && l.Contains("503", StringComparison.Ordinal));

        _graph.Down = false;
        Assert.True(await group.ContainsAsync(Bob, CancellationToken.None));
    }

    [Fact]
    public async Task GraphDown_AfterAGoodRead_DoesNotKeepTheStaleList()
    {
        using var group = Group();
        Assert.True(await group.ContainsAsync(Bob, CancellationToken.None));
        _graph.Down = true;
        _time.Advance(TimeSpan.FromSeconds(301));
        Assert.False(await group.ContainsAsync(Bob, CancellationToken.None));
    }

    [Fact]
    public async Task GraphUnreachable_UnknownGroup_OrARefusedSecret_FailClosed_WithoutTheSecretInTheLog()
    {
        using var closed = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        closed.Start();
        var deadPort = ((System.Net.IPEndPoint)closed.LocalEndpoint).Port;
        closed.Stop();
        using (var unreachable = Group(graphBaseUrl: $"http://127.0.0.1:{deadPort}"))
        {
            Assert.False(await unreachable.ContainsAsync(Bob, CancellationToken.None));
        }

        using (var unknown = Group(groupId: "12345678-0000-4000-8000-000000000000"))
        {
            Assert.False(await unknown.ContainsAsync(Bob, CancellationToken.None));
        }

        const string wrong = "not-the-secret-3b9e";
        using (var refused = Group(credential: Credential(wrong)))
        {
            Assert.False(await refused.ContainsAsync(Bob, CancellationToken.None));
        }

        Assert.Equal(3, _log.Lines.Count);
        Assert.Contains(_log.Lines, l => l.Contains("404", StringComparison.Ordinal));
        Assert.Contains(_log.Lines, l => l.Contains("AuthenticationFailedException", StringComparison.Ordinal));
        Assert.DoesNotContain(_log.Lines, l => l.Contains(wrong, StringComparison.Ordinal) || l.Contains(Secret, StringComparison.Ordinal));
    }

    [Fact]
    public async Task PagingLinkToAnotherHost_IsNotFollowed_AndFailsClosed()
    {
        await using var elsewhere = await FakeGraph.StartAsync((_, _) => true);
        elsewhere.Groups[GroupId] = [Bob];
        _graph.Groups[GroupId] = [Carol, Mallory, Bob];
        _graph.PageSize = 1;
        _graph.NextLinkBase = elsewhere.BaseUrl;
        using var group = Group();
        Assert.False(await group.ContainsAsync(Bob, CancellationToken.None));
        Assert.Equal(0, elsewhere.Requests);
        Assert.Contains(_log.Lines, l => l.Contains("another host", StringComparison.Ordinal));
    }
}
