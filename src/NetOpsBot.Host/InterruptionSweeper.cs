using NetOpsBot.Core.Incidents;
using NetOpsBot.Storage;

namespace NetOpsBot.Host;

/// <summary>
/// Incidents a host left "running" must not stay so forever. At start-up every lease from before
/// this process is treated as dead (with SQLite there is only one host); afterwards expired leases
/// are swept periodically, which is what several replicas on PostgreSQL rely on. Each row is judged by
/// <see cref="IncidentLifecycle.Decide"/>: the owner of a diagnosis, fix, recovery watch or re-diagnosis
/// renews its lease throughout, and this host's own running work is never interrupted by its own sweep.
/// </summary>
internal sealed partial class InterruptionSweeper(IncidentService incidents, NetOpsBot.Core.Approvals.RemediationService remediation, IncidentServiceOptions options, StorageOptions storage, TimeProvider time, ILogger<InterruptionSweeper> log) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        NetOpsBot.Core.BackgroundWork.Enter();
        while (!stoppingToken.IsCancellationRequested)
        {
            await Task.Delay(TimeSpan.FromSeconds(Math.Min(options.LeaseDuration.TotalSeconds, 10)), time, stoppingToken).ConfigureAwait(false);
            try
            {
                foreach (var id in await incidents.RecoverInterruptedAsync([], stoppingToken).ConfigureAwait(false))
                {
                    LogInterrupted(log, id.Value);
                }

                await remediation.SweepAsync([], time.GetUtcNow(), stoppingToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                LogSweepFailed(log, ex.Message);
            }
        }
    }

    /// <summary>Runs once before the host takes requests.</summary>
    public async Task SweepAtStartupAsync(CancellationToken ct)
    {
        // With SQLite there is one host, and it just started: whatever is still running belonged to
        // the previous process, whatever its lease says. With PostgreSQL other replicas may be alive,
        // so only expired leases count.
        var before = storage.Provider == StorageProvider.Sqlite ? time.GetUtcNow() + options.LeaseDuration + TimeSpan.FromSeconds(1) : time.GetUtcNow();
        foreach (var id in await incidents.RecoverInterruptedAsync([], ct, before).ConfigureAwait(false))
        {
            LogInterrupted(log, id.Value);
        }

        // Executions cut off by the stop are reported, never repeated; a reboot's recovery watch resumes.
        var executionsBefore = storage.Provider == StorageProvider.Sqlite ? DateTimeOffset.MaxValue : time.GetUtcNow();
        await remediation.SweepAsync([], executionsBefore, ct).ConfigureAwait(false);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Incident {IncidentId} was left running by a stopped host; marked interrupted")]
    private static partial void LogInterrupted(ILogger log, string incidentId);

    [LoggerMessage(Level = LogLevel.Error, Message = "Interruption sweep failed: {Reason}")]
    private static partial void LogSweepFailed(ILogger log, string reason);
}
