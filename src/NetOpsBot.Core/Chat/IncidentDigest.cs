using System.Globalization;
using NetOpsBot.Core.Diagnosis;
using NetOpsBot.Core.Incidents;

namespace NetOpsBot.Core.Chat;

/// <summary>
/// The chat answers about incidents that already exist: <c>/sshdiag incident</c> (headline and thread summary),
/// <c>/sshdiag history</c> (one line per incident: causes, fixes, approvers), and the line someone gets when they
/// join an open incident instead of opening a duplicate. Built from <see cref="IncidentStory"/>, never from raw ids.
/// </summary>
public static class IncidentDigest
{
    /// <summary>Lines of the thread summary in an incident answer (the card holds everything).</summary>
    public const int MaxSummaryLines = 12;

    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    /// <summary>States in which a new <c>/sshdiag &lt;device&gt;</c> joins the incident instead of opening another.</summary>
    public static bool IsOpen(IncidentState state) =>
        state is IncidentState.Open or IncidentState.Running or IncidentState.Diagnosed or IncidentState.AwaitingApproval or IncidentState.Remediating;

    /// <summary>"sw-access-12 · Diagnosed · SSH listener stuck on another port + No route back… · opened by alice 3 min ago".</summary>
    public static string Headline(IncidentStory story, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(story);
        var i = story.Incident;
        var causes = Causes(story);
        return $"{i.Id.Value} · {i.Device.Value} · {State(story)}{(causes.Length == 0 ? string.Empty : " · " + causes)} · opened by {Opener(story)} {Age(now - i.CreatedAt)} ago ({i.CreatedAt.ToUniversalTime().ToString("yyyy-MM-dd HH:mm", Inv)} UTC)";
    }

    /// <summary>The answer to <c>/sshdiag incident &lt;id&gt;</c>: the headline, then the last thread lines with their times.</summary>
    public static string Show(IncidentStory story, IReadOnlyList<TimelineEvent> timeline, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(story);
        var lines = ThreadLines.Compose(timeline);
        var text = new System.Text.StringBuilder(Headline(story, now));
        text.Append('\n').Append(Inv, $"Timeline ({lines.Count} line{(lines.Count == 1 ? string.Empty : "s")}{(lines.Count > MaxSummaryLines ? $", last {MaxSummaryLines}" : string.Empty)}):");
        foreach (var (e, line) in lines.TakeLast(MaxSummaryLines))
        {
            text.Append('\n').Append(e.At.ToUniversalTime().ToString("HH:mm:ss", Inv)).Append(' ').Append(line);
        }

        return text.ToString();
    }

    /// <summary>One line of <c>/sshdiag history</c>: when, state, root causes, fixes with outcome and approvers, time to resolve.</summary>
    public static string HistoryLine(IncidentStory story, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(story);
        var i = story.Incident;
        var parts = new List<string>
        {
            $"{i.CreatedAt.ToUniversalTime().ToString("yyyy-MM-dd HH:mm", Inv)} UTC ({Age(now - i.CreatedAt)} ago)",
            i.Id.Value,
            State(story),
            "causes: " + (Causes(story) is { Length: > 0 } c ? c : "none found"),
        };
        var fixes = story.Fixes.Where(f => f.Outcome is not (FixOutcome.Requested or FixOutcome.Cancelled or FixOutcome.Expired)).ToList();
        parts.Add("fixes: " + (fixes.Count == 0
            ? "none"
            : string.Join("; ", fixes.Select(f => $"{f.Title} ({Outcome(f.Outcome)}{(f.Approvals.Count == 0 ? string.Empty : ", approved by " + string.Join(" and ", f.Approvals.Select(a => a.Approver)))})"))));
        if (story.TimeToResolve is { } took)
        {
            parts.Add("resolved in " + IncidentStory.Duration(took));
        }

        return string.Join(" · ", parts);
    }

    /// <summary>The answer when someone asks for a device whose incident is open: no second incident, a pointer to the first.</summary>
    /// <param name="command">The runbook's command word ("/sshdiag") that shows the incident when there is no <paramref name="link"/>.</param>
    public static string Joined(Incident incident, DateTimeOffset now, string? link, string command)
    {
        ArgumentNullException.ThrowIfNull(incident);
        var where = link is null ? $"its card is in this conversation (`{command} incident {incident.Id.Value}` shows it)" : link;
        return $"Already handled: {incident.Device.Value} has an open incident {incident.Id.Value} ({incident.State}, opened by {incident.Requester.DisplayName} {Age(now - incident.CreatedAt)} ago). You joined it: {where}";
    }

    /// <summary>"42 s", "3 min", "5 h", "2 d": an age, not a stopwatch.</summary>
    public static string Age(TimeSpan t)
    {
        if (t < TimeSpan.FromMinutes(1))
        {
            return string.Create(Inv, $"{Math.Max(0, (int)t.TotalSeconds)} s");
        }

        if (t < TimeSpan.FromHours(1))
        {
            return string.Create(Inv, $"{(int)t.TotalMinutes} min");
        }

        return t < TimeSpan.FromDays(2) ? string.Create(Inv, $"{(int)t.TotalHours} h") : string.Create(Inv, $"{(int)t.TotalDays} d");
    }

    private static string State(IncidentStory story) => story.Incident.State switch
    {
        IncidentState.Resolved when story.NoFaultFound => "Resolved (no fault found)",
        var s => s.ToString(),
    };

    private static string Opener(IncidentStory story) => story.Requested?.Alert?.OpenedBy ?? story.Incident.Requester.DisplayName;

    private static string Causes(IncidentStory story)
    {
        var titles = story.RootCauses.Select(c => c.Cause.Title).ToList();
        if (titles.Count == 0)
        {
            titles = [.. story.Incident.RootCauseCodes.Where(c => !Diagnosis.RootCause.IsHealthyCode(c)).Select(c => RootCauseCatalogue.Title(story.Runbook, c))];
        }

        return string.Join(" + ", titles);
    }

    private static string Outcome(FixOutcome outcome) => outcome switch
    {
        FixOutcome.Effective => "fixed it",
        FixOutcome.Applied => "applied",
        FixOutcome.NotEffective => "applied, not effective",
        FixOutcome.NotRun => "not run",
        FixOutcome.Failed => "failed",
        FixOutcome.Interrupted => "interrupted",
        FixOutcome.Rejected => "rejected",
        FixOutcome.Running => "running",
        FixOutcome.Approved => "approved, not run yet",
        _ => outcome.ToString(),
    };
}
