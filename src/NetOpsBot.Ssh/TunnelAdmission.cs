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
/// is the refusal. Admitted: only a connection whose peer socket belongs to this process's uid, and
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
/// Who owns the client end of a loopback TCP connection. TCP has no SO_PEERCRED; on loopback both ends are
/// local, so the kernel knows the peer socket and its owner. Asked with one exact netlink sock_diag lookup
/// (what <c>ss</c> uses; tens of microseconds), else from /proc/net/tcp and tcp6, which walk the whole
/// established hash table on every read (milliseconds of kernel time on a large host).
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

        var exact = SockDiag.FindOwner(address, peer.Port, IPAddress.Loopback, boundPort);
        return exact.Available ? exact.Uid : FindInProcTables(address, peer.Port, boundPort);
    }

    /// <summary>The same answer from /proc/net/tcp and tcp6 (the fallback when netlink cannot be asked).</summary>
    internal static uint? FindInProcTables(IPAddress address, int peerPort, int boundPort)
    {
        var v4 = Hex(address);
        var v4Local = v4 + ":" + peerPort.ToString("X4", CultureInfo.InvariantCulture);
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

/// <summary>
/// NETLINK_SOCK_DIAG exact lookup (<c>SOCK_DIAG_BY_FAMILY</c> without NLM_F_DUMP → <c>inet_diag_find_one_icsk</c>):
/// one request, one answer, cost independent of how many sockets the host has. Layouts: linux/netlink.h,
/// linux/inet_diag.h.
/// </summary>
internal static class SockDiag
{
    private const int AfNetlink = 16;
    private const int AfInet = 2;
    private const int SockDgram = 2;
    private const int SockCloexec = 0x80000;
    private const int NetlinkSockDiag = 4;
    private const int IpProtoTcp = 6;
    private const ushort SockDiagByFamily = 20;
    private const ushort NlmsgError = 2;
    private const ushort NlmFRequest = 1;
    private const int MsgDontwait = 0x40;
    private const byte TcpEstablished = 1;

    /// <summary>Available=false when netlink could not be asked; then Uid is meaningless.</summary>
    public static (bool Available, uint? Uid) FindOwner(IPAddress local, int localPort, IPAddress remote, int remotePort)
    {
        if (!OperatingSystem.IsLinux())
        {
            return (false, null);
        }

        // nlmsghdr (16) + inet_diag_req_v2 (8) + inet_diag_sockid (48)
        var request = new byte[72];
        var span = request.AsSpan();
        WriteNative(span[4..], SockDiagByFamily);
        WriteNative(span[6..], NlmFRequest);
        span[16] = AfInet;
        span[17] = IpProtoTcp;
        BitConverter.TryWriteBytes(span[20..], uint.MaxValue);          // idiag_states: all
        System.Buffers.Binary.BinaryPrimitives.WriteUInt16BigEndian(span[24..], (ushort)localPort);
        System.Buffers.Binary.BinaryPrimitives.WriteUInt16BigEndian(span[26..], (ushort)remotePort);
        local.GetAddressBytes().CopyTo(span[28..]);
        remote.GetAddressBytes().CopyTo(span[44..]);
        BitConverter.TryWriteBytes(span[60..], 0u);                      // idiag_if
        BitConverter.TryWriteBytes(span[64..], uint.MaxValue);          // INET_DIAG_NOCOOKIE
        BitConverter.TryWriteBytes(span[68..], uint.MaxValue);
        BitConverter.TryWriteBytes(span, (uint)request.Length);

        var fd = Socket(AfNetlink, SockDgram | SockCloexec, NetlinkSockDiag);
        if (fd < 0)
        {
            return (false, null);
        }

        try
        {
            if (Send(fd, request, request.Length, 0) != request.Length)
            {
                return (false, null);
            }

            // The kernel answers inside send(); nothing queued means no answer will come.
            var answer = new byte[512];
            var n = (int)Recv(fd, answer, answer.Length, MsgDontwait);
            if (n < 16)
            {
                return (false, null);
            }

            var type = BitConverter.ToUInt16(answer, 4);
            if (type == NlmsgError)
            {
                // errno (negative) after the header: ENOENT = no such socket; anything else = cannot tell.
                var errno = n >= 20 ? -BitConverter.ToInt32(answer, 16) : 0;
                return errno == 2 ? (true, null) : (false, null);
            }

            // inet_diag_msg: family, state, timer, retrans, sockid (48), expires, rqueue, wqueue, uid, inode
            if (type != SockDiagByFamily || n < 16 + 72)
            {
                return (false, null);
            }

            var state = answer[16 + 1];
            var uid = BitConverter.ToUInt32(answer, 16 + 64);
            var inode = BitConverter.ToUInt32(answer, 16 + 68);

            // Time-wait rows have no socket (inode 0) and report uid 0: never an owner.
            return state == TcpEstablished && inode != 0 ? (true, uid) : (true, null);
        }
        finally
        {
            _ = Close(fd);
        }
    }

    private static void WriteNative(Span<byte> span, ushort value) => BitConverter.TryWriteBytes(span, value);

#pragma warning disable CA5392, SYSLIB1054 // libc is resolved by the runtime's default probing on Linux; blittable arguments only
    [System.Runtime.InteropServices.DllImport("libc", EntryPoint = "socket", SetLastError = true)]
    private static extern int Socket(int domain, int type, int protocol);

    [System.Runtime.InteropServices.DllImport("libc", EntryPoint = "send", SetLastError = true)]
    private static extern nint Send(int fd, byte[] buffer, nint length, int flags);

    [System.Runtime.InteropServices.DllImport("libc", EntryPoint = "recv", SetLastError = true)]
    private static extern nint Recv(int fd, byte[] buffer, nint length, int flags);

    [System.Runtime.InteropServices.DllImport("libc", EntryPoint = "close", SetLastError = true)]
    private static extern int Close(int fd);
#pragma warning restore CA5392, SYSLIB1054
}
