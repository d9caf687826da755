using System.Net.Sockets;
using NetOpsBot.Core.Access;
using Renci.SshNet.Common;

namespace NetOpsBot.Ssh;

/// <summary>Classifying a failed connect: a handshake SSH.NET cannot explain is explained by a probe from the jump host.</summary>
public sealed partial class SshDeviceAccess
{
    private static readonly object NeedsProbe = new();

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

    /// <summary>What a failed device login means, as a typed reason; a handshake SSH.NET cannot explain is marked for a probe.</summary>
    private DeviceAccessException ConnectFailure(string name, AccessPath path, string host, int port, JumpForward forward, DeviceCredential credential, HostKeyVerdict? verdict, Exception ex)
    {
        if (verdict is { Trusted: false })
        {
            Log.HostKeyRejected(_logger, $"{name} via {path}: {verdict.Describe()}");
            return new DeviceAccessException(DeviceAccessFailure.HostKeyMismatch, $"{name} via {path}: {verdict.Describe()}", ex);
        }

        switch (ex)
        {
            case SshAuthenticationException:
                return new DeviceAccessException(DeviceAccessFailure.AuthFailed, $"{name} via {path}: authentication as '{credential.User}' was rejected", ex);
            case OperationCanceledException or SshOperationTimeoutException:
                return new DeviceAccessException(DeviceAccessFailure.Timeout, $"{name} via {path}: no SSH answer from {host}:{port} within {_options.ConnectTimeout.TotalSeconds:0.#} s (through jump host {forward.Jump.Name})", ex);
            case SshConnectionException or SocketException or ProxyException:
                var dae = new DeviceAccessException(DeviceAccessFailure.HandshakeFailed, $"{name} via {path}: {ex.Message}", ex);
                dae.Data[NeedsProbe] = true;
                return dae;
            default:
                return new DeviceAccessException(DeviceAccessFailure.HandshakeFailed, $"{name} via {path}: SSH handshake with {host}:{port} failed: {ex.GetType().Name}: {ex.Message}", ex);
        }
    }
}
