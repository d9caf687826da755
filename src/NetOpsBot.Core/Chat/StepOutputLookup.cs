using NetOpsBot.Core.Incidents;

namespace NetOpsBot.Core.Chat;

/// <summary>A step's stored output, found for a "Details" click or request: the incident and the run's step.</summary>
public sealed record StepOutput(Incident Incident, StoryStep Step)
{
    public string Title => Step.Result.Title;

    public string RawOutput => Step.Result.RawOutput;
}

/// <summary>
/// The one way every surface finds a step's full output (the card's "Details" button, the web chat's output link):
/// from the stored timeline, by the run the button belongs to, so an earlier run's output stays reachable after
/// re-diagnoses. A chat platform sees only incidents shown on it (its own channel, or a card it holds): a click
/// crafted in another workspace or tenant naming a foreign incident id gets nothing. The local web chat is the
/// operator console of its host and sees every incident (<see cref="AnyPlatform"/>).
/// </summary>
public sealed class StepOutputLookup(IIncidentStore store)
{
    /// <summary>The platform key of a viewer that may see every incident (the host's own operator console).</summary>
    public const string? AnyPlatform = null;

    /// <param name="id">The incident the button names.</param>
    /// <param name="stepId">The runbook step; null finds nothing.</param>
    /// <param name="run">1: the first diagnosis; null: the latest run that has the step.</param>
    /// <param name="platform">The asking surface's platform key; <see cref="AnyPlatform"/> for the operator console.</param>
    /// <param name="cancellationToken">Cancels the store reads.</param>
    public async Task<StepOutput?> FindAsync(IncidentId id, string? stepId, int? run, string? platform, CancellationToken cancellationToken)
    {
        if (stepId is null || await store.GetAsync(id, cancellationToken).ConfigureAwait(false) is not { } incident || !ShownOn(incident, platform))
        {
            return null;
        }

        var timeline = await store.TimelineAsync(id, 0, cancellationToken).ConfigureAwait(false);
        return IncidentStory.Build(incident, timeline, runbook: null).Step(stepId, run) is { } step ? new StepOutput(incident, step) : null;
    }

    /// <summary>Whether <paramref name="incident"/> is shown on <paramref name="platform"/> (the same rule for every surface).</summary>
    public static bool ShownOn(Incident incident, string? platform)
    {
        ArgumentNullException.ThrowIfNull(incident);
        return platform is null
            || string.Equals(incident.Channel.Platform, platform, StringComparison.OrdinalIgnoreCase)
            || incident.CardMessages.Any(c => string.Equals(c.Platform, platform, StringComparison.OrdinalIgnoreCase));
    }
}
