using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using NetOpsBot.Core.Access;

namespace NetOpsBot.Ssh;

/// <summary>The TCP probe from the jump host, and what an open port's first bytes say.</summary>
public sealed partial class SshDeviceAccess
{
    /// <summary>A failed channel open this late is not an RST (one round trip) but an unanswered ARP.</summary>
    internal static readonly TimeSpan SlowChannelFailure = TimeSpan.FromSeconds(2.5);

    /// <summary>
    /// A TCP connect from the jump host: a local forward to host:port and a local socket into it. SSH.NET opens
    /// the direct-tcpip channel when the socket is accepted; when the jump host's connect fails (RST, or not
    /// permitted) the forward closes the socket at once (EOF); an SSH server sends its banner; a dropped SYN
    /// leaves the channel pending until the timeout. SSH.NET also closes the socket when it stops waiting for a
    /// pending channel open (after <paramref name="channelOpenTimeout"/>, the connection's own timeout): an EOF
    /// that late is a dropped SYN, not an RST, which the jump host reports within milliseconds.
    /// </summary>
    private static async Task<(ProbeOutcome Outcome, string Detail, string? NotSsh)> ProbeCoreAsync(JumpHostConnection jump, string host, int port, TimeSpan timeout, TimeSpan channelOpenTimeout, CancellationToken cancellationToken)
    {
        JumpForward forward;
        try
        {
            forward = await jump.OpenForwardAsync(host, port, cancellationToken, probe: true).ConfigureAwait(false);
        }
        catch (DeviceAccessException ex) when (ex.Reason == DeviceAccessFailure.HostKeyMismatch)
        {
            return (ProbeOutcome.Error, ex.Message, null);
        }
        catch (DeviceAccessException ex) when (ex.Reason == DeviceAccessFailure.JumpHostUnreachable)
        {
            return (ProbeOutcome.JumpHostUnreachable, ex.Message, null);
        }
        catch (DeviceAccessException ex)
        {
            return (ProbeOutcome.Error, ex.Message, null);
        }

        var pending = false;
        try
        {
            using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            using var cts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            cts.CancelAfter(timeout);
            try
            {
                var started = Stopwatch.GetTimestamp();
                await socket.ConnectAsync(new IPEndPoint(IPAddress.Loopback, forward.BoundPort), cts.Token).ConfigureAwait(false);
                var buffer = new byte[256];
                var n = await socket.ReceiveAsync(buffer, SocketFlags.None, cts.Token).ConfigureAwait(false);
                if (n == 0)
                {
                    var waited = Stopwatch.GetElapsedTime(started);
                    if (waited >= channelOpenTimeout)
                    {
                        return (ProbeOutcome.Timeout, $"no answer within {waited.TotalMilliseconds:0} ms (SYN dropped or filtered; the jump host's channel open timed out)", null);
                    }

                    // SSH.NET drops the open failure's reason, so the delay is the evidence: an RST comes back within
                    // one round trip, a "no route to host" only once the jump host (or a router) gave up on ARP (Linux: 3 tries, 1 s apart).
                    return waited >= SlowChannelFailure
                        ? (ProbeOutcome.Timeout, $"no answer: the jump host's connect failed after {waited.TotalMilliseconds:0} ms, too late for an RST (no route to host: nothing answers ARP for it or its next hop)", null)
                        : (ProbeOutcome.Refused, "jump host could not open the channel: connection refused (RST)", null);
                }

                return (ProbeOutcome.Open, DescribeFirstBytes(buffer.AsSpan(0, n)), NotSshPorts.NotSsh(buffer.AsSpan(0, n)));
            }
            catch (SocketException ex) when (ex.SocketErrorCode is SocketError.ConnectionReset or SocketError.ConnectionAborted)
            {
                return (ProbeOutcome.Refused, "jump host could not open the channel: connection refused (RST)", null);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                pending = true;
                var client = await SafeIsConnected(jump).ConfigureAwait(false);
                return client
                    ? (ProbeOutcome.Timeout, $"no answer within {timeout.TotalMilliseconds:0} ms (SYN dropped or filtered)", null)
                    : (ProbeOutcome.JumpHostUnreachable, $"jump host {jump.Name} connection lost during the probe", null);
            }
        }
        finally
        {
            if (pending)
            {
                // The channel open is still pending at the jump host; Stop waits for it (up to the SSH timeout),
                // so free it off the caller's path, and off the probe budget: the probe is over.
                forward.ReleaseSlot();
                _ = Blocking.RunAsync(forward.Dispose);
            }
            else
            {
                await Blocking.RunAsync(forward.Dispose).ConfigureAwait(false);
            }
        }
    }

    private static async Task<bool> SafeIsConnected(JumpHostConnection jump)
    {
        try
        {
            var c = await jump.GetClientAsync(CancellationToken.None).ConfigureAwait(false);
            return c.IsConnected;
        }
        catch (DeviceAccessException)
        {
            return false;
        }
    }

    /// <summary>
    /// What the first bytes an open port sent say, in words (the card prints "tcp 23: open (telnet negotiation seen, 3 ms)"): an SSH banner line as sent, a telnet server by its option
    /// negotiation (IAC, 0xFF: the raw bytes would print as "??????"), other text as text, anything else as its size.
    /// </summary>
    internal static string DescribeFirstBytes(ReadOnlySpan<byte> bytes)
    {
        if (bytes.IsEmpty)
        {
            return "data received";
        }

        if (bytes[0] == 0xFF)
        {
            return "telnet negotiation seen";
        }

        var sb = new StringBuilder();
        var unprintable = 0;
        foreach (var b in bytes)
        {
            if (b is (byte)'\r' or (byte)'\n' || sb.Length >= 60)
            {
                break;
            }

            if (b is >= 0x20 and < 0x7f)
            {
                sb.Append((char)b);
            }
            else
            {
                unprintable++;
                sb.Append('?');
            }
        }

        return sb.Length == 0 || unprintable * 2 > sb.Length
            ? $"binary data, {bytes.Length.ToString(System.Globalization.CultureInfo.InvariantCulture)} bytes, not an SSH banner"
            : sb.ToString();
    }
}
