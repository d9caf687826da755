namespace NetOpsBot.Core.Incidents;

/// <summary>
/// A claim by one host instance on an incident's work, valid until <see cref="Until"/> unless renewed.
/// Replicas use it to tell a live owner from a dead one.
/// </summary>
public sealed record IncidentLease
{
    public IncidentLease(string ownerInstance, DateTimeOffset until)
    {
        OwnerInstance = Guard.Token(ownerInstance, nameof(ownerInstance), 128);
        Until = until;
    }

    public string OwnerInstance { get; }

    public DateTimeOffset Until { get; }
}
