using NetOpsBot.Core.Devices;
using NetOpsBot.Core.Incidents;

namespace NetOpsBot.Core.Chat;

/// <summary>What a chat message asked for, after parsing. Chat text never goes further than this.</summary>
public abstract record ChatCommand
{
    private ChatCommand()
    {
    }

    public sealed record Diagnose(DeviceName Device) : ChatCommand;

    public sealed record ShowIncident(IncidentId Incident) : ChatCommand;

    /// <summary>The device's recent incidents (<c>/sshdiag history &lt;device&gt;</c>); read-only.</summary>
    public sealed record History(DeviceName Device) : ChatCommand;

    public sealed record Help : ChatCommand;

    /// <summary>Not a command we run; <see cref="Reason"/> is safe to show in the channel.</summary>
    public sealed record Invalid(string Reason) : ChatCommand;
}

/// <summary>Parses `/sshdiag ...` messages. Everything else in the text is ignored, never interpreted.</summary>
public static class ChatCommandParser
{
    public const int MaxMessageLength = 1000;
    public const string Verb = "/sshdiag";

    public static ChatCommand Parse(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return new ChatCommand.Invalid("Empty message. Try `/sshdiag help`.");
        }

        if (text.Length > MaxMessageLength)
        {
            return new ChatCommand.Invalid($"Message too long ({text.Length} characters; the limit is {MaxMessageLength}). Try `/sshdiag <device>`.");
        }

        var parts = text.Trim().Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
        if (!string.Equals(parts[0], Verb, StringComparison.OrdinalIgnoreCase))
        {
            return new ChatCommand.Invalid("Unknown command. Try `/sshdiag help`.");
        }

        if (parts.Length == 1 || (parts.Length == 2 && string.Equals(parts[1], "help", StringComparison.OrdinalIgnoreCase)))
        {
            return new ChatCommand.Help();
        }

        if (string.Equals(parts[1], "incident", StringComparison.OrdinalIgnoreCase))
        {
            if (parts.Length != 3)
            {
                return new ChatCommand.Invalid("Usage: `/sshdiag incident <id>`.");
            }

            return IncidentId.TryParse(parts[2], out var id, out var reason)
                ? new ChatCommand.ShowIncident(id)
                : new ChatCommand.Invalid($"Not an incident id: {reason}");
        }

        if (string.Equals(parts[1], "history", StringComparison.OrdinalIgnoreCase))
        {
            if (parts.Length != 3)
            {
                return new ChatCommand.Invalid("Usage: `/sshdiag history <device>`.");
            }

            return DeviceName.TryParse(parts[2], out var historyOf, out var notName)
                ? new ChatCommand.History(historyOf)
                : new ChatCommand.Invalid($"Not a device name: {notName}");
        }

        if (parts.Length != 2)
        {
            return new ChatCommand.Invalid("Usage: `/sshdiag <device>` (one device name, no options).");
        }

        return DeviceName.TryParse(parts[1], out var device, out var why)
            ? new ChatCommand.Diagnose(device)
            : new ChatCommand.Invalid($"Not a device name: {why}");
    }

    public const string HelpText =
        "`/sshdiag <device>` diagnoses why SSH to a device fails, step by step, and proposes the fix (name or management IP; " +
        "if the device already has an open incident, you join it instead).\n" +
        "`/sshdiag incident <id>` shows an incident's card and a summary of its timeline.\n" +
        "`/sshdiag history <device>` lists the device's recent incidents: root causes, fixes and who approved them.\n" +
        "`/sshdiag help` shows this text.";
}
