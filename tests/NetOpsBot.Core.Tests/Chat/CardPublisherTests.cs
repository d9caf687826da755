using NetOpsBot.Core.Chat;
using NetOpsBot.Core.Devices;
using NetOpsBot.Core.Incidents;
using NetOpsBot.Core.Tests.Fakes;

namespace NetOpsBot.Core.Tests.Chat;

/// <summary>
/// Issue 16 seam 3: the one card publisher every surface (Teams, Slack, web chat) shows incidents through, over a fake
/// sink. Updates coalesce; each thread line goes out once, in timeline order, after the card exists; a sink that
/// fails is reported and loses no line.
/// </summary>
public sealed class CardPublisherTests
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 6, 4, 0, 0, TimeSpan.Zero);
    private static readonly Incident Teams = Incident.Open(DeviceName.Parse("sw-access-12"), new ChatUser("teams", "alice", "Alice"), new ChatChannel("teams", "19:abc", null), T0);
    private readonly List<(string Incident, Exception Error)> _errors = [];

    [Fact]
    public async Task BurstDuringAPublication_FoldsIntoOneMore_EveryLineOnceInOrder()
    {
        var sink = new FakeSink { HoldFirstCard = new TaskCompletionSource() };
        await using var publisher = Publisher(sink);

        await publisher.NotifyAsync(Note(1), CancellationToken.None);
        await sink.FirstCardStarted.Task;
        for (var n = 2; n <= 30; n++)
        {
            await publisher.NotifyAsync(Note(n), CancellationToken.None);
        }

        sink.HoldFirstCard.SetResult();
        await publisher.DrainAsync();

        Assert.Equal(2, sink.Cards);
        Assert.Equal(Enumerable.Range(1, 30).Select(n => $"line {n}"), sink.Posted);
        Assert.Empty(_errors);
    }

    [Fact]
    public async Task OutOfOrderAndRepeatedNotifications_LinesInTimelineOrder_EachOnce()
    {
        var sink = new FakeSink { CardExists = false };
        await using var publisher = Publisher(sink);

        foreach (var n in (int[])[3, 1, 2, 2, 1, 4])
        {
            await publisher.NotifyAsync(Note(n), CancellationToken.None);
        }

        await publisher.DrainAsync();
        Assert.Empty(sink.Posted);

        // The card is posted (the command worker on Slack): the waiting lines follow it, then a repeat adds nothing.
        sink.CardExists = true;
        publisher.Schedule(Teams.Id);
        await publisher.DrainAsync();
        await publisher.NotifyAsync(Note(3), CancellationToken.None);
        await publisher.DrainAsync();

        Assert.Equal(["line 1", "line 2", "line 3", "line 4"], sink.Posted);
    }

    [Fact]
    public async Task SinkFailsToPostLines_ReportedWithTheIncident_NextPublicationPostsThemOnceInOrder()
    {
        var sink = new FakeSink { FailLinePosts = 1 };
        await using var publisher = Publisher(sink);

        await publisher.NotifyAsync(Note(1), CancellationToken.None);
        await publisher.NotifyAsync(Note(2), CancellationToken.None);
        await publisher.DrainAsync();
        var (incident, error) = Assert.Single(_errors);
        Assert.Equal(Teams.Id.Value, incident);
        Assert.IsType<HttpRequestException>(error);

        await publisher.NotifyAsync(Note(3), CancellationToken.None);
        await publisher.DrainAsync();
        Assert.Equal(["line 1", "line 2", "line 3"], sink.Posted);
    }

    [Fact]
    public async Task SinkFailsToPublishTheCard_Reported_LinesWaitForTheNextPublication()
    {
        var sink = new FakeSink { FailCards = 1 };
        await using var publisher = Publisher(sink);

        await publisher.NotifyAsync(Note(1), CancellationToken.None);
        await publisher.DrainAsync();
        Assert.Single(_errors);
        Assert.Empty(sink.Posted);

        await publisher.NotifyAsync(Note(2), CancellationToken.None);
        await publisher.DrainAsync();
        Assert.Equal(["line 1", "line 2"], sink.Posted);
    }

    [Fact]
    public async Task ManyLines_GoInBatchesOfTheSinksSize_InOrder()
    {
        var sink = new FakeSink { HoldFirstCard = new TaskCompletionSource(), MaxLinesPerPost = 2 };
        await using var publisher = Publisher(sink);

        await publisher.NotifyAsync(Note(1), CancellationToken.None);
        await sink.FirstCardStarted.Task;
        for (var n = 2; n <= 5; n++)
        {
            await publisher.NotifyAsync(Note(n), CancellationToken.None);
        }

        sink.HoldFirstCard.SetResult();
        await publisher.DrainAsync();

        Assert.Equal([["line 1", "line 2"], ["line 3", "line 4"], ["line 5"]], sink.Batches);
    }

    [Fact]
    public async Task IncidentOfAnotherPlatform_NotShown_NoEventWithoutALine()
    {
        var sink = new FakeSink { ShowsPlatform = "slack" };
        await using var publisher = Publisher(sink);

        await publisher.NotifyAsync(Note(1), CancellationToken.None);
        await publisher.DrainAsync();
        Assert.Equal((0, 0), (sink.Observed, sink.Cards));

        sink.ShowsPlatform = "teams";
        await publisher.NotifyAsync(new IncidentNotification(Teams, Event(2)) { ThreadText = null }, CancellationToken.None);
        await publisher.DrainAsync();
        Assert.Equal((1, 1), (sink.Observed, sink.Cards));
        Assert.Empty(sink.Posted);
    }

    [Fact]
    public async Task LineAppendedWithoutANotification_CaughtUpFromTheStoreByTheNextPublication_OnceOverTwoReplicas()
    {
        var store = new InMemoryIncidentStore();
        var claims = new InMemoryClaims();
        var created = await store.CreateAsync(Teams, new TimelineEventDraft(TimelineEventKind.Requested, "alice", "Diagnosis requested", null, T0), "k1", CancellationToken.None);
        var sinkA = new FakeSink();
        var sinkB = new FakeSink();
        await using var replicaA = new CardPublisher(sinkA, TimeProvider.System, (_, _) => { }, new ThreadLedger(store, claims));
        await using var replicaB = new CardPublisher(sinkB, TimeProvider.System, (_, _) => { }, new ThreadLedger(store, claims));

        await replicaA.NotifyAsync(new IncidentNotification(Teams, created.Requested!) { ThreadText = "Diagnosis requested" }, CancellationToken.None);
        await replicaA.DrainAsync();

        // The replica that appended these died before its notifications went out: no publisher heard of them.
        await Append(store, "step ssh-port finished");
        await Append(store, "step route finished");
        var next = await Append(store, "offered fix");
        await replicaB.NotifyAsync(new IncidentNotification(Teams, next) { ThreadText = "offered fix" }, CancellationToken.None);
        await replicaB.DrainAsync();
        await replicaA.NotifyAsync(new IncidentNotification(Teams, next) { ThreadText = "offered fix" }, CancellationToken.None);
        await replicaA.DrainAsync();
        replicaB.Schedule(Teams.Id);
        await replicaB.DrainAsync();

        var thread = sinkA.Posted.Concat(sinkB.Posted).ToList();
        Assert.Equal(ThreadLines.Compose(await store.TimelineAsync(Teams.Id, 0, CancellationToken.None)).Select(l => l.Text), thread);
        Assert.Equal(["Diagnosis requested", "step ssh-port finished", "step route finished", "offered fix"], thread);
        Assert.Equal(["Diagnosis requested"], sinkA.Posted);
    }

    [Fact]
    public async Task SharedThread_SinkFails_ClaimsGivenBack_NextPublicationPostsTheLinesOnce()
    {
        var store = new InMemoryIncidentStore();
        var claims = new InMemoryClaims();
        await store.CreateAsync(Teams, new TimelineEventDraft(TimelineEventKind.Requested, "alice", "Diagnosis requested", null, T0), "k1", CancellationToken.None);
        await Append(store, "step ssh-port finished");
        var sink = new FakeSink { FailLinePosts = 1 };
        await using var publisher = new CardPublisher(sink, TimeProvider.System, (_, _) => { }, new ThreadLedger(store, claims));

        publisher.Schedule(Teams.Id);
        await publisher.DrainAsync();
        Assert.Empty(sink.Posted);
        publisher.Schedule(Teams.Id);
        await publisher.DrainAsync();

        Assert.Equal(["Diagnosis requested", "step ssh-port finished"], sink.Posted);
    }

    [Fact]
    public async Task SharedThread_ClaimStoreFailsMidBatch_EarlierClaimsGivenBack_NextPublicationPostsEveryLineOnce()
    {
        var store = new InMemoryIncidentStore();
        var claims = new InMemoryClaims { FailClaimNumber = 2 };
        await store.CreateAsync(Teams, new TimelineEventDraft(TimelineEventKind.Requested, "alice", "Diagnosis requested", null, T0), "k1", CancellationToken.None);
        await Append(store, "step ssh-port finished");
        var sink = new FakeSink();
        await using var publisher = new CardPublisher(sink, TimeProvider.System, (id, ex) => _errors.Add((id, ex)), new ThreadLedger(store, claims));

        publisher.Schedule(Teams.Id);
        await publisher.DrainAsync();
        Assert.Empty(sink.Posted);
        Assert.Single(_errors);
        publisher.Schedule(Teams.Id);
        await publisher.DrainAsync();

        Assert.Equal(["Diagnosis requested", "step ssh-port finished"], sink.Posted);
    }

    private static Task<TimelineEvent> Append(InMemoryIncidentStore store, string summary) =>
        store.AppendAsync(Teams.Id, new TimelineEventDraft(TimelineEventKind.Note, "netopsbot", summary, null, T0), CancellationToken.None);

    private CardPublisher Publisher(FakeSink sink) => new(sink, TimeProvider.System, (id, ex) =>
    {
        lock (_errors)
        {
            _errors.Add((id, ex));
        }
    });

    private static TimelineEvent Event(int n) => new(Teams.Id, n, T0.AddSeconds(n), TimelineEventKind.Note, "netopsbot", $"event {n}", null);

    private static IncidentNotification Note(int n) => new(Teams, Event(n)) { ThreadText = $"line {n}" };

    /// <summary>The conversation store's "add unless present", shared by the two replicas of a test.</summary>
    private sealed class InMemoryClaims : IConversationStore
    {
        private readonly System.Collections.Concurrent.ConcurrentDictionary<(string, string), string> _facts = new();
        private int _claims;

        /// <summary>The claim (1-based, counted over the test) that fails as a database outage would.</summary>
        public int FailClaimNumber { get; init; }

        public Task<bool> TryAddAsync(string platform, string key, string value, CancellationToken cancellationToken) =>
            Interlocked.Increment(ref _claims) == FailClaimNumber
                ? throw new TimeoutException("database busy")
                : Task.FromResult(_facts.TryAdd((platform, key), value));

        public Task PutAsync(string platform, string key, string value, CancellationToken cancellationToken)
        {
            _facts[(platform, key)] = value;
            return Task.CompletedTask;
        }

        public Task<string?> GetAsync(string platform, string key, CancellationToken cancellationToken) => Task.FromResult(_facts.GetValueOrDefault((platform, key)));

        public Task DeleteAsync(string platform, string key, CancellationToken cancellationToken)
        {
            _facts.TryRemove((platform, key), out _);
            return Task.CompletedTask;
        }

        public Task<IReadOnlyList<ConversationFact>> ListAsync(string platform, string keyPrefix, DateTimeOffset writtenBefore, int limit, CancellationToken cancellationToken, string? valuePrefix = null) => throw new NotSupportedException();

        public Task<int> PurgeAsync(string platform, string keyPrefix, DateTimeOffset olderThan, CancellationToken cancellationToken) => throw new NotSupportedException();
    }

    private sealed class FakeSink : ICardSink
    {
        private readonly Lock _gate = new();

        public string ShowsPlatform { get; set; } = "teams";

        public bool CardExists { get; set; } = true;

        public int FailCards { get; set; }

        public int FailLinePosts { get; set; }

        public TaskCompletionSource? HoldFirstCard { get; init; }

        public TaskCompletionSource FirstCardStarted { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public int Cards { get; private set; }

        public int Observed { get; private set; }

        public List<string> Posted { get; } = [];

        public List<List<string>> Batches { get; } = [];

        public string Platform => "teams";

        public TimeSpan MinUpdateInterval => TimeSpan.Zero;

        public int MaxLinesPerPost { get; init; } = int.MaxValue;

        public bool Shows(Incident incident) => incident.Channel.Platform == ShowsPlatform;

        public void Observe(IncidentNotification notification) => Observed++;

        public async Task<CardMessageRef?> PublishCardAsync(IncidentId id, CancellationToken cancellationToken)
        {
            lock (_gate)
            {
                Cards++;
            }

            if (Cards == 1 && HoldFirstCard is { } hold)
            {
                FirstCardStarted.SetResult();
                await hold.Task;
            }

            if (FailCards > 0)
            {
                FailCards--;
                throw new HttpRequestException("connector down");
            }

            return CardExists ? new CardMessageRef("teams", "19:abc", "card-1") : null;
        }

        public Task PostLinesAsync(IncidentId id, CardMessageRef card, IReadOnlyList<ChatLine> lines, CancellationToken cancellationToken)
        {
            if (FailLinePosts > 0)
            {
                FailLinePosts--;
                throw new HttpRequestException("connector down");
            }

            lock (_gate)
            {
                Posted.AddRange(lines.Select(l => l.Text));
                Batches.Add([.. lines.Select(l => l.Text)]);
            }

            return Task.CompletedTask;
        }
    }
}
