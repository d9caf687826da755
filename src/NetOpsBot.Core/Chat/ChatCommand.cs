using NetOpsBot.Core.Devices;
using NetOpsBot.Core.Incidents;
using NetOpsBot.Core.Runbooks;

namespace NetOpsBot.Core.Chat;

/// <summary>What a chat message asked for, after parsing. Chat text never goes further than this.</summary>
public abstract record ChatCommand
{
    private ChatCommand()
    {
    }

    public sealed record Diagnose(DeviceName Device) : ChatCommand
    {
        /// <summary>The runbook whose command word was typed; null runs the registry's default.</summary>
        public string? RunbookId { get; init; }
    }

    public sealed record ShowIncident(IncidentId Incident) : ChatCommand;

    /// <summary>The device's recent incidents (<c>&lt;command&gt; history &lt;device&gt;</c>); read-only.</summary>
    public sealed record History(DeviceName Device) : ChatCommand;

    public sealed record Help : ChatCommand;

    /// <summary>Not a command we run; <see cref="Reason"/> is safe to show in the channel.</summary>
    public sealed record Invalid(string Reason) : ChatCommand;
}

/// <summary>
/// Parses `&lt;command&gt; ...` messages, where the command word is a registered runbook's (<c>/sshdiag</c> for
/// <c>ssh-unreachable</c>). Everything else in the text is ignored, never interpreted.
/// </summary>
public static class ChatCommandParser
{
    public const int MaxMessageLength = 1000;

    public static ChatCommand Parse(string? text, RunbookRegistry runbooks)
    {
        ArgumentNullException.ThrowIfNull(runbooks);
        var hint = runbooks.Default.Command;
        if (string.IsNullOrWhiteSpace(text))
        {
            return new ChatCommand.Invalid($"Empty message. Try `{hint} help`.");
        }

        if (text.Length > MaxMessageLength)
        {
            return new ChatCommand.Invalid($"Message too long ({text.Length} characters; the limit is {MaxMessageLength}). Try `{hint} <device>`.");
        }

        var parts = text.Trim().Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
        if (runbooks.ByCommand(parts[0]) is not { } runbook)
        {
            return new ChatCommand.Invalid($"Unknown command. Try `{hint} help`.");
        }

        var verb = runbook.Command;
        if (parts.Length == 1 || (parts.Length == 2 && string.Equals(parts[1], "help", StringComparison.OrdinalIgnoreCase)))
        {
            return new ChatCommand.Help();
        }

        if (string.Equals(parts[1], "incident", StringComparison.OrdinalIgnoreCase))
        {
            if (parts.Length != 3)
            {
                return new ChatCommand.Invalid($"Usage: `{verb} incident <id>`.");
            }

            return IncidentId.TryParse(parts[2], out var id, out var reason)
                ? new ChatCommand.ShowIncident(id)
                : new ChatCommand.Invalid($"Not an incident id: {reason}");
        }

        if (string.Equals(parts[1], "history", StringComparison.OrdinalIgnoreCase))
        {
            if (parts.Length != 3)
            {
                return new ChatCommand.Invalid($"Usage: `{verb} history <device>`.");
            }

            return DeviceName.TryParse(parts[2], out var historyOf, out var notName)
                ? new ChatCommand.History(historyOf)
                : new ChatCommand.Invalid($"Not a device name: {notName}");
        }

        if (parts.Length != 2)
        {
            return new ChatCommand.Invalid($"Usage: `{verb} <device>` (one device name, no options).");
        }

        return DeviceName.TryParse(parts[1], out var device, out var why)
            ? new ChatCommand.Diagnose(device) { RunbookId = runbook.Id }
            : new ChatCommand.Invalid($"Not a device name: {why}");
    }

    /// <summary>The help text: one line per runbook command, then the incident, history and help commands.</summary>
    public static string HelpText(RunbookRegistry runbooks)
    {
        ArgumentNullException.ThrowIfNull(runbooks);
        var verb = runbooks.Default.Command;
        var lines = runbooks.Definitions.Select(r =>
            $"`{r.Command} <device>` {r.Purpose} (name or management IP; if the device already has an open incident, you join it instead).");
        return string.Join("\n", lines) + "\n" +
            $"`{verb} incident <id>` shows an incident's card and a summary of its timeline.\n" +
            $"`{verb} history <device>` lists the device's recent incidents: root causes, fixes and who approved them.\n" +
            $"`{verb} help` shows this text.";
    }
}
