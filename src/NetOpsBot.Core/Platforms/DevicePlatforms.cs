using NetOpsBot.Core.Access;

namespace NetOpsBot.Core.Platforms;

/// <summary>The platforms a deployment knows, looked up by the inventory's platform id (case-insensitive, aliases included).</summary>
public sealed class DevicePlatforms
{
    private readonly Dictionary<string, IDevicePlatform> byId = new(StringComparer.OrdinalIgnoreCase);

    public DevicePlatforms(IEnumerable<IDevicePlatform> platforms)
    {
        ArgumentNullException.ThrowIfNull(platforms);
        var all = new List<IDevicePlatform>();
        foreach (var p in platforms)
        {
            all.Add(p);
            foreach (var id in p.Aliases.Prepend(p.Id))
            {
                if (!byId.TryAdd(id, p))
                {
                    throw new ArgumentException($"platform id '{id}' is claimed twice", nameof(platforms));
                }
            }
        }

        All = all;
    }

    public IReadOnlyList<IDevicePlatform> All { get; }

    /// <summary>The platform for <paramref name="platformId"/>, or null when no registered platform claims it.</summary>
    public IDevicePlatform? Find(string? platformId) => platformId is not null && byId.TryGetValue(platformId, out var p) ? p : null;

    /// <summary>The platform's dialect, or null for an unknown platform (the connector then refuses the session).</summary>
    public IDeviceDialect? DialectFor(string? platformId) => Find(platformId)?.Dialect;
}
