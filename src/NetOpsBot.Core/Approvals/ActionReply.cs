namespace NetOpsBot.Core.Approvals;

/// <summary>
/// The answer to a click, split by audience. <see cref="ToChannel"/> is the line the click wrote into the incident's
/// thread (every surface posts timeline lines itself, so a surface never repeats it); <see cref="ToClicker"/> is for
/// the person who clicked alone (Slack: ephemeral; Teams: the invoke answer; web chat: the clicker's page only).
/// A click that changed nothing for anyone else (a second approval, a click on a closed request) has only
/// <see cref="ToClicker"/>: a double-click storm must not put one line per click into the channel.
/// </summary>
public sealed record ActionReply(bool Accepted, string Message)
{
    /// <summary>What the clicker alone must be told; null when the channel's line says it all.</summary>
    public string? ToClicker { get; init; }

    /// <summary>The line the click put into the incident's thread; null when the channel heard nothing.</summary>
    public string? ToChannel { get; init; }

    /// <summary>
    /// True when <see cref="ToClicker"/> must never reach the channel in any form, not even as a fallback when the
    /// platform cannot answer the clicker privately in time: the click changed nothing for anyone else.
    /// </summary>
    public bool ClickerOnly { get; init; }

    /// <summary>The click changed the incident and <paramref name="toChannel"/> is on its timeline.</summary>
    public static ActionReply Done(string message, string toChannel) => new(true, message) { ToChannel = toChannel };

    /// <summary>A refusal: the clicker is told why; <paramref name="toChannel"/> when the refusal is also on the timeline.</summary>
    public static ActionReply Refused(string message, string? toChannel = null) => new(false, message) { ToClicker = message, ToChannel = toChannel };

    /// <summary>Nothing changed for anyone else (counted once already, request closed): the clicker alone hears it.</summary>
    public static ActionReply ToClickerOnly(bool accepted, string message) => new(accepted, message) { ToClicker = message, ClickerOnly = true };
}
