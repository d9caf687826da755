using System.Globalization;
using System.Net;
using Microsoft.Extensions.Logging;

namespace NetOpsBot.Ssh;

/// <summary>
/// Decides who may use one local forward. A <see cref="Renci.SshNet.ForwardedPortLocal"/> listens on a TCP port of
/// 127.0.0.1, which every local user can connect to; whoever connects gets a channel through the bot's
/// authenticated jump-host session. SSH.NET 2026.0.0 raises <c>RequestReceived</c> on its accept path before it
/// opens the direct-tcpip channel, and when a handler throws it closes the accepted socket without opening the
/// channel (ForwardedPortLocal.ProcessAccept: catch → RaiseExceptionEvent + CloseClientSocket). So throwing here
/// is the refusal. Admitted: only a connection whose peer socket belongs to this process's effective uid, and
/// at most <c>budget</c> of them per forward (each forward serves one device session or one probe).
/// </summary>
internal sealed class TunnelAdmission(string jumpHost, string host, uint port, int budget, ILogger logger)
{
    private int _admitted;
    private int _boundPort;

    /// <summary>Set once the listener is bound; until then every connection is refused (its row cannot be matched).</summary>
    public int BoundPort
    {
        get => Volatile.Read(ref _boundPort);
        set => Volatile.Write(ref _boundPort, value);
    }

    /// <summary>The <c>RequestReceived</c> handler: returns to admit, throws <see cref="TunnelPeerRefusedException"/> to refuse.</summary>
    public void Admit(string originatorHost, uint originatorPort)
    {
        var refusal = Check(originatorHost, originatorPort);
        if (refusal is null && Interlocked.Increment(ref _admitted) > budget)
        {
            refusal = $"the forward already served its {budget} connection(s)";
        }

        if (refusal is not null)
        {
            Log.TunnelPeerRefused(logger, jumpHost, host, port, BoundPort, originatorHost + ":" + originatorPort.ToString(CultureInfo.InvariantCulture), refusal);
            throw new TunnelPeerRefusedException(refusal);
        }
    }

    private string? Check(string originatorHost, uint originatorPort)
    {
        if (!IPAddress.TryParse(originatorHost, out var address) || originatorPort is 0 or > 65535)
        {
            return "unparseable originator";
        }

        var self = LoopbackSocketOwner.ProcessUid;
        if (self is null)
        {
            return "this process's uid is unknown (no /proc/self/status), so the peer cannot be checked";
        }

        var owner = LoopbackSocketOwner.Find(new IPEndPoint(address, (int)originatorPort), BoundPort);
        if (owner is null)
        {
            return "the peer socket's owner could not be determined";
        }

        return owner == self ? null : $"peer socket owned by uid {owner}, not the bot's uid {self}";
    }
}

/// <summary>Thrown from the forward's <c>RequestReceived</c> handler so that SSH.NET drops the connection.</summary>
internal sealed class TunnelPeerRefusedException(string message) : Exception(message);

/// <summary>
/// Who owns the client end of a loopback TCP connection, from the kernel's socket tables (/proc/net/tcp, tcp6).
/// TCP has no SO_PEERCRED; on loopback both ends are local, so the peer's own table row carries its uid.
/// </summary>
internal static class LoopbackSocketOwner
{
    private static readonly Lazy<uint?> s_uid = new(ReadSocketUid);

    /// <summary>
    /// The uid the kernel stamps on the sockets this process creates (its filesystem uid, normally the effective
    /// uid), or null when it cannot be read (not Linux).
    /// </summary>
    public static uint? ProcessUid => s_uid.Value;

    /// <summary>
    /// The uid owning the established socket whose local end is <paramref name="peer"/> and whose remote end is
    /// 127.0.0.1:<paramref name="boundPort"/> (or its IPv4-mapped form); null when there is no such live socket.
    /// Time-wait and orphaned rows (inode 0) report uid 0, so they never count as an owner.
    /// </summary>
    public static uint? Find(IPEndPoint peer, int boundPort)
    {
        ArgumentNullException.ThrowIfNull(peer);
        if (!OperatingSystem.IsLinux())
        {
            return null;
        }

        var address = peer.Address.IsIPv4MappedToIPv6 ? peer.Address.MapToIPv4() : peer.Address;
        if (address.AddressFamily != System.Net.Sockets.AddressFamily.InterNetwork)
        {
            return null;
        }

        var v4 = Hex(address);
        var v4Local = v4 + ":" + peer.Port.ToString("X4", CultureInfo.InvariantCulture);
        var v4Remote = Hex(IPAddress.Loopback) + ":" + boundPort.ToString("X4", CultureInfo.InvariantCulture);
        return Scan("/proc/net/tcp", v4Local, v4Remote)
            ?? Scan("/proc/net/tcp6", "0000000000000000FFFF0000" + v4Local, "0000000000000000FFFF0000" + v4Remote);
    }

    // The kernel prints the 32-bit address as it sits in memory, read as a native integer (%08X).
    private static string Hex(IPAddress address) =>
        BitConverter.ToUInt32(address.GetAddressBytes()).ToString("X8", CultureInfo.InvariantCulture);

    private static uint? Scan(string table, string local, string remote)
    {
        IEnumerable<string> lines;
        try
        {
            lines = File.ReadLines(table);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return null;
        }

        // "sl local rem st tx:rx tr:when retrnsmt uid timeout inode ..."
        Span<Range> fields = stackalloc Range[11];
        foreach (var line in lines)
        {
            var span = line.AsSpan().TrimStart();
            if (span.Split(fields, ' ', StringSplitOptions.RemoveEmptyEntries) < 10)
            {
                continue;
            }

            if (!span[fields[1]].Equals(local, StringComparison.OrdinalIgnoreCase)
                || !span[fields[2]].Equals(remote, StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            // 01 = ESTABLISHED; the inode is 0 for rows with no socket behind them (time-wait, orphans).
            if (!span[fields[3]].Equals("01", StringComparison.Ordinal) || span[fields[9]].Equals("0", StringComparison.Ordinal))
            {
                return null;
            }

            return uint.TryParse(span[fields[7]], NumberStyles.None, CultureInfo.InvariantCulture, out var uid) ? uid : null;
        }

        return null;
    }

    private static uint? ReadSocketUid()
    {
        try
        {
            // "Uid:\treal\teffective\tsaved\tfs"; a socket's owner is its creator's fsuid.
            var line = File.ReadLines("/proc/self/status").FirstOrDefault(l => l.StartsWith("Uid:", StringComparison.Ordinal));
            var parts = line?.Split('\t', StringSplitOptions.RemoveEmptyEntries);
            return parts is { Length: >= 5 } && uint.TryParse(parts[4], NumberStyles.None, CultureInfo.InvariantCulture, out var uid) ? uid : null;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }
}
