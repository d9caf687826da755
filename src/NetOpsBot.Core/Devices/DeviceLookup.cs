using System.Net;
using System.Net.Sockets;

namespace NetOpsBot.Core.Devices;

/// <summary>A device found from what someone typed, or, when none matches, the inventory name they probably meant.</summary>
public sealed record DeviceLookupResult(DeviceRef? Device, DeviceName? DidYouMean);

/// <summary>
/// Finds an inventory device from a typed name: exact, then ignoring case, then by management IP. A near miss
/// ("sw-acess-12") gets a suggestion, and the suggestion is always an inventory name: the typed text only ever
/// selects an entry, it is never passed on.
/// </summary>
public static class DeviceLookup
{
    /// <summary>Edits (insert, delete, replace, swap two neighbours) a name may be off by to get a suggestion.</summary>
    public const int MaxSuggestionDistance = 2;

    public static async Task<DeviceLookupResult> FindAsync(IDeviceInventory inventory, DeviceName typed, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(inventory);
        ArgumentNullException.ThrowIfNull(typed);
        if (await inventory.FindAsync(typed, cancellationToken).ConfigureAwait(false) is { } exact)
        {
            return new DeviceLookupResult(exact, null);
        }

        var all = await inventory.ListAsync(cancellationToken).ConfigureAwait(false);
        var sameName = all.Where(d => string.Equals(d.Name.Value, typed.Value, StringComparison.OrdinalIgnoreCase)).ToList();
        if (sameName.Count == 1)
        {
            return new DeviceLookupResult(sameName[0], null);
        }

        if (IPAddress.TryParse(typed.Value, out var ip) && ip.AddressFamily == AddressFamily.InterNetwork && typed.Value.Count(c => c == '.') == 3)
        {
            var byIp = all.Where(d => d.ManagementIp.Equals(ip)).ToList();
            return byIp.Count == 1 ? new DeviceLookupResult(byIp[0], null) : new DeviceLookupResult(null, null);
        }

        var needle = typed.Value.ToLowerInvariant();
        var limit = Math.Min(MaxSuggestionDistance, Math.Max(1, needle.Length / 4));
        var near = all
            .Select(d => (Device: d, Distance: Distance(needle, d.Name.Value.ToLowerInvariant(), limit)))
            .Where(x => x.Distance <= limit)
            .OrderBy(x => x.Distance)
            .ToList();

        // One best candidate only: two equally close names ("sw-access-1" for -11 and -12) are a guess, not a suggestion.
        if (near.Count == 0 || (near.Count > 1 && near[1].Distance == near[0].Distance))
        {
            return new DeviceLookupResult(null, null);
        }

        return new DeviceLookupResult(null, near[0].Device.Name);
    }

    /// <summary>Optimal string alignment distance, giving up (returning more than <paramref name="limit"/>) early.</summary>
    internal static int Distance(string a, string b, int limit)
    {
        if (Math.Abs(a.Length - b.Length) > limit)
        {
            return limit + 1;
        }

        var d = new int[a.Length + 1, b.Length + 1];
        for (var i = 0; i <= a.Length; i++)
        {
            d[i, 0] = i;
        }

        for (var j = 0; j <= b.Length; j++)
        {
            d[0, j] = j;
        }

        for (var i = 1; i <= a.Length; i++)
        {
            for (var j = 1; j <= b.Length; j++)
            {
                var cost = a[i - 1] == b[j - 1] ? 0 : 1;
                d[i, j] = Math.Min(Math.Min(d[i - 1, j] + 1, d[i, j - 1] + 1), d[i - 1, j - 1] + cost);
                if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
                {
                    d[i, j] = Math.Min(d[i, j], d[i - 2, j - 2] + 1);
                }
            }
        }

        return d[a.Length, b.Length];
    }
}
