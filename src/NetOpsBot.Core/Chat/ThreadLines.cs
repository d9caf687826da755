using System.Collections.Concurrent;
using NetOpsBot.Core.Diagnosis;
using NetOpsBot.Core.Incidents;

namespace NetOpsBot.Core.Chat;

/// <summary>
/// Which timeline events become a line in an incident's chat thread, and with what text: one line per meaningful
/// event (a finished step, a verdict per run, an offer, a request, a decision, an execution with its commands, a
/// recovery, the resolution). The timeline keeps everything; the thread is for the people reading it at 3 a.m., so
/// it leaves out "started" and progress lines, says nothing twice and names fixes and causes by their titles, not
/// by internal ids. Every surface (web chat, Teams, Slack) posts exactly these lines.
/// </summary>
public static class ThreadLines
{
    /// <summary>A thread line is a summary; the card and a step's details carry the rest.</summary>
    public const int MaxLineChars = 500;

    /// <summary>The runbook step that states the verdict (<c>SshUnreachableSteps.Verdict</c>).</summary>
    public const string VerdictStepId = "verdict";

    /// <summary>The thread of a whole timeline, in order: each kept event with its line.</summary>
    public static IReadOnlyList<(TimelineEvent Event, string Text)> Compose(IReadOnlyList<TimelineEvent> timeline)
    {
        ArgumentNullException.ThrowIfNull(timeline);
        var state = new ThreadLineState();
        var lines = new List<(TimelineEvent, string)>();
        foreach (var e in timeline.OrderBy(e => e.Sequence))
        {
            if (Next(state, e) is { } text)
            {
                lines.Add((e, text));
            }
        }

        return lines;
    }

    /// <summary>The line for <paramref name="e"/> given what the thread already holds (<paramref name="state"/>, updated); null: no line.</summary>
    public static string? Next(ThreadLineState state, TimelineEvent e)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(e);
        if (e.Sequence <= state.LastSequence)
        {
            // Already decided: while catching up from the store (its line is handed out once, when its own
            // notification arrives, even after a later one), or a notification delivered twice (null the second time).
            return state.Pending.Remove(e.Sequence, out var decided) ? decided : null;
        }

        state.LastSequence = e.Sequence;
        var typed = IncidentEvents.Read(e);
        string? text;
        switch (typed)
        {
            case StepFinishedEvent { StepId: VerdictStepId }:
                // The runbook's last step restates the verdict; the verdict event's line says it once.
                text = null;
                break;
            case ExecutionProgressEvent { Path: "console" }:
                // A fix typed over the console (no SSH port gave a session) is worth a line: it is why the fix could
                // run while the switch had no route back, and where to look when it did not.
                text = e.Summary;
                break;
            case StepStartedEvent or ExecutionProgressEvent:
                // The card shows what is running; the thread gets the outcome.
                text = null;
                break;
            case RediagnosisStartedEvent r:
                state.RunReason = r.Reason;
                state.RunAfter = r.RequestId is { } rid && state.RequestTitles.TryGetValue(rid, out var fixTitle) ? fixTitle : null;
                text = null;
                break;
            case VerdictEvent v:
                state.Verdicts++;
                LearnTitles(v, state);
                text = VerdictLine(v, state, state.Verdicts);
                break;
            case FixOfferedEvent o:
                state.PlanTitles[o.Id] = o.Title;
                text = e.Summary;
                break;
            case FixRequestedEvent q:
                state.RequestTitles[q.RequestId] = state.PlanTitles.GetValueOrDefault(q.PlanId) ?? q.PlanId;
                text = e.Summary;
                break;
            case ResolutionEvent { Outcome: ResolutionEvent.StillOpen } still:
                text = (state.RunAfter is { } after ? $"Still open after {after}: " : "Still open: ") + Causes(still.RemainingCauses, state);
                break;
            case RecoveryEvent { Resumed: false } when state.Posted.Any(p => p.Contains(Core(e.Summary), StringComparison.Ordinal)):
                // The executor's outcome line already said it ("Done: sw-access-12 recovered: …").
                text = null;
                break;
            default:
                text = e.Summary;
                break;
        }

        if (text is null)
        {
            return null;
        }

        text = WithTitles(text, state);
        var key = Core(text);
        if (key.Length == 0 || !state.Posted.Add(key))
        {
            return null;
        }

        return text;
    }

    /// <summary>One line per run: the first run's "Verdict", later runs say which check they were.</summary>
    private static string VerdictLine(VerdictEvent v, ThreadLineState state, int run)
    {
        var fix = state.RunAfter;
        var label = state.RunReason switch
        {
            RediagnosisStartedEvent.AfterFix => fix is null ? "Verdict after the fix" : $"Verdict after {fix}",
            RediagnosisStartedEvent.Recheck => fix is null ? "Re-check before the fix" : $"Re-check before {fix}",
            _ when run > 1 => string.Create(System.Globalization.CultureInfo.InvariantCulture, $"Verdict of run {run}"),
            _ => "Verdict",
        };
        if (v.RootCauses.Count == 0)
        {
            return label + ": no root cause found";
        }

        return v.Healthy
            ? label + ": healthy"
            : $"{label}: {string.Join(" + ", v.RootCauses.Select(c => string.IsNullOrWhiteSpace(c.Title) ? Title(c.Code, state) : c.Title))}";
    }

    private static string Causes(IReadOnlyList<string> codes, ThreadLineState state) => codes.Count == 0 ? "no root cause named" : string.Join(" + ", codes.Select(c => Title(c, state)));

    // The thread's own verdicts name their causes (a verdict stores each cause's title as the runbook gave it), so the
    // thread needs no runbook catalogue; a code it never saw named shows as the code.
    private static string Title(string code, ThreadLineState state) => state.CauseTitles.GetValueOrDefault(code) ?? code;

    private static void LearnTitles(VerdictEvent v, ThreadLineState state)
    {
        foreach (var c in v.RootCauses.Where(c => !string.IsNullOrWhiteSpace(c.Title)))
        {
            state.CauseTitles[c.Code] = c.Title;
        }
    }

    /// <summary>Plan ids (<c>return-route-missing.default-route</c>) are for buttons and the record; people read the fix's title.</summary>
    private static string WithTitles(string text, ThreadLineState state)
    {
        foreach (var (id, title) in state.PlanTitles)
        {
            if (text.Contains(id, StringComparison.Ordinal))
            {
                text = text.Replace(id, title, StringComparison.Ordinal);
            }
        }

        return text;
    }

    /// <summary>What a line says, without the outcome prefix an execution line adds to the same sentence.</summary>
    private static string Core(string text)
    {
        var t = text.Trim();
        foreach (var prefix in (string[])["Done: ", "Failed: "])
        {
            if (t.StartsWith(prefix, StringComparison.Ordinal))
            {
                return t[prefix.Length..].Trim();
            }
        }

        return t;
    }
}

/// <summary>What an incident's thread already holds, so the next event's line can be decided (see <see cref="ThreadLines"/>).</summary>
public sealed class ThreadLineState
{
    public long LastSequence { get; internal set; }

    /// <summary>Why the current run runs (<see cref="RediagnosisStartedEvent.Reason"/>); null: the first diagnosis.</summary>
    public string? RunReason { get; internal set; }

    /// <summary>The title of the fix the current run follows (after it ran, or before it runs); null: the first diagnosis.</summary>
    public string? RunAfter { get; internal set; }

    /// <summary>Verdicts so far (runs that reached one).</summary>
    public int Verdicts { get; internal set; }

    internal Dictionary<string, string> PlanTitles { get; } = new(StringComparer.Ordinal);

    internal Dictionary<string, string> CauseTitles { get; } = new(StringComparer.Ordinal);

    internal Dictionary<string, string> RequestTitles { get; } = new(StringComparer.Ordinal);

    internal HashSet<string> Posted { get; } = new(StringComparer.Ordinal);

    /// <summary>Lines decided while catching up from the store, not yet handed to their own notification.</summary>
    internal Dictionary<long, string> Pending { get; } = [];
}

/// <summary>
/// Decides the thread lines of live notifications, one incident at a time, from the same rules as
/// <see cref="ThreadLines.Compose"/>. A replica that did not see an incident's earlier events (another replica ran
/// them, or it restarted) reads them from the store first, so every replica decides the same lines.
/// </summary>
public sealed class ThreadLineComposer(IIncidentStore store)
{
    private const int MaxIncidents = 2_000;
    private readonly ConcurrentDictionary<IncidentId, (SemaphoreSlim Gate, ThreadLineState State)> _incidents = new();

    public async Task<string?> LineForAsync(TimelineEvent e, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(e);
        if (_incidents.Count > MaxIncidents)
        {
            // Memory is only a cache: an incident seen again is rebuilt from its timeline.
            _incidents.Clear();
        }

        var (gate, state) = _incidents.GetOrAdd(e.IncidentId, _ => (new SemaphoreSlim(1, 1), new ThreadLineState()));
        await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (state.LastSequence < e.Sequence - 1)
            {
                foreach (var earlier in await store.TimelineAsync(e.IncidentId, state.LastSequence, cancellationToken).ConfigureAwait(false))
                {
                    if (earlier.Sequence < e.Sequence && ThreadLines.Next(state, earlier) is { } line)
                    {
                        state.Pending[earlier.Sequence] = line;
                    }
                }
            }

            return ThreadLines.Next(state, e);
        }
        finally
        {
            gate.Release();
        }
    }
}
