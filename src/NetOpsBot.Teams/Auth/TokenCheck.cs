namespace NetOpsBot.Teams.Auth;

/// <summary>How an inbound activity proved who sent it.</summary>
public enum CallerKind
{
    /// <summary>Refused: nothing runs.</summary>
    None,

    /// <summary>A Bot Framework channel token (Teams in the public cloud today).</summary>
    BotFrameworkChannel,

    /// <summary>An Entra ID token for our app (single-tenant / MSI bots, Emulator-style callers).</summary>
    Entra,

    /// <summary>No token, from loopback, with the explicit Playground switch on.</summary>
    UnauthenticatedLoopback,
}

/// <summary>The outcome of checking one request. <see cref="Reason"/> is safe to log: it never contains the token.</summary>
public sealed record TokenCheck(CallerKind Caller, string? Reason)
{
    public bool Succeeded => Caller != CallerKind.None;

    /// <summary>
    /// The token could not be checked because the issuer's OpenID metadata (its signing keys) could not be read: our
    /// side's outage, not the caller's fault, so the answer is 503 with Retry-After rather than 401 (Teams retries).
    /// </summary>
    public bool KeysUnavailable { get; init; }

    public static TokenCheck Refused(string reason) => new(CallerKind.None, reason);

    public static TokenCheck Unavailable(string reason) => new(CallerKind.None, reason) { KeysUnavailable = true };
}
