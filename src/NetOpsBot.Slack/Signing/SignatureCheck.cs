namespace NetOpsBot.Slack.Signing;

/// <summary>Why a request was or was not accepted as coming from Slack (logged; never shown to the caller).</summary>
public enum SignatureCheck
{
    Valid,
    MissingHeaders,
    MalformedTimestamp,
    Stale,
    FromTheFuture,
    UnknownVersion,
    Mismatch,
}
