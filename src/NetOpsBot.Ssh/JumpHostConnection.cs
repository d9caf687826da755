using System.Diagnostics;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using NetOpsBot.Core.Access;
using Renci.SshNet;
using Renci.SshNet.Common;

namespace NetOpsBot.Ssh;

/// <summary>
/// The pooled, long-lived SSH connection to one jump host. Device sessions and probes are direct-tcpip
/// channels through it (a <see cref="ForwardedPortLocal"/> on 127.0.0.1:0 each), never new jump logins.
/// Connects lazily, reconnects when the connection dropped, and bounds the channels open at once.
/// </summary>
internal sealed class JumpHostConnection : IDisposable
{
    private readonly JumpHostOptions _jump;
    private readonly SshConnectorOptions _options;
    private readonly Func<KnownHostsFile> _knownHosts;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly SemaphoreSlim _connectGate = new(1, 1);

    // SshClient.AddForwardedPort/RemoveForwardedPort mutate a plain List<>: not thread-safe (REPORT.md gotcha 18).
    private readonly Lock _portsLock = new();
    private SshClient? _client;
    private int _logins;
    private bool _disposed;

    public JumpHostConnection(JumpHostOptions jump, SshConnectorOptions options, Func<KnownHostsFile> knownHosts, ILogger logger, TimeProvider time)
    {
        _jump = jump;
        _options = options;
        _knownHosts = knownHosts;
        _logger = logger;
        _time = time;
        Channels = new SemaphoreSlim(options.MaxChannelsPerJumpHost, options.MaxChannelsPerJumpHost);
        ProbeChannels = new SemaphoreSlim(options.MaxProbeChannelsPerJumpHost, options.MaxProbeChannelsPerJumpHost);
    }

    public string Name => _jump.Name;

    /// <summary>Successful jump logins so far: 1 while the pooled connection stays up.</summary>
    public int Logins => Volatile.Read(ref _logins);

    public SemaphoreSlim Channels { get; }

    public SemaphoreSlim ProbeChannels { get; }

    /// <summary>Drops the pooled connection as a failing network would (tests of the reconnect path).</summary>
    internal void DropConnection() => _client?.Disconnect();

    /// <summary>Returns the connected client, logging in first when there is none or it dropped.</summary>
    /// <exception cref="DeviceAccessException">JumpHostUnreachable, or HostKeyMismatch for a wrong jump host key.</exception>
    public async Task<SshClient> GetClientAsync(CancellationToken cancellationToken)
    {
        var current = _client;
        if (current is { IsConnected: true })
        {
            return current;
        }

        await _connectGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (_client is { IsConnected: true })
            {
                return _client;
            }

            if (_client is not null)
            {
                Log.JumpLost(_logger, _jump.Name, "not connected; logging in again");
                DisposeClient(_client);
                _client = null;
            }

            _client = await ConnectAsync(cancellationToken).ConfigureAwait(false);
            return _client;
        }
        finally
        {
            _connectGate.Release();
        }
    }

    /// <summary>Opens a local forward to <paramref name="host"/>:<paramref name="port"/> through the jump host, holding one channel slot.</summary>
    /// <remarks>
    /// Probes draw from their own, smaller budget: a diagnosis holds a CLI channel while its debug step
    /// probes the device, so with one shared budget N concurrent diagnoses could wait on each other forever.
    /// </remarks>
    public async Task<JumpForward> OpenForwardAsync(string host, int port, CancellationToken cancellationToken, bool probe = false)
    {
        var slots = probe ? ProbeChannels : Channels;
        if (!await slots.WaitAsync(_options.QueueTimeout, cancellationToken).ConfigureAwait(false))
        {
            throw new DeviceAccessException(DeviceAccessFailure.Other, $"no free {(probe ? "probe " : string.Empty)}channel on jump host {_jump.Name} within {_options.QueueTimeout.TotalSeconds:0} s");
        }

        try
        {
            var client = await GetClientAsync(cancellationToken).ConfigureAwait(false);
            var forward = new ForwardedPortLocal("127.0.0.1", 0, host, (uint)port);

            // The listener is open to every local user: only this process's one expected connection gets a channel.
            var admission = new TunnelAdmission(_jump.Name, host, (uint)port, budget: 1, _logger);
            forward.RequestReceived += (_, e) => admission.Admit(e.OriginatorHost, e.OriginatorPort);
            forward.Exception += (_, e) =>
            {
                if (e.Exception is not TunnelPeerRefusedException)
                {
                    Log.ForwardError(_logger, host, (uint)port, e.Exception.Message);
                }
            };
            lock (_portsLock)
            {
                client.AddForwardedPort(forward);
            }

            try
            {
                forward.Start();
                admission.BoundPort = (int)forward.BoundPort;
            }
            catch
            {
                lock (_portsLock)
                {
                    client.RemoveForwardedPort(forward);
                }

                forward.Dispose();
                throw;
            }

            return new JumpForward(this, client, forward, slots);
        }
        catch (Exception ex) when (ex is SshException or SocketException or ObjectDisposedException or InvalidOperationException)
        {
            slots.Release();
            throw new DeviceAccessException(DeviceAccessFailure.JumpHostUnreachable, $"jump host {_jump.Name}: could not open a forward: {ex.Message}", ex);
        }
        catch
        {
            slots.Release();
            throw;
        }
    }

    internal void CloseForward(SshClient client, ForwardedPortLocal forward)
    {
        try
        {
            // Stop waits for the channel's pump to finish (fast once the local socket closed) outside the lock.
            forward.Stop();
        }
        catch (Exception ex) when (ex is SshException or ObjectDisposedException or SocketException or InvalidOperationException)
        {
            Log.ForwardError(_logger, forward.Host, forward.Port, ex.Message);
        }

        lock (_portsLock)
        {
            try
            {
                // After Dispose the client has already stopped and dropped every port (and its list must not
                // be mutated while it enumerates it).
                if (!_disposed)
                {
                    client.RemoveForwardedPort(forward);
                }
            }
            catch (Exception ex) when (ex is SshException or ObjectDisposedException or InvalidOperationException)
            {
                Log.ForwardError(_logger, forward.Host, forward.Port, ex.Message);
            }
        }

        forward.Dispose();
    }

    public void Dispose()
    {
        _connectGate.Wait();
        try
        {
            // Under the ports lock: SshClient.Dispose enumerates the forwarded ports that a background probe
            // clean-up may be removing. It waits for channel opens still pending (at most ConnectTimeout).
            lock (_portsLock)
            {
                _disposed = true;
                if (_client is not null)
                {
                    DisposeClient(_client);
                    _client = null;
                }
            }
        }
        finally
        {
            _connectGate.Release();
        }
    }

    private async Task<SshClient> ConnectAsync(CancellationToken cancellationToken)
    {
        var started = _time.GetTimestamp();
        using var activity = SshTelemetry.Source.StartActivity("ssh.connect jump host");
        activity?.SetTag("netopsbot.ssh.target", _jump.Name);
        try
        {
            var client = await ConnectCoreAsync(started, cancellationToken).ConfigureAwait(false);
            SshTelemetry.RecordConnect("jump", _jump.Name, "ok", _time.GetElapsedTime(started));
            return client;
        }
        catch (Exception ex)
        {
            var outcome = ex is DeviceAccessException d ? d.Reason.ToString() : ex.GetType().Name;
            activity?.SetStatus(ActivityStatusCode.Error, outcome);
            SshTelemetry.RecordConnect("jump", _jump.Name, outcome, _time.GetElapsedTime(started));
            throw;
        }
    }

    private async Task<SshClient> ConnectCoreAsync(long started, CancellationToken cancellationToken)
    {
        PrivateKeyFile key;
        try
        {
            var material = await _options.JumpHostKeys.GetAsync(_jump, cancellationToken).ConfigureAwait(false);
            using var text = new MemoryStream(System.Text.Encoding.UTF8.GetBytes(material.PrivateKey));
            key = material.Passphrase is null ? new PrivateKeyFile(text) : new PrivateKeyFile(text, material.Passphrase);
        }
        catch (JumpHostKeyUnavailableException ex)
        {
            Log.JumpUnreachable(_logger, _jump.Name, ex.Message);
            throw new DeviceAccessException(DeviceAccessFailure.JumpHostUnreachable, ex.Message, ex);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or SshException or ArgumentException)
        {
            // Names where the key came from and the failure's type, never the key, the passphrase or SSH.NET's message.
            throw new DeviceAccessException(DeviceAccessFailure.JumpHostUnreachable, $"jump host {_jump.Name}: cannot load the private key from {_options.JumpHostKeys}: {(ex is SshException or ArgumentException ? "not a private key in a format SSH.NET reads, or a wrong passphrase" : FileProblem.Describe(ex))}", ex);
        }

        var info = new PrivateKeyConnectionInfo(_jump.Address, _jump.Port, _jump.User, key) { Timeout = _options.ConnectTimeout };
        if (_options.PreferClassicalKeyExchange)
        {
            SshDefaults.PreferClassicalKeyExchange(info);
        }

        var client = new SshClient(info) { KeepAliveInterval = _options.KeepAliveInterval };
        HostKeyVerdict? verdict = null;
        var pins = _knownHosts();
        client.HostKeyReceived += (_, e) =>
        {
            verdict = pins.Verify(_jump.Address, _jump.Port, e.FingerPrintSHA256);
            e.CanTrust = verdict.Trusted;
        };
        client.ErrorOccurred += (_, e) => Log.JumpLost(_logger, _jump.Name, e.Exception.Message);

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_options.ConnectTimeout);
        try
        {
            // The pooled connection outlives the request that opened it: SSH.NET starts its message listener and
            // keep-alive timer inside Connect, and they would capture this flow's execution context, so "connection
            // lost" minutes later was logged under the log scope (incident id) and trace of whichever diagnosis
            // happened to log in first, often one resolved long before.
            Task connecting;
            using (ExecutionContext.SuppressFlow())
            {
                connecting = client.ConnectAsync(timeout.Token);
            }

            await connecting.ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            DisposeClient(client);
            key.Dispose();
            if (verdict is { Trusted: false })
            {
                Log.HostKeyRejected(_logger, "jump host " + _jump.Name + ": " + verdict.Describe());
                throw new DeviceAccessException(DeviceAccessFailure.HostKeyMismatch, $"jump host {_jump.Name}: {verdict.Describe()}", ex);
            }

            var reason = ex switch
            {
                OperationCanceledException or SshOperationTimeoutException => $"no SSH answer within {_options.ConnectTimeout.TotalSeconds:0.#} s",
                SshAuthenticationException => "public key authentication failed for " + _jump.User,
                SocketException se => se.SocketErrorCode.ToString(),
                _ => ex.GetType().Name + ": " + ex.Message,
            };
            Log.JumpUnreachable(_logger, _jump.Name, reason);
            throw new DeviceAccessException(DeviceAccessFailure.JumpHostUnreachable, $"jump host {_jump.Name} ({_jump.Address}:{_jump.Port}) unreachable: {reason}", ex);
        }

        var logins = Interlocked.Increment(ref _logins);
        Log.JumpConnected(_logger, _jump.Name, logins, (long)_time.GetElapsedTime(started).TotalMilliseconds);
        return client;
    }

    private static void DisposeClient(SshClient client)
    {
        try
        {
            client.Dispose();
        }
        catch (Exception ex) when (ex is SshException or ObjectDisposedException or SocketException or InvalidOperationException)
        {
            Debug.WriteLine(ex.Message);
        }
    }
}

/// <summary>A local forward through the jump host; disposing it closes the forward and frees the channel slot.</summary>
internal sealed class JumpForward(JumpHostConnection owner, SshClient client, ForwardedPortLocal forward, SemaphoreSlim slots) : IDisposable
{
    private int _disposed;
    private int _slotReleased;

    public int BoundPort => (int)forward.BoundPort;

    public JumpHostConnection Jump => owner;

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            try
            {
                owner.CloseForward(client, forward);
            }
            finally
            {
                ReleaseSlot();
            }
        }
    }

    /// <summary>
    /// Gives the channel slot back before the forward is closed. For a probe the caller gave up on: its channel
    /// open stays pending at the jump host until SSH.NET stops waiting (ConnectTimeout, 10 s), and holding the
    /// slot that long made every other switch's probe queue behind an unreachable one's (docs/LAB-NETWORK.md,
    /// the chat benchmark). What lingers is bounded: each such probe first held its slot for its own timeout.
    /// </summary>
    public void ReleaseSlot()
    {
        if (Interlocked.Exchange(ref _slotReleased, 1) == 0)
        {
            slots.Release();
        }
    }
}
