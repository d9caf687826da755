using System.Globalization;
using System.Text;
using NetOpsBot.Core.Diagnosis;
using NetOpsBot.Core.Runbooks;
using NetOpsBot.Core.Security;

namespace NetOpsBot.Core.Incidents;

/// <summary>
/// Writes an incident as a postmortem in the shape of the reference case study, from its <see cref="IncidentStory"/>:
/// problem (the symptoms the initial run saw), diagnostic steps and findings per run, the root causes the incident was
/// opened for and fixed (not the last healthy re-diagnosis), resolution (each fix: commands, requester, approvers,
/// when, read-back), recovery evidence, timings, key takeaways, commands used, then the full timeline.
/// </summary>
public static class PostmortemWriter
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    /// <param name="runbook">The incident's runbook (its command word, title, symptom and root-cause catalogue); null names only its id and codes.</param>
    public static string Write(Incident incident, IReadOnlyList<TimelineEvent> timeline, RunbookDefinition? runbook)
    {
        ArgumentNullException.ThrowIfNull(incident);
        ArgumentNullException.ThrowIfNull(timeline);
        return Write(IncidentStory.Build(incident, timeline, runbook));
    }

    /// <summary>The postmortem of <paramref name="story"/>, in the words of its runbook (<see cref="IncidentStory.Runbook"/>).</summary>
    public static string Write(IncidentStory story)
    {
        ArgumentNullException.ThrowIfNull(story);
        var runbook = story.Runbook;
        var incident = story.Incident;
        var sb = new StringBuilder();
        sb.Append(Inv, $"# Incident {incident.Id.Value}: {runbook?.Title ?? "Diagnosis"} of {incident.Device.Value}\n\n");
        sb.Append(Inv, $"State: {incident.State}. Requested by {story.Requested?.Requester ?? incident.Requester.DisplayName}");
        sb.Append(story.Requested?.OpenedBy is { } origin ? $" (opened by {origin})" : string.Empty);
        sb.Append(Inv, $" on {incident.CreatedAt:yyyy-MM-dd HH:mm:ss} UTC.\n\n");
        if (story.Headline() is { } headline)
        {
            sb.Append("**").Append(headline).Append("**\n\n");
        }

        Problem(sb, story, runbook);
        Diagnosis(sb, story);
        RootCauses(sb, story);
        Resolution(sb, story);
        Timings(sb, story);
        Takeaways(sb, story);
        Commands(sb, story);

        sb.Append("\n## Timeline\n\n");
        foreach (var e in story.Events)
        {
            sb.Append(Inv, $"{e.Row.Sequence,4}. {e.Row.At:yyyy-MM-dd HH:mm:ss.fff} [{e.Row.Kind}] {e.Row.Actor}: {e.Row.Summary}\n");
        }

        // Rows stored before redaction existed are exported redacted too: an export leaves the bot's control.
        return DeviceOutputRedactor.Redact(sb.ToString());
    }

    private static void Problem(StringBuilder sb, IncidentStory story, RunbookDefinition? runbook)
    {
        var device = story.Incident.Device.Value;
        sb.Append("## 1. Problem Description\n\n");
        if (runbook is null)
        {
            sb.Append(Inv, $"The `{story.Incident.RunbookId ?? "diagnosis"}` runbook ran on {device} through the jump host.");
        }
        else
        {
            sb.Append(Inv, $"{device} {runbook.Symptom}; `{runbook.Command} {device}` ran the `{runbook.Id}` runbook through the jump host.");
        }

        var initial = story.InitialRun;
        if (initial is null || initial.Steps.Count == 0)
        {
            sb.Append(" No step finished.\n\n");
            return;
        }

        sb.Append(" Symptoms observed by the initial diagnosis:\n\n");

        // Faults first: they are the problem; the healthy layers below them say where it is not.
        foreach (var s in Real(initial.Steps).OrderBy(s => s.Result.Status is "Ok" or "Skipped" ? 1 : 0))
        {
            sb.Append(Inv, $"- **{s.Result.Title}** ({s.Result.Status}): {s.Result.Finding}\n");
        }

        sb.Append('\n');
    }

    private static void Diagnosis(StringBuilder sb, IncidentStory story)
    {
        sb.Append("## 2. Diagnostic Steps & Findings\n\n");
        if (story.Runs.Count == 0)
        {
            sb.Append("No diagnosis ran.\n\n");
            return;
        }

        foreach (var run in story.Runs)
        {
            sb.Append(Inv, $"### Run {run.Number}: {run.Title(story.Fixes)} ({run.StartedAt:HH:mm:ss} UTC)\n\n");
            if (run.Number == 1)
            {
                // The initial run in full, like the reference case: command, observation, evidence.
                var n = 1;
                foreach (var s in Real(run.Steps))
                {
                    sb.Append(Inv, $"#### Step {n++}: {s.Result.Title} ({s.Result.Status})\n\n");
                    if (s.Result.Commands.Count > 0)
                    {
                        sb.Append("- **Commands**: ").Append(string.Join(", ", s.Result.Commands.Select(Code))).Append('\n');
                    }

                    sb.Append(Inv, $"- **Finding**: {s.Result.Finding}\n");
                    foreach (var line in s.Result.Evidence)
                    {
                        sb.Append(Inv, $"  - {Code(line)}\n");
                    }

                    sb.Append('\n');
                }
            }
            else
            {
                // Later runs in one line per step: what changed is what matters, the full output is in the timeline.
                foreach (var s in Real(run.Steps))
                {
                    sb.Append(Inv, $"- {s.Result.Title} ({s.Result.Status}): {s.Result.Finding}\n");
                }

                sb.Append('\n');
            }

            sb.Append("**Verdict**: ").Append(run.Verdict is { } v ? string.Join(" + ", v.RootCauses.Select(c => Code(c.Code))) : "none (the run did not finish)").Append("\n\n");
        }
    }

    private static void RootCauses(StringBuilder sb, IncidentStory story)
    {
        sb.Append("## 3. Root Cause(s)\n\n");
        var causes = story.RootCauses;
        if (causes.Count == 0)
        {
            if (story.Runs.Any(r => r.Healthy))
            {
                sb.Append("No fault found on the switch: SSH answers on its port and it has a route back to the management subnet. Check next:\n\n");
                foreach (var check in RootCauseCatalogue.NoFaultNextChecks(story.Runbook))
                {
                    sb.Append(Inv, $"- {check}\n");
                }

                sb.Append('\n');
            }
            else
            {
                sb.Append("No verdict was reached.\n\n");
            }

            return;
        }

        foreach (var c in causes)
        {
            sb.Append(Inv, $"### Root Cause: {c.Cause.Title} (`{c.Cause.Code}`)\n\n{c.Cause.Explanation}\n\n");
            sb.Append(Inv, $"Evidence (run {c.FirstRun}, rule `{c.Cause.RuleId}`, confidence {c.Cause.Confidence}):\n\n");
            foreach (var e in c.Cause.Evidence)
            {
                sb.Append(Inv, $"- {Code(e)}\n");
            }

            sb.Append('\n');
            sb.Append(c.Fixed
                ? "Fixed by " + string.Join(" and ", c.FixedBy.Select(f => $"{f.Name} ({f.RequestId})")) + ".\n\n"
                : "Not fixed by the bot.\n\n");
        }
    }

    private static void Resolution(StringBuilder sb, IncidentStory story)
    {
        sb.Append("## 4. Resolution\n\n");
        if (story.Fixes.Count == 0)
        {
            var offered = story.LatestVerdictRun?.Verdict?.Remediations ?? [];
            sb.Append(offered.Count == 0 ? "Nothing was fixed.\n\n" : "Offered, not carried out:\n\n");
            foreach (var p in offered)
            {
                var approval = p.RequiresApproval ? $" (needs {p.ApproversRequired} approver(s))" : string.Empty;
                sb.Append(Inv, $"- {p.Title}{approval}\n");
            }

            sb.Append('\n');
        }

        var n = 1;
        foreach (var f in story.Fixes)
        {
            sb.Append(Inv, $"### Fix {n++}: {f.Title} ({f.RequestId}): {Short(f.Outcome)}\n\n");
            sb.Append("- **Commands**: ").Append(string.Join(", ", f.Commands.Select(Code))).Append('\n');
            sb.Append(Inv, $"- **Requested by** {f.Requester} at {f.RequestedAt:HH:mm:ss} UTC\n");
            if (f.Approvals.Count > 0)
            {
                sb.Append("- **Approved by** ").Append(string.Join(", ", f.Approvals.Select(a => $"{a.Approver} at {a.At:HH:mm:ss}"))).Append(" UTC\n");
            }

            if (f.ExecutionStartedAt is { } started)
            {
                sb.Append(Inv, $"- **Run** at {started:HH:mm:ss} UTC");
                sb.Append(f.ExecutionFinishedAt is { } done ? $", finished at {done.ToString("HH:mm:ss", Inv)} UTC\n" : "\n");
            }

            if (f.Execution is { Aborted: false } x)
            {
                foreach (var c in x.Commands)
                {
                    sb.Append(Inv, $"  - {Code(c.Command)}{(c.ErrorLine is null ? string.Empty : " → " + c.ErrorLine)}\n");
                }

                if (!string.IsNullOrWhiteSpace(x.VerificationEvidence))
                {
                    var fence = "```";
                    sb.Append(Inv, $"- **Read-back** ({(x.Verified ? "verified" : "NOT verified")}):\n\n{fence}\n{x.VerificationEvidence.Replace(fence, "` ` `", StringComparison.Ordinal).TrimEnd()}\n{fence}\n\n");
                }
            }

            sb.Append(Inv, $"- **Result**: {f.ResultText}\n\n");
        }

        var recovery = story.Recoveries.Where(r => r.Event.Summary is not null).ToList();
        var final = story.Runs.LastOrDefault(r => r.Healthy && r.Number > 1);
        if (recovery.Count > 0 || final is not null)
        {
            sb.Append("### Recovery evidence\n\n");
            foreach (var (at, r) in recovery)
            {
                sb.Append(Inv, $"- {at:HH:mm:ss} {r.Summary}\n");
            }

            foreach (var s in Real(final?.Steps ?? []))
            {
                sb.Append(Inv, $"- {s.Result.Title}: {s.Result.Finding}");
                sb.Append(s.Result.Evidence.Count > 0 ? " (" + string.Join("; ", s.Result.Evidence.Take(2).Select(Code)) + ")\n" : "\n");
            }

            sb.Append('\n');
        }
    }

    private static void Timings(StringBuilder sb, IncidentStory story)
    {
        sb.Append("## 5. Timings\n\n");
        sb.Append("- Time to diagnose (request → first verdict): ").Append(Span(story.TimeToDiagnose)).Append('\n');
        var approved = story.Fixes.Count(f => f.ApprovedAt is not null);
        sb.Append(Inv, $"- Time to approve (waiting for approvals, {approved} fix(es)): ").Append(Span(story.TimeToApprove)).Append('\n');
        sb.Append("- Time to recover (first fix sent → healthy again): ").Append(Span(story.TimeToRecover)).Append('\n');
        sb.Append("- Time to resolve (request → closed): ").Append(Span(story.TimeToResolve)).Append("\n\n");
    }

    private static void Takeaways(StringBuilder sb, IncidentStory story)
    {
        var codes = story.RootCauses.Select(c => c.Cause.Code).ToList();
        if (codes.Count == 0 && story.NoFaultFound)
        {
            codes.Add(RootCause.HealthyCode);
        }

        var lessons = codes.SelectMany(c => RootCauseCatalogue.Takeaways(story.Runbook, c)).ToList();
        if (story.Fixes.Any(f => f.Outcome == FixOutcome.NotEffective))
        {
            lessons.Add("A change the device accepted is not a change that worked: read the state back (the fix marked \"applied, not effective\" above).");
        }

        if (lessons.Count == 0)
        {
            return;
        }

        sb.Append("## 6. Key Takeaways\n\n");
        var n = 1;
        foreach (var l in lessons)
        {
            sb.Append(Inv, $"{n++}. {l}\n");
        }

        sb.Append('\n');
    }

    private static void Commands(StringBuilder sb, IncidentStory story)
    {
        sb.Append("## 7. Commands Used\n\n");
        var diagnosis = story.Runs.SelectMany(r => r.Steps).SelectMany(s => s.Result.Commands).Distinct(StringComparer.Ordinal).ToList();
        if (diagnosis.Count > 0)
        {
            sb.Append("### Diagnosis\n\n");
            foreach (var c in diagnosis)
            {
                sb.Append(Inv, $"- {Code(c)}\n");
            }

            sb.Append('\n');
        }

        var sent = story.Fixes.Where(f => f.Execution is { Aborted: false }).ToList();
        if (sent.Count > 0)
        {
            sb.Append("### Fixes\n\n");
            foreach (var f in sent)
            {
                foreach (var c in f.Execution!.Commands.Select(c => c.Command).DefaultIfEmpty().Where(c => c is not null).Concat(f.Execution.Commands.Count == 0 ? f.Commands : []))
                {
                    sb.Append(Inv, $"- {Code(c!)} ({f.RequestId}, {f.Name}: {Short(f.Outcome)})\n");
                }
            }

            sb.Append('\n');
        }
    }

    // The runbook reports its verdict as a last step too; the postmortem prints verdicts on their own.
    private static IEnumerable<StoryStep> Real(IEnumerable<StoryStep> steps) => steps.Where(s => !string.Equals(s.Result.StepId, "verdict", StringComparison.Ordinal));

    private static string Short(FixOutcome o) => o switch
    {
        FixOutcome.Effective or FixOutcome.Applied => "applied and verified",
        FixOutcome.NotEffective => "applied, not effective",
        _ => o.ToString().ToLowerInvariant(),
    };

    private static string Span(TimeSpan? t) => t is { } v ? IncidentStory.Duration(v) : "n/a";

    private static string Code(string text) => "`" + text.Replace('`', '\'') + "`";
}
