namespace NetOpsBot.Storage;

/// <summary>Which database holds incidents, timelines and approvals.</summary>
public enum StorageProvider
{
    /// <summary>A local SQLite file: zero setup, one host instance.</summary>
    Sqlite,

    /// <summary>PostgreSQL: required when several host replicas run behind a load balancer.</summary>
    Postgres,
}
