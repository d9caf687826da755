using System.Collections.Concurrent;
using System.Globalization;
using System.Text;

namespace NetOpsBot.Ssh;

/// <summary>
/// Ports whose probe just saw something other than an SSH server greet it: a telnet server's option negotiation
/// (IAC) or a whole text line that is not an SSH identification. A login to such a port cannot succeed, and
/// SSH.NET would only notice at its connect timeout (10 s: it waits for an identification line that a telnet
/// server never sends), so the connector refuses it at once while the observation is fresh. Only a probe's own
/// first bytes put a port here, and any later probe of the port that does not see the same takes it out.
/// </summary>
internal sealed class NotSshPorts(TimeProvider time)
{
    /// <summary>Long enough for a diagnosis to go from its probes to its logins; short enough not to outlive a reconfiguration by much.</summary>
    internal static readonly TimeSpan Fresh = TimeSpan.FromSeconds(60);

    private const byte Iac = 0xFF;

    private readonly ConcurrentDictionary<(string Host, int Port), (string What, long At)> _seen = new();

    public void Record(string host, int port, string? notSsh)
    {
        if (notSsh is not null)
        {
            _seen[(host, port)] = (notSsh, time.GetTimestamp());
        }
        else
        {
            _seen.TryRemove((host, port), out _);
        }
    }

    /// <summary>What the port answered with, in words, when a probe saw it recently; null when it may be SSH.</summary>
    public string? Find(string host, int port)
    {
        if (!_seen.TryGetValue((host, port), out var seen))
        {
            return null;
        }

        var age = time.GetElapsedTime(seen.At);
        if (age > Fresh)
        {
            _seen.TryRemove(KeyValuePair.Create((host, port), seen));
            return null;
        }

        return $"{seen.What} (seen by a probe from the jump host {age.TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture)} s ago)";
    }

    /// <summary>
    /// The first bytes an open port sent, when they cannot be the start of an SSH server's greeting; null when they
    /// may be (an identification line, or too little to tell). SSH servers may send other text lines before their
    /// identification (RFC 4253 4.2), so a text greeting counts only as a whole line with no "SSH-" anywhere.
    /// </summary>
    internal static string? NotSsh(ReadOnlySpan<byte> first)
    {
        if (first.IsEmpty)
        {
            return null;
        }

        if (first[0] == Iac)
        {
            return "telnet option negotiation (IAC), not an SSH banner";
        }

        if (first.IndexOf("SSH-"u8) >= 0)
        {
            return null;
        }

        var end = first.IndexOf((byte)'\n');
        if (end < 0)
        {
            return null;
        }

        var line = first[..end].TrimEnd((byte)'\r');
        foreach (var b in line)
        {
            if (b is < 0x20 or >= 0x7f && b != (byte)'\t')
            {
                return $"binary data ({first.Length.ToString(CultureInfo.InvariantCulture)} bytes), not an SSH banner";
            }
        }

        var text = Encoding.ASCII.GetString(line.Length > 60 ? line[..60] : line);
        return $"the banner '{text}', not an SSH banner";
    }
}
