using System.Text.Json;
using Microsoft.Extensions.Logging;
using NetOpsBot.Core.Chat;

namespace NetOpsBot.Slack.Inbound;

/// <summary>
/// The acknowledgement path shared by HTTP and Socket Mode: record the delivery durably (which also
/// refuses a second delivery of it on any replica), queue the work, answer. Nothing here waits for a
/// device, the router or Slack's API.
/// </summary>
public sealed partial class SlackInbound(
    IConversationStore conversations,
    SlackBackgroundWork queue,
    SlackCommandWorker commands,
    SlackActionWorker actions,
    RecentDeliveries recent,
    TimeProvider time,
    ILogger<SlackInbound> log)
{
    internal const string Platform = "slack";

    public async Task<SlackAck> AcceptCommandAsync(SlashCommand command, string? retryNum, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(command);
        var key = "cmd:" + command.TriggerId;
        if (recent.Contains(key))
        {
            LogDuplicate(log, "command", retryNum ?? "-");
            return SlackAck.Duplicate;
        }

        var record = JsonSerializer.Serialize(new { channel = command.ChannelId, user = command.UserId, text = command.Text.Length > 1000 ? command.Text[..1000] : command.Text, at = time.GetUtcNow() });
        var added = await conversations.TryAddAsync(Platform, key, record, ct).ConfigureAwait(false);
        recent.Remember(key);
        if (!added)
        {
            LogDuplicate(log, "command", retryNum ?? "-");
            return SlackAck.Duplicate;
        }

        queue.TryEnqueue("command", work => commands.RunAsync(command, work));
        return ChatCommandParser.Parse(command.RouterText) is ChatCommand.Diagnose ? SlackAck.InChannel : SlackAck.Empty;
    }

    public async Task<bool> AcceptActionAsync(BlockAction click, string? retryNum, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(click);
        var key = "act:" + click.TriggerId;
        if (recent.Contains(key))
        {
            LogDuplicate(log, "click", retryNum ?? "-");
            return false;
        }

        var record = JsonSerializer.Serialize(new { channel = click.ChannelId, user = click.UserId, action = click.ActionId, at = time.GetUtcNow() });
        var added = await conversations.TryAddAsync(Platform, key, record, ct).ConfigureAwait(false);
        recent.Remember(key);
        if (!added)
        {
            LogDuplicate(log, "click", retryNum ?? "-");
            return false;
        }

        queue.TryEnqueue("click", work => actions.RunAsync(click, work));
        return true;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "slack: {What} already received (retry {RetryNum}); acknowledged, not run again")]
    private static partial void LogDuplicate(ILogger log, string what, string retryNum);
}
