using NetOpsBot.Core.Approvals;
using NetOpsBot.Core.Incidents;

namespace NetOpsBot.Host;

/// <summary>
/// On SIGTERM (every rolling update), stops running diagnoses, executions and recovery watches while storage and
/// the chat surfaces are still up: hosted services stop before the service container is disposed, and work that
/// wrote to a disposed database was what ended the process with an unhandled exception and a non-zero exit code.
/// Diagnoses record "Interrupted: the bot is shutting down"; executions and recovery watches are left claimed and
/// leased, so the next start reports them cut off (never repeated) and resumes a reboot's watch, as after a crash.
/// </summary>
internal sealed class InFlightWorkStop(IncidentService incidents, RemediationService remediation) : IHostedService
{
    /// <summary>Per service; both together stay inside the host's default 30 s shutdown timeout.</summary>
    private static readonly TimeSpan Grace = TimeSpan.FromSeconds(10);

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) =>
        Task.WhenAll(remediation.StopAsync(Grace), incidents.StopAsync(Grace));
}
