using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using NetOpsBot.Slack.Tests.Fake;
using NetOpsBot.Slack.WebApi;
using NetOpsBot.Testing;

namespace NetOpsBot.Slack.Tests.WebApi;

/// <summary>The Web API client against the fake Slack: shapes, errors, 429 per method, and no token in any log line.</summary>
public sealed class SlackApiClientTests
{
    private static (SlackApiClient Client, CapturingLogger Log, ServiceProvider Services) Client(FakeSlack fake, TimeProvider? time = null)
    {
        var log = new CapturingLogger();
        var services = fake.SlackServices(time ?? TimeProvider.System, log);
        return (services.GetRequiredService<SlackApiClient>(), log, services);
    }

    [Fact]
    public async Task WriteMethodsSendJson_ReadMethodsSendForms_ErrorsComeBackAsValues()
    {
        await using var fake = await FakeSlack.StartAsync();
        var (client, log, services) = Client(fake);
        await using var _ = services;

        var posted = await client.PostMessageAsync("C0NETOPS01", new JsonObject { ["text"] = "hello <world> & co" }, null, CancellationToken.None);
        Assert.True(posted.Ok);
        Assert.NotNull(posted.Text("ts"));
        var notMember = await client.PostMessageAsync("C0NOBOT001", new JsonObject { ["text"] = "x" }, null, CancellationToken.None);
        Assert.Equal((false, "not_in_channel"), (notMember.Ok, notMember.Error));
        var info = await client.UserInfoAsync("U0ALICE001", CancellationToken.None);
        Assert.True(info.Ok);
        var group = await client.UserGroupMembersAsync("S0NETADMIN", CancellationToken.None);
        Assert.Equal(["U0BOB00002", "U0CAROL003"], group.Body["users"]!.AsArray().Select(u => u!.GetValue<string>()));

        Assert.All(fake.Calls("chat.postMessage"), c => Assert.True(c.JsonBody));
        Assert.All(fake.Calls("users.info").Concat(fake.Calls("usergroups.users.list")), c => Assert.False(c.JsonBody));
        Assert.Empty(fake.Violations);
        Assert.Contains(log.Lines, l => l.Contains("not_in_channel", StringComparison.Ordinal));
        Assert.DoesNotContain(log.Lines, l => l.Contains(fake.BotToken, StringComparison.Ordinal) || l.Contains("/api/", StringComparison.Ordinal));
    }

    [Fact]
    public async Task RateLimited_WaitsRetryAfterForThatMethodOnly_ThenSucceeds()
    {
        await using var fake = await FakeSlack.StartAsync();
        // The pause runs on the client's clock: a fake one makes "waits until Retry-After has passed"
        // a fact about ordering, not a wall-clock threshold that a loaded CI machine can miss.
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 25, 12, 0, 0, TimeSpan.Zero));
        var (client, log, services) = Client(fake, time);
        await using var _ = services;
        fake.Fault("chat.update", new JsonObject { ["status"] = 429, ["retry_after"] = 2 });
        var ts = (await client.PostMessageAsync("C0NETOPS01", new JsonObject { ["text"] = "card" }, null, CancellationToken.None)).Text("ts")!;

        var update = client.UpdateAsync("C0NETOPS01", ts, new JsonObject { ["text"] = "v2" }, CancellationToken.None);
        await Eventually(() => log.Lines.Any(l => l.Contains("chat.update rate limited, waiting 2 s", StringComparison.Ordinal)));
        // Another caller of the paused method waits too; a different method does not.
        var second = client.UpdateAsync("C0NETOPS01", ts, new JsonObject { ["text"] = "v3" }, CancellationToken.None);
        var other = await client.PostEphemeralAsync("C0NETOPS01", "U0BOB00002", "not paused", CancellationToken.None);
        Assert.True(other.Ok);
        Assert.False(update.IsCompleted, "the rate-limited chat.update finished before its Retry-After passed");
        Assert.False(second.IsCompleted, "a second chat.update went out while the method was paused");
        Assert.Single(fake.Calls("chat.update"));

        time.Advance(TimeSpan.FromSeconds(1));
        await Task.Delay(100);
        Assert.False(update.IsCompleted || second.IsCompleted, "chat.update retried after 1 s; Retry-After was 2 s");

        time.Advance(TimeSpan.FromSeconds(1));
        Assert.True((await update.WaitAsync(TimeSpan.FromSeconds(30))).Ok);
        Assert.True((await second.WaitAsync(TimeSpan.FromSeconds(30))).Ok);
        Assert.Equal(3, fake.Calls("chat.update").Count);
    }

    private static async Task Eventually(Func<bool> condition)
    {
        for (var i = 0; i < 300 && !condition(); i++)
        {
            await Task.Delay(50);
        }

        Assert.True(condition(), "condition not met within 15 s");
    }

    [Fact]
    public async Task ResponseUrl_OnlySlackOrTheConfiguredApiHostIsTrusted()
    {
        await using var fake = await FakeSlack.StartAsync();
        var (client, _, services) = Client(fake);
        await using var __ = services;
        Assert.True(client.IsTrustedResponseUrl("https://hooks.slack.com/commands/T1/2/3", out _));
        Assert.True(client.IsTrustedResponseUrl(new Uri(fake.BaseUrl, "/response/x").ToString(), out _));
        Assert.False(client.IsTrustedResponseUrl("http://hooks.slack.com/commands/T1/2/3", out _));
        Assert.False(client.IsTrustedResponseUrl("https://hooks.slack.com.evil.example/x", out _));
        Assert.False(client.IsTrustedResponseUrl("https://169.254.169.254/latest/meta-data", out _));
        Assert.False(await client.RespondAsync("https://evil.example/x", new JsonObject { ["text"] = "x" }, CancellationToken.None));
    }
}
