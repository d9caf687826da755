namespace NetOpsBot.Core.Incidents;

/// <summary>Where a monitoring alert stands as NetOpsBot last heard it.</summary>
public enum AlertLinkStatus
{
    Firing,
    Resolved,
}

/// <summary>
/// A monitoring alert's identity (Alertmanager fingerprint, Zabbix event id) tied to the incident it opened.
/// <see cref="Generation"/> counts the incidents this identity opened: a new one starts only after the last
/// was resolved and stayed quiet past the flap window.
/// </summary>
public sealed record AlertLink(string Source, string Identity, IncidentId Incident, int Generation, AlertLinkStatus Status, DateTimeOffset UpdatedAt)
{
    /// <summary>Longest source and identity accepted (storage column widths).</summary>
    public const int MaxSourceLength = 32;

    public const int MaxIdentityLength = 200;
}

/// <summary>
/// Alert identity → incident, shared by every replica. The pair (source, identity) is unique in storage, so
/// two replicas handling the same notification end up with one link.
/// </summary>
public interface IAlertLinkStore
{
    /// <summary>The links of these identities of one source (missing ones are absent from the answer).</summary>
    Task<IReadOnlyDictionary<string, AlertLink>> GetAsync(string source, IReadOnlyCollection<string> identities, CancellationToken cancellationToken);

    /// <summary>Stores or replaces each link (one transaction per call).</summary>
    Task PutAsync(IReadOnlyCollection<AlertLink> links, CancellationToken cancellationToken);

    /// <summary>
    /// Moves the link to <paramref name="status"/> if it is still <paramref name="from"/>; false when another
    /// delivery (or replica) moved it first, so each transition is announced once.
    /// </summary>
    Task<bool> TransitionAsync(string source, string identity, AlertLinkStatus from, AlertLinkStatus status, DateTimeOffset at, CancellationToken cancellationToken);
}
