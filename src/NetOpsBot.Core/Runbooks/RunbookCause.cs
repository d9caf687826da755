using NetOpsBot.Core.Diagnosis;

namespace NetOpsBot.Core.Runbooks;

/// <summary>
/// One entry of a runbook's root-cause catalogue: its persisted code, title, severity, what it means, and everything
/// the record and the cards say about it (headline phrase, postmortem lessons, why its fix). Core and the cards read
/// a cause only through this entry, so a new runbook brings its causes without touching them.
/// </summary>
public sealed record RunbookCause(RootCause Cause, RootCauseSeverity Severity)
{
    public string Code => Cause.Code;

    public string Title => Cause.Title;

    /// <summary>What the cause means and how it is fixed, in a sentence or three.</summary>
    public string Meaning => Cause.Explanation;

    /// <summary>A few words for a headline ("no return route"); null: the title.</summary>
    public string? Phrase { get; init; }

    /// <summary>
    /// Makes the phrase concrete from a run's findings and evidence lines (the ghost port of a stuck listener); returns
    /// null when the lines say nothing more than <see cref="Phrase"/>.
    /// </summary>
    public Func<IEnumerable<string>, string?>? ConcretePhrase { get; init; }

    /// <summary>The lessons a postmortem carries when this cause was found.</summary>
    public IReadOnlyList<string> Lessons { get; init; } = [];

    /// <summary>Why a fix of this cause, in one sentence, on the card; null when nothing is known beyond the fix's title.</summary>
    public string? FixWhy { get; init; }

    /// <summary>Why a reboot fixes this cause, when that differs from <see cref="FixWhy"/>.</summary>
    public string? RebootWhy { get; init; }

    /// <summary>Set when the cause's own evidence says a configuration fix will not help (a stuck listener is not re-bound by re-applying its port).</summary>
    public string? ConfigFixDoubt { get; init; }

    /// <summary>Where the card lists this cause's fixes among the others.</summary>
    public FixPriority FixPriority { get; init; } = FixPriority.Service;

    /// <summary>The headline phrase, concrete when <paramref name="facts"/> allow.</summary>
    public string PhraseFor(IEnumerable<string>? facts) =>
        (facts is not null ? ConcretePhrase?.Invoke(facts) : null) ?? Phrase ?? Title;
}

/// <summary>The order in which a card lists fixes of different causes (manual work and reboots always come last).</summary>
public enum FixPriority
{
    /// <summary>Restores the path back to the management subnet: until replies have a path, nothing else can be verified remotely.</summary>
    PathBack,

    /// <summary>Lets the management subnet reach the service again (who may connect, from where).</summary>
    Access,

    /// <summary>The service's own configuration.</summary>
    Service,
}
