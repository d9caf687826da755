using NetOpsBot.Core.Diagnosis;

namespace NetOpsBot.Core.Incidents;

/// <summary>Something that happened to an incident, for the chat surfaces to show (card update, thread line).</summary>
public sealed record IncidentNotification(Incident Incident, TimelineEvent Event)
{
    /// <summary>The runbook's steps, on the Requested event, so a card can list them all as pending.</summary>
    public IReadOnlyList<StepDescriptor>? Steps { get; init; }

    public StepResult? Step { get; init; }

    public DiagnosisReport? Report { get; init; }

    /// <summary>
    /// The line the chat thread gets for this event (<see cref="Chat.ThreadLines"/>), or null when the event gets no
    /// line (a "started" or progress event, a duplicate). Until decided, the event's summary.
    /// </summary>
    public string? ThreadText
    {
        get => _threadDecided ? _threadText : Event.Summary;
        init
        {
            _threadText = value;
            _threadDecided = true;
        }
    }

    private readonly string? _threadText;
    private readonly bool _threadDecided;
}

/// <summary>Port to the chat surfaces. Implementations must not throw for a surface that is down; they log and move on.</summary>
public interface IIncidentNotifier
{
    Task NotifyAsync(IncidentNotification notification, CancellationToken cancellationToken);
}
