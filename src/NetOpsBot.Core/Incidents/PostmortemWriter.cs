using System.Globalization;
using System.Text;
using System.Text.Json;
using NetOpsBot.Core.Security;

namespace NetOpsBot.Core.Incidents;

/// <summary>
/// Writes an incident as a postmortem in the shape of the reference case study: problem, diagnostic
/// steps and findings, root cause, resolution, commands used, then the full timeline.
/// </summary>
public static class PostmortemWriter
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static string Write(Incident incident, IReadOnlyList<TimelineEvent> timeline)
    {
        ArgumentNullException.ThrowIfNull(incident);
        ArgumentNullException.ThrowIfNull(timeline);
        var steps = timeline.Where(e => e.Kind == TimelineEventKind.StepFinished && e.Data is not null)
            .Select(e => JsonSerializer.Deserialize<StepData>(e.Data!, Json)).OfType<StepData>().ToList();
        var verdict = timeline.LastOrDefault(e => e.Kind == TimelineEventKind.Verdict && e.Data is not null) is { } v
            ? JsonSerializer.Deserialize<VerdictData>(v.Data!, Json)
            : null;
        var sb = new StringBuilder();
        var inv = CultureInfo.InvariantCulture;
        sb.Append(inv, $"# Incident {incident.Id.Value}: SSH to {incident.Device.Value}\n\n");
        sb.Append(inv, $"State: {incident.State}. Requested by {incident.Requester.DisplayName} on {incident.CreatedAt:yyyy-MM-dd HH:mm:ss} UTC.\n\n");

        sb.Append("## 1. Problem Description\n\n");
        sb.Append(inv, $"{incident.Device.Value} was reported unreachable over SSH; `/sshdiag {incident.Device.Value}` ran the `ssh-unreachable` runbook through the jump host.\n\n");

        sb.Append("## 2. Diagnostic Steps & Findings\n\n");
        if (steps.Count == 0)
        {
            sb.Append("No step finished.\n\n");
        }

        var n = 1;
        foreach (var s in steps)
        {
            sb.Append(inv, $"### Step {n++}: {s.Title} ({s.Status})\n\n");
            if (s.Commands.Count > 0)
            {
                sb.Append("- **Commands**: ").Append(string.Join(", ", s.Commands.Select(c => $"`{c}`"))).Append('\n');
            }

            sb.Append(inv, $"- **Finding**: {s.Finding}\n");
            foreach (var line in s.Evidence)
            {
                sb.Append(inv, $"  - `{line.Replace('`', '\'')}`\n");
            }

            sb.Append('\n');
        }

        sb.Append("## 3. Root Cause & Resolution\n\n");
        if (verdict is null)
        {
            sb.Append("No verdict was reached.\n\n");
        }
        else
        {
            foreach (var c in verdict.RootCauses)
            {
                sb.Append(inv, $"### Root Cause: {c.Title} (`{c.Code}`)\n\n{c.Explanation}\n\n");
                foreach (var e in c.Evidence)
                {
                    sb.Append(inv, $"- {e}\n");
                }

                sb.Append('\n');
            }

            sb.Append("### Resolution\n\n");
            var actions = timeline.Where(e => e.Kind is TimelineEventKind.ApprovalGranted or TimelineEventKind.ActionStarted or TimelineEventKind.ActionFinished or TimelineEventKind.Recovery).ToList();
            if (actions.Count == 0)
            {
                sb.Append("Offered, not yet carried out:\n\n");
                foreach (var p in verdict.Remediations)
                {
                    var approval = p.RequiresApproval ? $" (needs {p.ApproversRequired} approver(s))" : string.Empty;
                    sb.Append(inv, $"- {p.Title}{approval}\n");
                }
            }
            else
            {
                foreach (var a in actions)
                {
                    sb.Append(inv, $"- {a.At:HH:mm:ss} {a.Actor}: {a.Summary}\n");
                }
            }

            sb.Append('\n');
        }

        sb.Append("## 4. Commands Used\n\n");
        foreach (var c in steps.SelectMany(s => s.Commands).Distinct(StringComparer.Ordinal))
        {
            sb.Append(inv, $"- `{c}`\n");
        }

        foreach (var c in verdict?.Remediations.SelectMany(p => p.Commands).Distinct(StringComparer.Ordinal) ?? [])
        {
            sb.Append(inv, $"- `{c}` (remediation)\n");
        }

        sb.Append("\n## Timeline\n\n");
        foreach (var e in timeline)
        {
            sb.Append(inv, $"{e.Sequence,4}. {e.At:yyyy-MM-dd HH:mm:ss.fff} [{e.Kind}] {e.Actor}: {e.Summary}\n");
        }

        // Rows stored before redaction existed are exported redacted too: an export leaves the bot's control.
        return DeviceOutputRedactor.Redact(sb.ToString());
    }
}
