using NetOpsBot.Core.Access;
using NetOpsBot.Core.Devices;

namespace NetOpsBot.Ssh;

/// <summary>The SSH connector's session seen as a remediation executor's confirming session (Core's port).</summary>
public sealed class ConfirmingSession(IInteractiveCliSession inner, AccessPath? path = null) : IConfirmingCliSession
{
    public AccessPath? Path { get; } = path;

    public Task<CliResult> RunAsync(string command, TimeSpan timeout, string? answer, CancellationToken cancellationToken) =>
        inner.RunAsync(command, timeout, answer is null ? ConfirmationPolicy.Decline : ConfirmationPolicy.Answer(answer), cancellationToken);

    public Task<CliResult> RunAnsweringEachAsync(string command, TimeSpan timeout, Func<string, string?> answerFor, CancellationToken cancellationToken) =>
        inner.RunAsync(command, timeout, ConfirmationPolicy.AnswerEach(answerFor), cancellationToken);

    public ValueTask DisposeAsync() => inner.DisposeAsync();
}

/// <summary>How the remediation executor gets its sessions from this connector.</summary>
public static class RemediationSessions
{
    /// <summary>
    /// Opens the session an approved plan runs on, the way the runbook chose its path: SSH on the
    /// configured port, then an alternate port that answers, then the console server (in the
    /// reference case port 22 is refused until the reboot).
    /// </summary>
    public static Func<DeviceRef, CancellationToken, Task<IConfirmingCliSession>> Opener(SshDeviceAccess access) => async (device, ct) =>
    {
        ArgumentNullException.ThrowIfNull(access);
        ArgumentNullException.ThrowIfNull(device);
        // Concurrently: a switch with no route back times every port out, and the console should not wait for each in turn.
        var ports = new[] { device.SshPort }.Concat(device.AlternatePorts).Distinct().ToList();
        var probes = await Task.WhenAll(ports.Select(p => access.ProbeAsync(device, p, TimeSpan.FromSeconds(3), ct))).ConfigureAwait(false);
        var paths = probes.Where(p => p.Outcome == ProbeOutcome.Open).Select(p => AccessPath.Ssh(p.Port)).ToList();

        if (device.Console is not null)
        {
            paths.Add(AccessPath.Console);
        }

        DeviceAccessException? last = null;
        foreach (var path in paths)
        {
            try
            {
                return new ConfirmingSession(await access.OpenInteractiveCliAsync(device, path, ct).ConfigureAwait(false), path);
            }
            catch (DeviceAccessException ex) when (ex.Reason != DeviceAccessFailure.HostKeyMismatch)
            {
                last = ex;
            }
        }

        throw last ?? new DeviceAccessException(DeviceAccessFailure.Refused, $"{device.Name.Value}: no access path answers");
    };
}
