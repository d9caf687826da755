using System.Globalization;
using System.Text.RegularExpressions;

namespace NetOpsBot.Vrp.Diagnosis;

/// <summary>
/// Separates the debug lines of the runbook's own attempt from those of other connections. A connect that
/// timed out while the device had no route back stays pending at the jump host (OpenSSH keeps retrying the
/// SYN after the bot closed the channel), so once the route is fixed it completes on whatever port answers,
/// in the middle of a later capture. A line that names another server port, or the client of such a
/// connection, is not about the attempt; lines that name neither are counted, as before.
/// </summary>
internal static partial class SshDebugAttribution
{
    public static (List<VrpLogEntry> Attempt, List<VrpLogEntry> Other, IReadOnlyList<int> OtherPorts) Split(IEnumerable<VrpLogEntry> entries, int attemptedPort)
    {
        var attempt = new List<VrpLogEntry>();
        var other = new List<VrpLogEntry>();
        var otherPorts = new SortedSet<int>();
        var otherClients = new HashSet<string>(StringComparer.Ordinal);
        string? current = null;
        foreach (var e in entries)
        {
            var client = ClientField().Match(e.Message) is { Success: true } c ? c.Groups[1].Value : null;
            if (ServerPortField().Match(e.Message) is { Success: true } p && int.TryParse(p.Groups[1].Value, NumberStyles.None, CultureInfo.InvariantCulture, out var port))
            {
                if (port != attemptedPort)
                {
                    otherPorts.Add(port);
                    if (client is not null)
                    {
                        otherClients.Add(client);
                    }
                }

                current = client;
            }
            else if (client is not null)
            {
                current = client;
            }

            // A line naming no client continues the connection of the line before it (VRP logs one connection's
            // steps in order: accept, version exchange, key exchange, authentication).
            (current is not null && otherClients.Contains(current) ? other : attempt).Add(e);
        }

        return (attempt, other, [.. otherPorts]);
    }

    [GeneratedRegex(@"ServerPort=(\d+)", RegexOptions.CultureInvariant)]
    private static partial Regex ServerPortField();

    [GeneratedRegex(@"Client=([0-9A-Fa-f.:]+:\d+)", RegexOptions.CultureInvariant)]
    private static partial Regex ClientField();
}
