using NetOpsBot.Core;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using NetOpsBot.Core.Chat;

namespace NetOpsBot.Slack.Inbound;

/// <summary>
/// The acknowledgement path shared by HTTP and Socket Mode: record the delivery durably (which also
/// refuses a second delivery of it on any replica), queue the work, answer. Nothing here waits for a
/// device, the router or Slack's API. A command's record stays "pending" until its work is done, so a
/// host that stops (or a full queue) between the answer and the work loses nothing: any replica picks
/// pending commands up again (<see cref="ResumePendingAsync"/>).
/// </summary>
public sealed partial class SlackInbound(
    IConversationStore conversations,
    BackgroundJobs queue,
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

        var added = await conversations.TryAddAsync(Platform, key, PendingCommand.Serialize(command, attempts: 0), ct).ConfigureAwait(false);
        recent.Remember(key);
        if (!added)
        {
            LogDuplicate(log, "command", retryNum ?? "-");
            return SlackAck.Duplicate;
        }

        Enqueue(command);
        return ChatCommandParser.Parse(command.RouterText(commands.Runbooks), commands.Runbooks) is ChatCommand.Diagnose ? SlackAck.InChannel : SlackAck.Empty;
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

        queue.TryEnqueue("slack: click", work => actions.RunAsync(click, work));
        return true;
    }

    /// <summary>
    /// Queues the commands recorded more than <paramref name="olderThan"/> ago whose work never finished,
    /// each attempt claimed by one replica only; after <see cref="PendingCommand.MaxAttempts"/> the person
    /// is told it failed.
    /// </summary>
    public async Task<int> ResumePendingAsync(TimeSpan olderThan, CancellationToken ct)
    {
        var resumed = 0;
        var pending = await conversations.ListAsync(Platform, "cmd:", time.GetUtcNow() - olderThan, 50, ct, PendingCommand.ValuePrefix).ConfigureAwait(false);
        foreach (var fact in pending)
        {
            if (PendingCommand.Deserialize(fact.Value) is not { } record)
            {
                await conversations.PutAsync(Platform, fact.Key, PendingCommand.Done, ct).ConfigureAwait(false);
                continue;
            }

            var attempt = record.Attempts + 1;
            if (!await conversations.TryAddAsync(Platform, $"resume:{record.Command.TriggerId}:{attempt}", string.Empty, ct).ConfigureAwait(false))
            {
                continue; // another replica took this attempt
            }

            if (attempt > PendingCommand.MaxAttempts)
            {
                await conversations.PutAsync(Platform, fact.Key, PendingCommand.Done, ct).ConfigureAwait(false);
                LogGaveUp(log, record.Command.UserId, record.Attempts);
                queue.TryEnqueue("slack: give up", work => commands.GiveUpAsync(record.Command, work));
                continue;
            }

            await conversations.PutAsync(Platform, fact.Key, PendingCommand.Serialize(record.Command, attempt), ct).ConfigureAwait(false);
            LogResumed(log, record.Command.UserId, attempt);
            Enqueue(record.Command);
            resumed++;
        }

        return resumed;
    }

    private void Enqueue(SlashCommand command)
    {
        // A full queue leaves the command pending: ResumePendingAsync queues it again later.
        queue.TryEnqueue("slack: command", async work =>
        {
            await commands.RunAsync(command, work).ConfigureAwait(false);
            await conversations.PutAsync(Platform, "cmd:" + command.TriggerId, PendingCommand.Done, work).ConfigureAwait(false);
        });
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "slack: resuming a command from {User} that was acknowledged but not finished (attempt {Attempt})")]
    private static partial void LogResumed(ILogger log, string user, int attempt);

    [LoggerMessage(Level = LogLevel.Error, Message = "slack: a command from {User} failed {Attempts} times; the user is told")]
    private static partial void LogGaveUp(ILogger log, string user, int attempts);

    [LoggerMessage(Level = LogLevel.Information, Message = "slack: {What} already received (retry {RetryNum}); acknowledged, not run again")]
    private static partial void LogDuplicate(ILogger log, string what, string retryNum);
}
