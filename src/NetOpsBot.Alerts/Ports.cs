using NetOpsBot.Core.Devices;
using NetOpsBot.Core.Incidents;

namespace NetOpsBot.Alerts;

/// <summary>The incident opened for an alert (or found: the same request key was used before).</summary>
public sealed record AlertStart(IncidentId Incident, bool Created);

/// <summary>
/// The incident side as alerts need it; the host implements it on the incident service, so an alert opens an
/// incident exactly as <c>/sshdiag</c> does (same runner, same approvals).
/// </summary>
public interface IAlertIncidents
{
    /// <param name="runbookId">The runbook the alert's rule names: the incident runs it, and any re-run runs it again.</param>
    /// <exception cref="DiagnosisLimitException">The device already has a diagnosis running, or this instance runs its maximum.</exception>
    Task<AlertStart> StartAsync(DeviceRef device, string runbookId, ChatUser requester, ChatChannel channel, string requestKey, string summary, AlertOrigin alert, CancellationToken cancellationToken);

    /// <summary>Adds a line to the incident's thread (stored, then shown).</summary>
    Task NoteAsync(IncidentId incident, string actor, string summary, CancellationToken cancellationToken);

    /// <summary>
    /// Monitoring says the alert resolved: if the incident is diagnosed and idle, the bot checks for itself (the
    /// runbook again, in the background) and resolves the incident only when that re-check is healthy. Anything
    /// else (running, awaiting approval, already resolved, being re-checked by another replica) is left alone.
    /// </summary>
    Task RecheckAsync(IncidentId incident, DeviceRef device, CancellationToken cancellationToken);
}

/// <summary>Posts one line in a channel that has no incident to attach it to (an unknown device, maintenance).</summary>
public interface IAlertChannelNotice
{
    Task PostAsync(ChatChannel channel, string text, CancellationToken cancellationToken);
}
