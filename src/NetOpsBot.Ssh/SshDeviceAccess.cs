using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using NetOpsBot.Core.Access;
using NetOpsBot.Core.Devices;
using Renci.SshNet;
using Renci.SshNet.Common;

namespace NetOpsBot.Ssh;

/// <summary>
/// <see cref="IDeviceAccess"/> on SSH.NET through jump hosts: one pooled jump connection per jump host,
/// a direct-tcpip channel (local forward) plus a second SSH client per device session, strict host-key
/// pinning on both hops, one CLI session per device, bounded channels per jump host.
/// </summary>
public sealed class SshDeviceAccess : IDeviceAccess, IAsyncDisposable, IDisposable
{
    private readonly SshConnectorOptions _options;
    private readonly ICredentialProvider _credentials;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly ConcurrentDictionary<string, JumpHostConnection> _jumps = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, SemaphoreSlim> _deviceGates = new(StringComparer.Ordinal);
    private readonly NotSshPorts _notSsh;
    private readonly Lock _pinsLock = new();
    private KnownHostsFile? _pins;
    private DateTime _pinsWritten;

    public SshDeviceAccess(SshConnectorOptions options, ICredentialProvider credentials, ILogger? logger = null, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(credentials);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.MaxChannelsPerJumpHost, 1);
        _options = options;
        _credentials = credentials;
        _logger = logger ?? NullLogger.Instance;
        _time = time ?? TimeProvider.System;
        _notSsh = new NotSshPorts(_time);
        if (options.ReservePoolThreadsForForwards)
        {
            Blocking.ReserveForForwards((options.MaxChannelsPerJumpHost + options.MaxProbeChannelsPerJumpHost) * Math.Max(1, options.JumpHosts.Count));
        }
    }

    /// <summary>Jump-host logins made so far over all jump hosts (1 per jump host while the pooled connection holds).</summary>
    public int JumpLogins => _jumps.Values.Sum(j => j.Logins);

    internal IEnumerable<JumpHostConnection> JumpConnections => _jumps.Values;

    public async Task<TcpProbeResult> ProbeAsync(DeviceRef device, int port, TimeSpan timeout, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(device);
        var start = _time.GetTimestamp();
        JumpHostConnection jump;
        try
        {
            jump = ResolveJump(device);
        }
        catch (DeviceAccessException ex)
        {
            return new TcpProbeResult(port, ProbeOutcome.Error, ex.Message, _time.GetElapsedTime(start));
        }

        var (outcome, detail, notSsh) = await ProbeCoreAsync(jump, device.ManagementAddress, port, timeout, _options.ConnectTimeout, cancellationToken).ConfigureAwait(false);
        _notSsh.Record(device.ManagementAddress, port, notSsh);
        var duration = _time.GetElapsedTime(start);
        Log.Probed(_logger, device.Name.Value, device.ManagementAddress, port, jump.Name, outcome.ToString(), detail, (long)duration.TotalMilliseconds);
        return new TcpProbeResult(port, outcome, detail, duration);
    }

    public async Task<IDeviceCliSession> OpenCliAsync(DeviceRef device, AccessPath path, CancellationToken cancellationToken) =>
        await OpenInteractiveCliAsync(device, path, cancellationToken).ConfigureAwait(false);

    /// <summary>Like <see cref="OpenCliAsync"/>, returning the confirmation-aware session type.</summary>
    public async Task<IInteractiveCliSession> OpenInteractiveCliAsync(DeviceRef device, AccessPath path, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(device);
        ArgumentNullException.ThrowIfNull(path);
        var start = _time.GetTimestamp();
        var name = device.Name.Value;
        try
        {
            var session = await OpenCoreAsync(device, path, cancellationToken).ConfigureAwait(false);
            Log.SessionOpened(_logger, name, path.ToString(), session.Hostname, (long)_time.GetElapsedTime(start).TotalMilliseconds);
            return session;
        }
        catch (DeviceAccessException ex)
        {
            Log.SessionFailed(_logger, name, path.ToString(), ex.Reason.ToString(), ex.Message);
            throw;
        }
    }

    public void Dispose()
    {
        foreach (var jump in _jumps.Values)
        {
            jump.Dispose();
        }

        _jumps.Clear();
    }

    public ValueTask DisposeAsync()
    {
        Dispose();
        return ValueTask.CompletedTask;
    }

    /// <summary>Records a failed device connect; always false, so the exception goes on to the real handlers.</summary>
    private bool Failed(Activity? activity, Exception ex, string device, long connectStarted)
    {
        var outcome = ex is DeviceAccessException d ? d.Reason.ToString() : ex.GetType().Name;
        activity?.SetStatus(ActivityStatusCode.Error, outcome);
        SshTelemetry.RecordConnect("device", device, outcome, _time.GetElapsedTime(connectStarted));
        return false;
    }

    private async Task<CliSession> OpenCoreAsync(DeviceRef device, AccessPath path, CancellationToken cancellationToken)
    {
        var name = device.Name.Value;
        var (host, port) = Target(device, path);
        var dialect = DialectFor(device);
        var jump = ResolveJump(device);
        var credential = await _credentials.GetAsync(device.CredentialRef, cancellationToken).ConfigureAwait(false)
            ?? throw new DeviceAccessException(DeviceAccessFailure.AuthFailed, $"{name}: no credential '{device.CredentialRef}' in {_credentials}");
        if (path.Kind == AccessPathKind.Ssh && _notSsh.Find(host, port) is { } notSsh)
        {
            // SSH.NET would wait its whole connect timeout for an identification line that a telnet server never sends.
            throw new DeviceAccessException(DeviceAccessFailure.HandshakeFailed, $"{name} via {path}: {host}:{port} is not an SSH server: it answered with {notSsh}; SSH login not attempted");
        }

        // VRP has few VTY lines and one state per device: one CLI session per device at a time, queued.
        var gate = _deviceGates.GetOrAdd(name, _ => new SemaphoreSlim(1, 1));
        if (!await gate.WaitAsync(_options.QueueTimeout, cancellationToken).ConfigureAwait(false))
        {
            throw new DeviceAccessException(DeviceAccessFailure.SessionRefused, $"{name}: another CLI session is still open after {_options.QueueTimeout.TotalSeconds:0} s");
        }

        JumpForward? forward = null;
        SshClient? client = null;
        var t0 = _time.GetTimestamp();
        long t1 = t0, t2 = t0;
        using var activity = SshTelemetry.Source.StartActivity("ssh.connect device");
        activity?.SetTag("netopsbot.device", name);
        activity?.SetTag("netopsbot.ssh.path", path.ToString());
        try
        {
            forward = await jump.OpenForwardAsync(host, port, cancellationToken).ConfigureAwait(false);
            t1 = _time.GetTimestamp();
            client = await ConnectDeviceAsync(name, path, host, port, forward, credential, cancellationToken).ConfigureAwait(false);
            SshTelemetry.RecordConnect("device", name, "ok", _time.GetElapsedTime(t1));
        }
        catch (Exception ex) when (Failed(activity, ex, name, t1))
        {
            throw;
        }
        catch (DeviceAccessException ex) when (ex.Data.Contains(NeedsProbe))
        {
            // SSH.NET says only "closed before a valid SSH identification string": ask the jump host what happened.
            client?.Dispose();
            forward?.Dispose();
            gate.Release();
            throw await ExplainChannelFailureAsync(jump, name, path, host, port, ex, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            client?.Dispose();
            forward?.Dispose();
            gate.Release();
            throw;
        }

        ShellStream shell;
        try
        {
            // PTY shell: VRP's CLI is interactive; exec is unsupported on many devices (REPORT.md §3).
            t2 = _time.GetTimestamp();
            var connected = client;
            shell = await Blocking.RunAsync(() => connected.CreateShellStream("vt100", 200, 48, 0, 0, 65536)).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is SshException or ObjectDisposedException or SocketException)
        {
            client.Dispose();
            forward.Dispose();
            gate.Release();
            throw new DeviceAccessException(DeviceAccessFailure.SessionRefused, $"{name}: logged in via {path}, but the device gave no shell: {ex.Message}", ex);
        }

        var ownedClient = client;
        var ownedForward = forward;
        var released = 0;
        async ValueTask Release()
        {
            if (Interlocked.Exchange(ref released, 1) == 0)
            {
                try
                {
                    await Blocking.RunAsync(() =>
                    {
                        ownedClient.Dispose();
                        ownedForward.Dispose();
                    }).ConfigureAwait(false);
                }
                finally
                {
                    gate.Release();
                }
            }
        }

        var session = new CliSession(name, dialect, shell, _options, _logger, _time, Release);
        try
        {
            var t3 = _time.GetTimestamp();
            await session.InitializeAsync(cancellationToken).ConfigureAwait(false);
            Log.OpenPhases(_logger, name, Ms(t0, t1), Ms(t1, t2), Ms(t2, t3), Ms(t3, _time.GetTimestamp()));
            return session;
        }
        catch
        {
            await session.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    private static readonly object NeedsProbe = new();

    /// <summary>The device's dialect, chosen by its inventory platform; a platform nobody registered is a configuration error, not a guess.</summary>
    private IDeviceDialect DialectFor(DeviceRef device) =>
        _options.Dialects?.Invoke(device.Platform)
        ?? throw new DeviceAccessException(DeviceAccessFailure.Other, $"{device.Name.Value}: no CLI dialect for platform '{device.Platform}' (known platforms are registered by the composition root)");

    private long Ms(long from, long to) => (long)_time.GetElapsedTime(from, to).TotalMilliseconds;

    private async Task<SshClient> ConnectDeviceAsync(string name, AccessPath path, string host, int port, JumpForward forward, DeviceCredential credential, CancellationToken cancellationToken)
    {
        var info = new PasswordConnectionInfo("127.0.0.1", forward.BoundPort, credential.User, credential.Password) { Timeout = _options.ConnectTimeout };
        if (_options.PreferClassicalKeyExchange)
        {
            SshDefaults.PreferClassicalKeyExchange(info);
        }

        var client = new SshClient(info);
        var pins = Pins();
        HostKeyVerdict? verdict = null;
        client.HostKeyReceived += (_, e) =>
        {
            // The client dials 127.0.0.1:<forward>; the pin belongs to the REAL device address and port.
            verdict = pins.Verify(host, port, e.FingerPrintSHA256);
            e.CanTrust = verdict.Trusted;
        };

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_options.ConnectTimeout);
        try
        {
            await client.ConnectAsync(timeout.Token).ConfigureAwait(false);
            return client;
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            client.Dispose();
            if (verdict is { Trusted: false })
            {
                Log.HostKeyRejected(_logger, $"{name} via {path}: {verdict.Describe()}");
                throw new DeviceAccessException(DeviceAccessFailure.HostKeyMismatch, $"{name} via {path}: {verdict.Describe()}", ex);
            }

            switch (ex)
            {
                case SshAuthenticationException:
                    throw new DeviceAccessException(DeviceAccessFailure.AuthFailed, $"{name} via {path}: authentication as '{credential.User}' was rejected", ex);
                case OperationCanceledException or SshOperationTimeoutException:
                    throw new DeviceAccessException(DeviceAccessFailure.Timeout, $"{name} via {path}: no SSH answer from {host}:{port} within {_options.ConnectTimeout.TotalSeconds:0.#} s (through jump host {forward.Jump.Name})", ex);
                case SshConnectionException or SocketException or ProxyException:
                    var dae = new DeviceAccessException(DeviceAccessFailure.HandshakeFailed, $"{name} via {path}: {ex.Message}", ex);
                    dae.Data[NeedsProbe] = true;
                    throw dae;
                default:
                    throw new DeviceAccessException(DeviceAccessFailure.HandshakeFailed, $"{name} via {path}: SSH handshake with {host}:{port} failed: {ex.GetType().Name}: {ex.Message}", ex);
            }
        }
    }

    private async Task<DeviceAccessException> ExplainChannelFailureAsync(JumpHostConnection jump, string name, AccessPath path, string host, int port, DeviceAccessException original, CancellationToken cancellationToken)
    {
        var (outcome, detail, _) = await ProbeCoreAsync(jump, host, port, _options.ConnectTimeout, _options.ConnectTimeout, cancellationToken).ConfigureAwait(false);
        var inner = original.InnerException ?? original;
        return outcome switch
        {
            ProbeOutcome.Refused => new DeviceAccessException(DeviceAccessFailure.Refused, $"{name} via {path}: {host}:{port} refused the connection from jump host {jump.Name} ({detail})", inner),
            ProbeOutcome.Timeout => new DeviceAccessException(DeviceAccessFailure.Timeout, $"{name} via {path}: {host}:{port} did not answer from jump host {jump.Name} ({detail})", inner),
            ProbeOutcome.JumpHostUnreachable => new DeviceAccessException(DeviceAccessFailure.JumpHostUnreachable, $"{name} via {path}: {detail}", inner),
            _ => new DeviceAccessException(DeviceAccessFailure.HandshakeFailed, $"{name} via {path}: {host}:{port} accepts TCP ({detail}) but the SSH handshake failed: {inner.Message}", inner),
        };
    }

    /// <summary>
    /// A TCP connect from the jump host: a local forward to host:port and a local socket into it. SSH.NET opens
    /// the direct-tcpip channel when the socket is accepted; when the jump host's connect fails (RST, or not
    /// permitted) the forward closes the socket at once (EOF); an SSH server sends its banner; a dropped SYN
    /// leaves the channel pending until the timeout. SSH.NET also closes the socket when it stops waiting for a
    /// pending channel open (after <paramref name="channelOpenTimeout"/>, the connection's own timeout): an EOF
    /// that late is a dropped SYN, not an RST, which the jump host reports within milliseconds.
    /// </summary>
    /// <summary>A failed channel open this late is not an RST (one round trip) but an unanswered ARP.</summary>
    internal static readonly TimeSpan SlowChannelFailure = TimeSpan.FromSeconds(2.5);

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

    private (string Host, int Port) Target(DeviceRef device, AccessPath path)
    {
        if (path.Kind == AccessPathKind.Ssh)
        {
            return (device.ManagementAddress, path.Port!.Value);
        }

        var console = device.Console ?? throw new DeviceAccessException(DeviceAccessFailure.Other, $"{device.Name}: no console line in the inventory");
        var address = _options.ConsoleServers.TryGetValue(console.Server, out var a) ? a : console.Server;
        return (address, console.Port);
    }

    private JumpHostConnection ResolveJump(DeviceRef device)
    {
        var name = device.JumpHostName ?? _options.DefaultJumpHost
            ?? throw new DeviceAccessException(DeviceAccessFailure.Other, $"{device.Name}: no jump host in the inventory and no default configured");
        if (!_options.JumpHosts.TryGetValue(name, out var jump))
        {
            throw new DeviceAccessException(DeviceAccessFailure.Other, $"{device.Name}: jump host '{name}' is not configured");
        }

        return _jumps.GetOrAdd(name, _ => new JumpHostConnection(jump, _options, Pins, _logger, _time));
    }

    /// <summary>The pins, re-read when known_hosts changes (a rotated key is picked up without a restart).</summary>
    private KnownHostsFile Pins()
    {
        lock (_pinsLock)
        {
            var written = File.GetLastWriteTimeUtc(_options.KnownHostsPath);
            if (_pins is null || written != _pinsWritten)
            {
                _pins = KnownHostsFile.Load(_options.KnownHostsPath);
                _pinsWritten = written;
            }

            return _pins;
        }
    }
}
