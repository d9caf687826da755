using System.Text.Json;

namespace NetOpsBot.Slack.Inbound;

/// <summary>
/// What is stored under a slash command's <c>cmd:</c> key: the whole command while its work is pending (so
/// another replica can run it), then only <see cref="Done"/>.
/// </summary>
internal sealed record PendingCommand(bool Pending, int Attempts, SlashCommand Command)
{
    /// <summary>Runs of one command before the person is told it failed.</summary>
    public const int MaxAttempts = 3;

    public const string Done = "done";

    /// <summary>How every pending record's JSON starts (property order is the record's).</summary>
    public const string ValuePrefix = "{\"pending\":true";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static string Serialize(SlashCommand command, int attempts)
    {
        var json = JsonSerializer.Serialize(new PendingCommand(true, attempts, command), Json);
        if (json.Length <= Core.Chat.IConversationStore.MaxValueLength)
        {
            return json;
        }

        // Only a pasted essay gets here; the router refuses text that long anyway, with a clear answer.
        return JsonSerializer.Serialize(new PendingCommand(true, attempts, command with { Text = command.Text[..1000] }), Json);
    }

    public static PendingCommand? Deserialize(string value)
    {
        try
        {
            return JsonSerializer.Deserialize<PendingCommand>(value, Json) is { Pending: true, Command.TriggerId.Length: > 0 } record ? record : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
