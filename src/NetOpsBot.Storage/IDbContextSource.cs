namespace NetOpsBot.Storage;

/// <summary>Creates a short-lived context for the configured provider; stores stay provider-neutral.</summary>
internal interface IDbContextSource
{
    /// <summary>A context for reads (and for the rare write that must not wait behind the queue: none today).</summary>
    NetOpsBotDbContext Create();

    /// <summary>
    /// A context for one write (a statement or a transaction), taken in turn with the process's other
    /// writers to the same database when the database has a single writer (SQLite); disposing it lets
    /// the next one in. Never nest two of these in one flow. <paramref name="interactive"/> overrides the
    /// flow's own mark (<see cref="Core.BackgroundWork"/>) for writes done on behalf of waiting people.
    /// </summary>
    /// <summary>True while a write on behalf of a waiting person waits for its turn.</summary>
    bool InteractiveWriteWaiting { get; }

    ValueTask<NetOpsBotDbContext> CreateForWriteAsync(CancellationToken cancellationToken, bool? interactive = null);
}
