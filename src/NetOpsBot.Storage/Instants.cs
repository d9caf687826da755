namespace NetOpsBot.Storage;

/// <summary>Normalizes instants before they are stored.</summary>
internal static class Instants
{
    /// <summary>
    /// UTC, truncated to whole microseconds: PostgreSQL keeps microseconds, SQLite ticks would keep more, and
    /// both providers must read back exactly what the other would (and what the caller compares against).
    /// </summary>
    public static DateTimeOffset Normalize(DateTimeOffset value)
    {
        var ticks = value.UtcTicks;
        return new DateTimeOffset(ticks - (ticks % 10), TimeSpan.Zero);
    }
}
