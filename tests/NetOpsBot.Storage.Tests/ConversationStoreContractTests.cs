using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using NetOpsBot.Core.Chat;

namespace NetOpsBot.Storage.Tests;

/// <summary>The chat surfaces' conversation facts, per provider; two service providers stand in for two replicas.</summary>
public abstract class ConversationStoreContractTests : IAsyncLifetime
{
    private readonly List<ServiceProvider> _providers = [];
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 25, 12, 0, 0, TimeSpan.Zero));

    private IConversationStore A { get; set; } = null!;

    private IConversationStore B { get; set; } = null!;

    public async Task InitializeAsync()
    {
        var options = await CreateDatabaseAsync();
        var a = Replica(options);
        await a.GetRequiredService<IStorageInitializer>().InitializeAsync(CancellationToken.None);
        A = a.GetRequiredService<IConversationStore>();
        B = Replica(ForReplica(options, "b")).GetRequiredService<IConversationStore>();
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

    [Fact]
    public async Task TryAddAsync_SameDeliveryOnTwoReplicasAtOnce_ExactlyOneWins()
    {
        var results = await Task.WhenAll(Enumerable.Range(0, 20).Select(i => Task.Run(() =>
            (i % 2 == 0 ? A : B).TryAddAsync("slack", "cmd:trigger-1", $"{{\"n\":{i}}}", CancellationToken.None))));

        Assert.Equal(1, results.Count(won => won));
        Assert.NotNull(await B.GetAsync("slack", "cmd:trigger-1", CancellationToken.None));
    }

    [Fact]
    public async Task PutAsync_ThenGetOnOtherReplica_ReturnsLatestAndKeepsPlatformsApart()
    {
        await A.PutAsync("teams", "conv:19:abc@thread.tacv2", "{\"serviceUrl\":\"https://one/\"}", CancellationToken.None);
        await B.PutAsync("teams", "conv:19:abc@thread.tacv2", "{\"serviceUrl\":\"https://two/\"}", CancellationToken.None);

        Assert.Equal("{\"serviceUrl\":\"https://two/\"}", await A.GetAsync("teams", "conv:19:abc@thread.tacv2", CancellationToken.None));
        Assert.Null(await A.GetAsync("slack", "conv:19:abc@thread.tacv2", CancellationToken.None));
    }

    [Fact]
    public async Task PutAsync_OversizedKeyOrValue_IsRefusedWithoutWriting()
    {
        await Assert.ThrowsAsync<ArgumentException>(() => A.PutAsync("teams", new string('k', IConversationStore.MaxKeyLength + 1), "v", CancellationToken.None));
        await Assert.ThrowsAsync<ArgumentException>(() => A.TryAddAsync("teams", "k", new string('v', IConversationStore.MaxValueLength + 1), CancellationToken.None));

        Assert.Null(await A.GetAsync("teams", "k", CancellationToken.None));
    }

    [Fact]
    public async Task PurgeAsync_OldKeysWithThePrefix_GoAndEverythingElseStays()
    {
        await A.PutAsync("teams", "activity|old", "1", CancellationToken.None);
        await A.PutAsync("teams", "conv:keep", "2", CancellationToken.None);
        await A.PutAsync("slack", "activity|other-platform", "3", CancellationToken.None);
        _time.Advance(TimeSpan.FromHours(25));
        var cutoff = _time.GetUtcNow() - TimeSpan.FromHours(24);
        await A.PutAsync("teams", "activity|new", "4", CancellationToken.None);

        var purged = await B.PurgeAsync("teams", "activity|", cutoff, CancellationToken.None);

        Assert.Equal(1, purged);
        Assert.Null(await A.GetAsync("teams", "activity|old", CancellationToken.None));
        Assert.NotNull(await A.GetAsync("teams", "activity|new", CancellationToken.None));
        Assert.NotNull(await A.GetAsync("teams", "conv:keep", CancellationToken.None));
        Assert.NotNull(await A.GetAsync("slack", "activity|other-platform", CancellationToken.None));
    }

    [Fact]
    public async Task ListAsync_PendingKeysOlderThanTheCutoff_OldestFirstAndDeleteRemovesOne()
    {
        await A.PutAsync("slack", "pending:t1", "tone", CancellationToken.None);
        _time.Advance(TimeSpan.FromSeconds(1));
        await A.PutAsync("slack", "pending:t2", "two", CancellationToken.None);
        await A.PutAsync("slack", "pending:t0", "done", CancellationToken.None);
        await A.PutAsync("slack", "cmd:t2", "{\"pending\":true}", CancellationToken.None);
        _time.Advance(TimeSpan.FromMinutes(1));
        await A.PutAsync("slack", "pending:t3", "too new", CancellationToken.None);

        var listed = await B.ListAsync("slack", "pending:", _time.GetUtcNow() - TimeSpan.FromSeconds(30), 10, CancellationToken.None);
        var byValue = await B.ListAsync("slack", "pending:", _time.GetUtcNow() + TimeSpan.FromSeconds(1), 10, CancellationToken.None, valuePrefix: "t");
        await B.DeleteAsync("slack", "pending:t1", CancellationToken.None);
        await B.DeleteAsync("slack", "pending:never-there", CancellationToken.None);

        Assert.Equal(["pending:t1", "pending:t0", "pending:t2"], listed.Select(f => f.Key));
        Assert.Equal(["pending:t1", "pending:t2", "pending:t3"], byValue.Select(f => f.Key));
        Assert.Equal("tone", listed[0].Value);
        Assert.Null(await A.GetAsync("slack", "pending:t1", CancellationToken.None));
        Assert.Equal("two", await A.GetAsync("slack", "pending:t2", CancellationToken.None));
    }

    private ServiceProvider Replica(StorageOptions options)
    {
        var services = new ServiceCollection();
        services.AddSingleton<TimeProvider>(_time);
        services.AddNetOpsBotStorage(options);
        var provider = services.BuildServiceProvider();
        _providers.Add(provider);
        return provider;
    }
}
