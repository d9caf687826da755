using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using NetOpsBot.Core.Devices;
using NetOpsBot.Core.Incidents;
using NetOpsBot.Storage.Tests.Infrastructure;
using Npgsql;

namespace NetOpsBot.Storage.Tests;

/// <summary>Alert identity → incident links, per provider; two service providers stand in for two replicas.</summary>
public abstract class AlertLinkStoreContractTests : IAsyncLifetime
{
    private readonly List<ServiceProvider> _providers = [];
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 12, 6, 1, 0, 0, TimeSpan.Zero));

    private IAlertLinkStore A { get; set; } = null!;

    private IAlertLinkStore B { get; set; } = null!;

    private IIncidentStore Incidents { get; set; } = null!;

    public async Task InitializeAsync()
    {
        var options = await CreateDatabaseAsync();
        var a = Replica(options);
        await a.GetRequiredService<IStorageInitializer>().InitializeAsync(CancellationToken.None);
        A = a.GetRequiredService<IAlertLinkStore>();
        Incidents = a.GetRequiredService<IIncidentStore>();
        B = Replica(ForReplica(options, "b")).GetRequiredService<IAlertLinkStore>();
    }

    public async Task DisposeAsync()
    {
        foreach (var provider in _providers)
        {
            await provider.DisposeAsync();
        }

        await DropDatabaseAsync();
    }

    protected abstract Task<StorageOptions> CreateDatabaseAsync();

    protected abstract Task DropDatabaseAsync();

    protected abstract StorageOptions ForReplica(StorageOptions options, string name);

    private ServiceProvider Replica(StorageOptions options)
    {
        var provider = new ServiceCollection().AddSingleton<TimeProvider>(_time).AddNetOpsBotStorage(options).BuildServiceProvider();
        _providers.Add(provider);
        return provider;
    }

    private async Task<IncidentId> IncidentAsync(string key)
    {
        var requester = new ChatUser("alert", "alertmanager/SSHDown", "alert SSHDown from Alertmanager");
        var incident = Incident.Open(DeviceName.Parse("sw-access-12"), requester, new ChatChannel("webchat", "netops", null), _time.GetUtcNow());
        var created = await Incidents.CreateAsync(incident, new TimelineEventDraft(TimelineEventKind.Requested, requester.ToString(), "opened by alert SSHDown from Alertmanager", null, _time.GetUtcNow()), key, CancellationToken.None);
        return created.Incident.Id;
    }

    [Fact]
    public async Task PutAsync_SameLinksFromTwoReplicasAtOnce_OneRowPerIdentity_ReadableEverywhere()
    {
        var id = await IncidentAsync("alert:alertmanager:fp1:1");
        var links = Enumerable.Range(0, 600).Select(i => new AlertLink("alertmanager", $"fp{i}", id, 1, AlertLinkStatus.Firing, _time.GetUtcNow())).ToList();
        await Task.WhenAll(Enumerable.Range(0, 8).Select(i => Task.Run(() => (i % 2 == 0 ? A : B).PutAsync(links, CancellationToken.None))));

        var read = await B.GetAsync("alertmanager", [.. links.Select(l => l.Identity), "fp-none"], CancellationToken.None);
        Assert.Equal(600, read.Count);
        Assert.Equal(new AlertLink("alertmanager", "fp7", id, 1, AlertLinkStatus.Firing, _time.GetUtcNow()), read["fp7"]);
        Assert.Empty(await A.GetAsync("zabbix", ["fp7"], CancellationToken.None));
    }

    [Fact]
    public async Task TransitionAsync_RacingDeliveries_OnlyOneAnnouncesIt()
    {
        var id = await IncidentAsync("alert:alertmanager:fpx:1");
        await A.PutAsync([new AlertLink("alertmanager", "fpx", id, 1, AlertLinkStatus.Firing, _time.GetUtcNow())], CancellationToken.None);
        var results = await Task.WhenAll(Enumerable.Range(0, 10).Select(i => Task.Run(() =>
            (i % 2 == 0 ? A : B).TransitionAsync("alertmanager", "fpx", AlertLinkStatus.Firing, AlertLinkStatus.Resolved, _time.GetUtcNow().AddMinutes(1), CancellationToken.None))));
        Assert.Equal(1, results.Count(won => won));
        Assert.Equal(AlertLinkStatus.Resolved, (await A.GetAsync("alertmanager", ["fpx"], CancellationToken.None))["fpx"].Status);
        Assert.False(await A.TransitionAsync("alertmanager", "nothing", AlertLinkStatus.Firing, AlertLinkStatus.Resolved, _time.GetUtcNow(), CancellationToken.None));
    }
}

public sealed class SqliteAlertLinkStoreTests : AlertLinkStoreContractTests
{
    private readonly string _folder = Directory.CreateTempSubdirectory("netopsbot-sqlite-").FullName;

    protected override Task<StorageOptions> CreateDatabaseAsync() =>
        Task.FromResult(new StorageOptions { Provider = StorageProvider.Sqlite, ConnectionString = $"Data Source={Path.Combine(_folder, "netopsbot.db")}" });

    protected override Task DropDatabaseAsync()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_folder, recursive: true);
        return Task.CompletedTask;
    }

    protected override StorageOptions ForReplica(StorageOptions options, string name) => options;
}

[Collection(PostgresServerGroup.Name)]
public sealed class PostgresAlertLinkStoreTests(PostgresServer server) : AlertLinkStoreContractTests
{
    protected override async Task<StorageOptions> CreateDatabaseAsync() =>
        new() { Provider = StorageProvider.Postgres, ConnectionString = await server.CreateDatabaseAsync() };

    protected override Task DropDatabaseAsync()
    {
        NpgsqlConnection.ClearAllPools();
        return Task.CompletedTask;
    }

    protected override StorageOptions ForReplica(StorageOptions options, string name) =>
        new() { Provider = StorageProvider.Postgres, ConnectionString = options.ConnectionString + ";Application Name=replica-" + name };
}
