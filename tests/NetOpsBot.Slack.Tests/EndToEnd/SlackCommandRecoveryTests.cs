using System.Diagnostics;
using System.Text.Json;
using NetOpsBot.Slack.Inbound;
using NetOpsBot.Slack.Tests.Fake;

namespace NetOpsBot.Slack.Tests.EndToEnd;

/// <summary>A command acknowledged by a host that stopped before doing its work is done by the next one.</summary>
public sealed class SlackCommandRecoveryTests
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    [Fact]
    public async Task CommandAcknowledgedButNeverRun_IsRunOnceByTheNextHost_AndMarkedDone()
    {
        await using var slack = await SlackHost.StartAsync("Http", scenario: "healthy", new Dictionary<string, string> { ["Slack__ResumeAfterSeconds"] = "2" });
        var fake = slack.Fake;

        // What a host that answered Slack and then died leaves behind: the pending record, nothing else.
        var signed = fake.Slash(SlackHost.Dave, SlackHost.NetOps, "sw-access-13");
        Assert.True(SlashCommand.TryParseForm(signed.Body, out var command));
        var pending = JsonSerializer.Serialize(new { pending = true, attempts = 0, command }, Json);
        var written = TimeProvider.System.GetUtcNow() - TimeSpan.FromSeconds(10);
        Sql(slack.Lab.Database, "insert into conversation_facts(platform, key, value, updated_at) values('slack', ?, ?, ?)", "cmd:" + command.TriggerId, pending, written.UtcTicks.ToString(System.Globalization.CultureInfo.InvariantCulture));

        var card = await Eventually.GetAsync(() => fake.Messages(SlackHost.NetOps).LastOrDefault(m => m.Text.Contains("sw-access-13", StringComparison.Ordinal)), "the resumed command's card", context: () => slack.Host.Log);
        await Eventually.TrueAsync(() => Sql(slack.Lab.Database, "select value from conversation_facts where key = ?", "cmd:" + command.TriggerId) == "done", "the record marked done");

        // The same delivery arriving now (Slack's retry) runs nothing: the record is there.
        var retry = await FakeSlack.SendAsync(slack.Commands, signed, retryNum: "1");
        Assert.Equal(200, retry.Status);
        await Task.Delay(3000);
        Assert.Single(fake.Messages(SlackHost.NetOps), m => m.Text.Contains("sw-access-13", StringComparison.Ordinal));
        var incidents = (await slack.IncidentsAsync()).EnumerateArray().ToList();
        Assert.Single(incidents);
        Assert.Equal("sw-access-13", incidents[0].GetProperty("device").GetString());
        Assert.Contains("resuming a command", slack.Host.Log, StringComparison.Ordinal);
        Assert.NotNull(card);
        Assert.Empty(fake.Violations);
    }

    /// <summary>Runs one statement on the host's SQLite file through python3's sqlite3 (another process, as an operator would).</summary>
    private static string Sql(string database, string sql, params string[] args)
    {
        var psi = new ProcessStartInfo("python3", ["-c", "import sqlite3,sys; c=sqlite3.connect(sys.argv[1], timeout=30); r=c.execute(sys.argv[2], sys.argv[3:]).fetchone(); c.commit(); print(r[0] if r else '')", database, sql, .. args])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var p = Process.Start(psi)!;
        var output = p.StandardOutput.ReadToEnd();
        var error = p.StandardError.ReadToEnd();
        p.WaitForExit();
        Assert.True(p.ExitCode == 0, error);
        return output.Trim();
    }
}
