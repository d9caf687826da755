namespace NetOpsBot.Core.Incidents;

/// <summary>Offset paging for incident lists.</summary>
public sealed record PageRequest
{
    public const int MaxLimit = 500;

    public PageRequest(int offset, int limit)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(offset);
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(limit, MaxLimit);
        Offset = offset;
        Limit = limit;
    }

    public int Offset { get; }

    public int Limit { get; }
}
