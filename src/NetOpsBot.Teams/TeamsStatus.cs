namespace NetOpsBot.Teams;

/// <summary>What the host should tell operators about the Teams surface (start-up log and /healthz).</summary>
public sealed class TeamsStatus(TeamsOptions options)
{
    public const string UnauthenticatedWarning =
        "WARNING: Teams:AllowUnauthenticatedLoopback is on: /api/messages accepts activities WITHOUT a token from loopback (Agents Playground testing only; never in production)";

    /// <summary>True when activities without a token are accepted (loopback only).</summary>
    public bool AcceptsUnauthenticatedLoopback { get; } = options?.AllowUnauthenticatedLoopback == true;

    /// <summary>The line to print, or null when inbound authentication is fully on.</summary>
    public string? Warning => AcceptsUnauthenticatedLoopback ? UnauthenticatedWarning : null;
}
