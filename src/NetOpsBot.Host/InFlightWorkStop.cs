using NetOpsBot.Core;
using NetOpsBot.Core.Approvals;
using NetOpsBot.Core.Chat;
using NetOpsBot.Core.Incidents;

namespace NetOpsBot.Host;

/// <summary>
/// On SIGTERM (every rolling update), stops running diagnoses, executions and recovery watches while storage and
/// the chat surfaces are still up: hosted services stop before the service container is disposed, and work that
/// wrote to a disposed database was what ended the process with an unhandled exception and a non-zero exit code.
/// Diagnoses record "Interrupted: the bot is shutting down"; executions and recovery watches are left claimed and
/// leased, so the next start reports them cut off (never repeated) and resumes a reboot's watch, as after a crash.
/// </summary>
internal sealed class InFlightWorkStop(IncidentService incidents, RemediationService remediation, IEnumerable<IChatSurface> surfaces) : IHostedService
{
    /// <summary>Per service; both together stay inside the host's default 30 s shutdown timeout.</summary>
    private static readonly TimeSpan Grace = TimeSpan.FromSeconds(10);

    /// <summary>For the publications the stop itself caused (the "Interrupted" lines).</summary>
    private static readonly TimeSpan PublishGrace = TimeSpan.FromSeconds(5);

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await Task.WhenAll(remediation.StopAsync(Grace), incidents.StopAsync(Grace)).ConfigureAwait(false);

        // The lines the stopped work wrote go out while storage is still there: a publication (it reads the timeline
        // and claims its lines) running on into the container's disposal would fail on a disposed provider.
        var drains = surfaces.OfType<CardPublisher>().Select(p => p.DrainAsync());
        await StopWork.WaitAsync(drains, PublishGrace).ConfigureAwait(false);
    }
}
