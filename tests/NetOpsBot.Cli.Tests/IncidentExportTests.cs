using Microsoft.Extensions.DependencyInjection;
using NetOpsBot.Core.Devices;
using NetOpsBot.Core.Incidents;
using NetOpsBot.Storage;

namespace NetOpsBot.Cli.Tests;

/// <summary>`netopsbot incident export` reads the same store the host writes.</summary>
public sealed class IncidentExportTests
{
    private static readonly System.Text.Json.JsonSerializerOptions Web = new(System.Text.Json.JsonSerializerDefaults.Web);

    [Fact]
    public async Task Export_StoredIncident_PrintsPostmortemInReferenceShape()
    {
        var dir = Directory.CreateTempSubdirectory("netopsbot-export-");
        try
        {
            var db = $"Data Source={Path.Combine(dir.FullName, "n.db")}";
            var services = new ServiceCollection();
            services.AddNetOpsBotStorage(new StorageOptions { Provider = StorageProvider.Sqlite, ConnectionString = db });
            IncidentId id;
            await using (var sp = services.BuildServiceProvider())
            {
                await sp.GetRequiredService<IStorageInitializer>().InitializeAsync(CancellationToken.None);
                var store = sp.GetRequiredService<IIncidentStore>();
                var now = DateTimeOffset.UnixEpoch.AddYears(56);
                var alice = new ChatUser("webchat", "alice", "alice");
                var incident = Incident.Open(DeviceName.Parse("sw-access-12"), alice, new ChatChannel("webchat", "netops", null), now);
                id = (await store.CreateAsync(incident, new TimelineEventDraft(TimelineEventKind.Requested, "alice", "alice asked", null, now), "k1", CancellationToken.None)).Incident.Id;
                var step = new StepData("listener", "TCP listeners", "Fail", "Nothing listens on port 22; listener on unexpected port 64443", ["0.0.0.0:64443  Listening"], ["display tcp status"], "raw", 12);
                await store.AppendAsync(id, new TimelineEventDraft(TimelineEventKind.StepFinished, "netopsbot", "TCP listeners: Fail", System.Text.Json.JsonSerializer.Serialize(step, Web), now), CancellationToken.None);
            }

            var run = await DiagRun.StartAsync(["incident", "export", id.Value, "--db", db]);

            Assert.Equal(0, run.ExitCode);
            Assert.Contains("## 2. Diagnostic Steps & Findings", run.StdOut, StringComparison.Ordinal);
            Assert.Contains("`display tcp status`", run.StdOut, StringComparison.Ordinal);
            Assert.Contains("64443", run.StdOut, StringComparison.Ordinal);

            var missing = await DiagRun.StartAsync(["incident", "export", "INC-00000000", "--db", db]);
            Assert.Equal(3, missing.ExitCode);
            var bad = await DiagRun.StartAsync(["incident", "export", "not-an-id;rm", "--db", db]);
            Assert.Equal(2, bad.ExitCode);
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }
}
