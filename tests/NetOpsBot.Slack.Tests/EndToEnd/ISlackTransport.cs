using NetOpsBot.Slack.Tests.Fake;

namespace NetOpsBot.Slack.Tests.EndToEnd;

/// <summary>How the fake Slack delivers what a user does: signed HTTP requests or Socket Mode envelopes.</summary>
internal interface ISlackTransport
{
    /// <summary>Sends <c>/sshdiag text</c>; returns how long the bot took to acknowledge.</summary>
    Task<TimeSpan> SlashAsync(string user, string channel, string text);

    Task<TimeSpan> ClickAsync(string user, string channel, string button, bool confirm = false);
}

internal sealed class HttpTransport(SlackHost host) : ISlackTransport
{
    public async Task<TimeSpan> SlashAsync(string user, string channel, string text)
    {
        var answer = await FakeSlack.SendAsync(host.Commands, host.Fake.Slash(user, channel, text));
        Assert.Equal(200, answer.Status);
        return answer.Elapsed;
    }

    public async Task<TimeSpan> ClickAsync(string user, string channel, string button, bool confirm = false)
    {
        var answer = await FakeSlack.SendAsync(host.Interactivity, host.Fake.Click(user, channel, button, confirmDialogAccepted: confirm));
        Assert.Equal(200, answer.Status);
        Assert.Equal(string.Empty, answer.Body);
        return answer.Elapsed;
    }
}

internal sealed class SocketTransport(FakeSlack fake) : ISlackTransport
{
    public async Task<TimeSpan> SlashAsync(string user, string channel, string text)
    {
        var ack = await fake.SocketSlashAsync(user, channel, text);
        Assert.True(ack.Acked, "slash_commands envelope not acknowledged within 3 s");
        return ack.Elapsed;
    }

    public async Task<TimeSpan> ClickAsync(string user, string channel, string button, bool confirm = false)
    {
        var ack = await fake.SocketClickAsync(user, channel, button, confirm);
        Assert.True(ack.Acked, "interactive envelope not acknowledged within 3 s");
        return ack.Elapsed;
    }
}
