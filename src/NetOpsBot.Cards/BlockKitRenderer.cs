using System.Text;
using System.Text.Json.Nodes;
using NetOpsBot.Core.Remediation;

namespace NetOpsBot.Cards;

/// <summary>
/// Renders a <see cref="DiagnosisCardView"/> as a Slack message (<c>{"text", "blocks"}</c>) within
/// <see cref="BlockKitLimits"/>: evidence shrinks first, then steps are folded into a pointer, never an error.
/// </summary>
public static class BlockKitRenderer
{
    private const int MaxOffers = 10;
    private const int MaxVerdicts = 5;

    public static string RenderJson(DiagnosisCardView view) => Render(view).ToJsonString(AdaptiveCardRenderer.Json);

    public static JsonObject Render(DiagnosisCardView view)
    {
        ArgumentNullException.ThrowIfNull(view);
        JsonObject message = null!;
        foreach (var evidence in AdaptiveCardRenderer.Budgets(1_500))
        {
            message = Build(view, evidence, view.Steps.Count);
            if (BlockKitLimits.Validate(message.ToJsonString()).Count == 0)
            {
                return message;
            }
        }

        for (var steps = view.Steps.Count - 1; steps >= 0; steps--)
        {
            message = Build(view, 0, steps);
            if (BlockKitLimits.Validate(message.ToJsonString()).Count == 0)
            {
                return message;
            }
        }

        return message;
    }

    private static JsonObject Build(DiagnosisCardView view, int evidenceBudget, int stepsShown)
    {
        var blocks = new JsonArray
        {
            new JsonObject
            {
                ["type"] = "header",
                ["text"] = Plain(CardText.Cut($"SSH diagnosis · {CardText.Clean(view.Device)}", BlockKitLimits.MaxHeaderText)),
            },
            new JsonObject
            {
                ["type"] = "section",
                ["fields"] = new JsonArray
                {
                    Field("Incident", view.IncidentId),
                    Field("Device", view.Device),
                    Field(view.Origin is null ? "Requested by" : "Opened by", view.Requester),
                    Field("Status", CardText.Label(view.Status)),
                    Field("Started", CardText.Time(view.StartedAt)),
                    Field("Elapsed", CardText.Duration(view.Elapsed)),
                },
            },
        };

        if (view.Headline is not null)
        {
            blocks.Insert(1, new JsonObject { ["type"] = "section", ["text"] = Mrkdwn(":white_check_mark: *" + CardText.Cut(CardText.Slack(view.Headline), 1_000) + "*") });
        }

        if (view.Note is not null)
        {
            blocks.Add(Context(":warning: " + CardText.Cut(CardText.Slack(view.Note), 1_000)));
        }

        if (view.Origin is { } origin)
        {
            var link = origin.Link is null ? string.Empty : $" · <{origin.Link.AbsoluteUri.Replace("|", "%7C", StringComparison.Ordinal).Replace(">", "%3E", StringComparison.Ordinal)}|alert source>";
            blocks.Add(Context(":bell: " + CardText.Cut(CardText.Slack($"Opened by {origin.OpenedBy}" + (origin.Labels.Length > 0 ? $" · {origin.Labels}" : string.Empty)), 1_000) + link));
        }

        // The earlier runs' verdicts in one line; their evidence and outputs are behind the incident link.
        if (view.EarlierRuns.Count > 0)
        {
            var runs = string.Join(" · ", view.EarlierRuns.Select(r => $"{r.Number}. {CardText.Slack(r.Title)}: {string.Join(" + ", r.Verdicts.Select(v => CardText.Slack(v.Code)))}"));
            blocks.Add(Context(CardText.Cut("Earlier runs: " + runs, 2_000) + Pointer(view.IncidentUrl)));
        }

        if (view.RunTitle is not null)
        {
            blocks.Add(Context("*" + CardText.Cut(CardText.Slack((view.Status == CardRunStatus.Resolved ? "Final check: " : "Run: ") + view.RunTitle), 300) + "*"));
        }

        // Fixed room for the verdict, offers and footer; the steps fit in what is left of the 50 blocks.
        var verdicts = view.Verdicts.Take(MaxVerdicts).ToList();
        var offers = view.Offers.Take(MaxOffers).ToList();
        var reserved = blocks.Count + verdicts.Count + 1 + (offers.Count * 2) + 1 + 1 + 1;
        var steps = Math.Min(stepsShown, BlockKitLimits.MaxBlocks - reserved);
        foreach (var step in view.Steps.Take(steps))
        {
            blocks.Add(Step(view, step, evidenceBudget));
        }

        if (steps < view.Steps.Count)
        {
            blocks.Add(Context($"… {view.Steps.Count - steps} more steps not shown (message size limit){Pointer(view.IncidentUrl)}"));
        }

        if (verdicts.Count > 0)
        {
            blocks.Add(new JsonObject { ["type"] = "divider" });
            foreach (var v in verdicts)
            {
                blocks.Add(Verdict(view, v, evidenceBudget));
            }
        }

        foreach (var o in offers)
        {
            blocks.Add(Offer(o));
            if (o.Buttons.Count > 0)
            {
                blocks.Add(new JsonObject
                {
                    ["type"] = "actions",
                    ["block_id"] = Id("offer", o.PlanId),
                    ["elements"] = new JsonArray([.. o.Buttons.Take(BlockKitLimits.MaxActionsElements).Select(Button)]),
                });
            }
        }

        if (view.Offers.Count > offers.Count || view.Verdicts.Count > verdicts.Count)
        {
            blocks.Add(Context($"… more root causes or remediations not shown{Pointer(view.IncidentUrl)}"));
        }

        if (view.IncidentUrl is not null)
        {
            blocks.Add(Context($"{CardText.Slack(view.IncidentId)} · <{Url(view.IncidentUrl)}|incident timeline and full outputs>"));
        }

        return new JsonObject
        {
            // Notification and accessibility fallback; blocks are what the channel shows.
            ["text"] = CardText.Cut($"SSH diagnosis of {CardText.Slack(view.Device)} ({CardText.Slack(view.IncidentId)}): {CardText.Label(view.Status)}", 1_000),
            ["blocks"] = blocks,
        };
    }

    private static JsonObject Step(DiagnosisCardView view, StepView step, int evidenceBudget)
    {
        var sb = new StringBuilder();
        sb.Append(CardText.Icon(step.Status)).Append(" *").Append(CardText.Cut(CardText.Slack(step.Title), 200)).Append("* · ").Append(CardText.Label(step.Status));
        if (step.Duration is { } d)
        {
            sb.Append(" · ").Append(CardText.Duration(d));
        }

        if (!string.IsNullOrEmpty(step.Finding))
        {
            sb.Append('\n').Append(CardText.Cut(CardText.Slack(step.Finding), 500));
        }

        var code = new List<string>();
        code.AddRange(step.Commands.Take(10).Select(c => "> " + CardText.Cut(c, 200)));
        var omitted = 0;
        if (step.Evidence.Count > 0)
        {
            // What is left of the section's 3,000 characters after the text above, the fences and the pointer.
            var room = Math.Min(evidenceBudget, BlockKitLimits.MaxSectionText - sb.Length - code.Sum(c => c.Length + 1) - 400);
            var (text, cut) = CardText.Lines(step.Evidence, Math.Max(0, room));
            omitted = cut;
            if (text.Length > 0)
            {
                code.Add(text);
            }
        }

        if (code.Count > 0)
        {
            sb.Append("\n```").Append(CardText.SlackCode(string.Join('\n', code))).Append("```");
        }

        if (omitted > 0)
        {
            sb.Append("\n_… truncated (").Append(omitted.ToString("N0", System.Globalization.CultureInfo.InvariantCulture)).Append(" more characters)")
                .Append(Pointer(step.FullOutputUrl ?? view.IncidentUrl)).Append('_');
        }

        var section = new JsonObject { ["type"] = "section", ["text"] = Mrkdwn(CardText.Cut(sb.ToString(), BlockKitLimits.MaxSectionText)) };
        if (step.HasFullOutput)
        {
            var button = new JsonObject
            {
                ["type"] = "button",
                ["text"] = Plain("Full output"),
                ["action_id"] = Id("show-output", step.Id),
            };
            if (step.FullOutputUrl is not null)
            {
                button["url"] = step.FullOutputUrl.AbsoluteUri;
            }
            else
            {
                button["value"] = new CardAction(CardActionVerb.ShowOutput, view.IncidentId, null, "output")
                {
                    StepId = step.Id,
                    Run = view.Run > 1 ? view.Run.ToString(System.Globalization.CultureInfo.InvariantCulture) : null,
                }.ToCompactJson();
            }

            section["accessory"] = button;
        }

        return section;
    }

    private static JsonObject Verdict(DiagnosisCardView view, VerdictView v, int evidenceBudget)
    {
        var sb = new StringBuilder();
        sb.Append(v.Code == "healthy" ? ":large_green_circle: " : ":red_circle: ").Append("*Root cause: ").Append(CardText.Slack(v.Title)).Append('*')
            .Append("\n`").Append(CardText.SlackCode(v.Code)).Append("` · confidence ").Append(CardText.Slack(v.Confidence))
            .Append(" · rule ").Append(CardText.Slack(v.RuleId))
            .Append('\n').Append(CardText.Cut(CardText.Slack(v.Explanation), 1_200));
        if (v.Evidence.Count > 0)
        {
            var room = Math.Min(evidenceBudget, BlockKitLimits.MaxSectionText - sb.Length - 400);
            var (text, omitted) = CardText.Lines(v.Evidence, Math.Max(0, room));
            if (text.Length > 0)
            {
                sb.Append("\n```").Append(CardText.SlackCode(text)).Append("```");
            }

            if (omitted > 0)
            {
                sb.Append("\n_… truncated (").Append(omitted.ToString("N0", System.Globalization.CultureInfo.InvariantCulture)).Append(" more characters)").Append(Pointer(view.IncidentUrl)).Append('_');
            }
        }

        return new JsonObject { ["type"] = "section", ["text"] = Mrkdwn(CardText.Cut(sb.ToString(), BlockKitLimits.MaxSectionText)) };
    }

    private static JsonObject Offer(RemediationOfferView o)
    {
        var sb = new StringBuilder();
        sb.Append(":wrench: *").Append(CardText.Cut(CardText.Slack(o.Title), 300)).Append("* · ").Append(o.Kind.ToString().ToLowerInvariant())
            .Append(" · ").Append(CardText.Label(o.State));
        sb.Append("\nApprovals: ").Append(o.ApproversRequired == 0
            ? "none needed"
            : $"{o.Approvals.Count} of {o.ApproversRequired}" + (o.Approvals.Count > 0
                ? " (" + string.Join(", ", o.Approvals.Select(a => $"{CardText.Slack(a.User)} at {CardText.Time(a.At)}")) + ")"
                : string.Empty));
        if (o.RequestedBy is not null)
        {
            sb.Append(" · requested by ").Append(CardText.Slack(o.RequestedBy));
        }

        if (CardViewer.Expiry(o) is { } expires)
        {
            sb.Append(" · expires ").Append(expires);
        }

        if (o.Commands.Count > 0)
        {
            sb.Append("\n```").Append(CardText.SlackCode(CardText.Cut(string.Join('\n', o.Commands), 1_200))).Append("```");
        }

        foreach (var note in o.Notes.Take(5))
        {
            sb.Append("\n_").Append(CardText.Cut(CardText.Slack(note), 300)).Append('_');
        }

        if (o.StateDetail is not null)
        {
            sb.Append('\n').Append(CardText.Cut(CardText.Slack(o.StateDetail), 500));
        }

        return new JsonObject { ["type"] = "section", ["text"] = Mrkdwn(CardText.Cut(sb.ToString(), BlockKitLimits.MaxSectionText)) };
    }

    private static JsonObject Button(CardButton b)
    {
        var button = new JsonObject
        {
            ["type"] = "button",
            ["text"] = Plain(CardText.Cut(b.Title, BlockKitLimits.MaxButtonText)),
            ["action_id"] = Id(b.Action.VerbName, b.Action.PlanId ?? string.Empty),
            ["value"] = b.Action.ToCompactJson(),
        };
        if (b.Style != ButtonStyle.Default)
        {
            button["style"] = b.Style == ButtonStyle.Danger ? "danger" : "primary";
        }

        if (b.ConfirmText is not null)
        {
            button["confirm"] = new JsonObject
            {
                ["title"] = Plain(CardText.Cut(b.Title + "?", 100)),
                ["text"] = Plain(CardText.Cut(b.ConfirmText, 300)),
                ["confirm"] = Plain(CardText.Cut(b.Title, 30)),
                ["deny"] = Plain("Cancel"),
                ["style"] = "danger",
            };
        }

        return button;
    }

    // Ids must be unique in a message: cutting two long plan ids to 255 could make them equal, a hash cannot.
    private static string Id(string prefix, string id)
    {
        var full = $"{prefix}:{id}";
        return full.Length <= BlockKitLimits.MaxActionId
            ? full
            : $"{prefix}:#{Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(Encoding.UTF8.GetBytes(id)))}";
    }

    private static string Pointer(Uri? link) => link is null ? ", full output: Full output button or /sshdiag incident" : $", full output: <{Url(link)}|full output>";

    // A '|' or '>' in a URL would end Slack's <url|text> early.
    private static string Url(Uri link) => link.AbsoluteUri.Replace("|", "%7C", StringComparison.Ordinal).Replace(">", "%3E", StringComparison.Ordinal);

    private static JsonObject Field(string label, string value) => Mrkdwn(CardText.Cut($"*{label}*\n{CardText.Slack(value)}", BlockKitLimits.MaxFieldText));

    private static JsonObject Context(string mrkdwn) => new() { ["type"] = "context", ["elements"] = new JsonArray { Mrkdwn(CardText.Cut(mrkdwn, 2_000)) } };

    private static JsonObject Plain(string text) => new() { ["type"] = "plain_text", ["text"] = text.Length == 0 ? " " : text, ["emoji"] = true };

    private static JsonObject Mrkdwn(string text) => new() { ["type"] = "mrkdwn", ["text"] = text };
}
