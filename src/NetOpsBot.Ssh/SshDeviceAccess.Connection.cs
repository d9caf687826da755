using System.Diagnostics;
using System.Net.Sockets;
using NetOpsBot.Core.Access;
using NetOpsBot.Core.Devices;
using Renci.SshNet;
using Renci.SshNet.Common;

namespace NetOpsBot.Ssh;

/// <summary>Opening a device session: the forward through the jump host, the SSH login with pinned host keys, the PTY shell.</summary>
public sealed partial class SshDeviceAccess
{
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
            throw ConnectFailure(name, path, host, port, forward, credential, verdict, ex);
        }
    }
}
