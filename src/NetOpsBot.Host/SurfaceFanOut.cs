using NetOpsBot.Core.Chat;
using NetOpsBot.Core.Incidents;

namespace NetOpsBot.Host;

/// <summary>
/// Hands each incident notification to every chat surface. One surface that is down or slow must not
/// cost another its update, nor the diagnosis its progress, so failures are logged and swallowed here.
/// </summary>
internal sealed partial class SurfaceFanOut(IEnumerable<IChatSurface> surfaces, ILogger<SurfaceFanOut> log) : IIncidentNotifier
{
    private readonly IChatSurface[] _surfaces = [.. surfaces];

    public async Task NotifyAsync(IncidentNotification notification, CancellationToken cancellationToken)
    {
        foreach (var surface in _surfaces)
        {
            try
            {
                await surface.NotifyAsync(notification, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                LogSurfaceFailed(log, ex, surface.Platform, notification.Event.Kind, notification.Incident.Id.Value);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "chat surface {Platform} failed to show {Kind} of {IncidentId}")]
    private static partial void LogSurfaceFailed(ILogger log, Exception ex, string platform, TimelineEventKind kind, string incidentId);
}
