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
/// pinning on both hops, one CLI session per device, bounded channels per jump host. The connection
/// (<c>SshDeviceAccess.Connection.cs</c>), the TCP probe (<c>.Probe.cs</c>) and the classification of a failed
/// connect (<c>.Failures.cs</c>) are parts of this class in their own files.
/// </summary>
public sealed partial class SshDeviceAccess : IDeviceAccess, IAsyncDisposable, IDisposable
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

    /// <summary>The device's dialect, chosen by its inventory platform; a platform nobody registered is a configuration error, not a guess.</summary>
    private IDeviceDialect DialectFor(DeviceRef device) =>
        _options.Dialects?.Invoke(device.Platform)
        ?? throw new DeviceAccessException(DeviceAccessFailure.Other, $"{device.Name.Value}: no CLI dialect for platform '{device.Platform}' (known platforms are registered by the composition root)");

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
