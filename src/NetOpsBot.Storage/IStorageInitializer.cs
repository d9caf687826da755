namespace NetOpsBot.Storage;

/// <summary>Brings the database schema up to date; the host calls it once at start-up, before serving.</summary>
public interface IStorageInitializer
{
    /// <summary>
    /// Applies pending migrations (creating the database file or schema if needed). Safe when several
    /// replicas start at once: EF Core serializes migrations with a database lock.
    /// </summary>
    Task InitializeAsync(CancellationToken cancellationToken);

    /// <summary>For health checks: whether the database answers.</summary>
    Task<bool> CanConnectAsync(CancellationToken cancellationToken);
}
