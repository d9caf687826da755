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
        // Answer first, in the same order as the Adaptive Card: headline, the causes with their key evidence, the next
        // action; then the steps one line each (details in the thread) and the fixes in the order to apply them.
        var (headline, tone) = CardLayout.Headline(view);
        var primary = CardLayout.Primary(view);
        var blocks = new JsonArray
        {
            new JsonObject { ["type"] = "header", ["text"] = Plain(CardText.Cut(headline, BlockKitLimits.MaxHeaderText)) },
        };

        // A header cannot be coloured: the word after the device says the state, the dot only repeats it.
        var state = tone switch
        {
            CardTone.Good => ":large_green_circle: ",
            CardTone.Attention => ":red_circle: ",
            CardTone.Warning => ":warning: ",
            _ => ":hourglass_flowing_sand: ",
        };
        if (view.Status == CardRunStatus.Resolved)
        {
            blocks.Add(Section(state + "*" + CardText.Cut(CardText.Slack(headline), 2_000) + "*\n" + CardText.Slack($"{view.Device} · {view.IncidentId} · SSH works again; the steps and fixes are below")));
        }
        else if (view.Status == CardRunStatus.Running)
        {
            blocks.Add(Context(state + CardText.Slack(CardLayout.Progress(view))));
        }

        if (view.Note is not null)
        {
            blocks.Add(Context(":warning: " + CardText.Cut(CardText.Slack(view.Note), 1_000)));
        }

        // Resolved: the verdict shown is the final check's, under the story line.
        var verdicts = view.Verdicts.Take(MaxVerdicts).ToList();
        foreach (var v in verdicts)
        {
            blocks.Add(Verdict(view, v, evidenceBudget));
        }

        if (CardLayout.InProgress(view) is { } running && view.Status != CardRunStatus.Resolved)
        {
            blocks.Add(Section($"Now: *{CardText.Cut(CardText.Slack(running.Title), 300)}* · {CardText.Slack(CardLayout.OfferStatus(running))}"));
        }

        if (primary is not null && view.Status != CardRunStatus.Resolved)
        {
            blocks.Add(Offer(primary, 0, primary.State == OfferState.PendingApproval ? "Waiting for approval: " : "Next: "));
            blocks.Add(Actions(primary));
        }

        if (view.Origin is { } origin)
        {
            var link = origin.Link is null ? string.Empty : $" · <{origin.Link.AbsoluteUri.Replace("|", "%7C", StringComparison.Ordinal).Replace(">", "%3E", StringComparison.Ordinal)}|alert source>";
            blocks.Add(Context("Alert: " + CardText.Cut(CardText.Slack($"Opened by {origin.OpenedBy}" + (origin.Labels.Length > 0 ? $" · {origin.Labels}" : string.Empty)), 1_000) + link));
        }

        // The earlier runs' verdicts in one line; their evidence and outputs are behind the incident link.
        if (view.EarlierRuns.Count > 0)
        {
            var runs = string.Join(" · ", view.EarlierRuns.Select(r => $"{r.Number}. {CardText.Slack(r.Title)}: {string.Join(" + ", r.Verdicts.Select(v => CardText.Slack(v.Code)))}"));
            blocks.Add(Context(CardText.Cut("Earlier runs: " + runs, 2_000) + Pointer(view.IncidentUrl, view.Command)));
        }

        blocks.Add(new JsonObject { ["type"] = "divider" });
        blocks.Add(Context("*" + CardText.Cut(CardText.Slack(view.RunTitle is null ? "Steps" : (view.Status == CardRunStatus.Resolved ? "Final check: " : "Run: ") + view.RunTitle), 300) + "*"));

        // Fixed room for the offers and footer; the steps fit in what is left of the 50 blocks.
        var offers = view.Offers.Take(MaxOffers).ToList();
        var reserved = blocks.Count + 1 + (offers.Count * 2) + 1 + 1 + 1;
        var steps = Math.Min(stepsShown, BlockKitLimits.MaxBlocks - reserved);
        foreach (var step in view.Steps.Take(steps))
        {
            blocks.Add(Step(view, step));
        }

        if (steps < view.Steps.Count)
        {
            blocks.Add(Context($"… {view.Steps.Count - steps} more steps not shown (message size limit){Pointer(view.IncidentUrl, view.Command)}"));
        }

        if (offers.Count > 0)
        {
            blocks.Add(Context("*Fixes, in the order to apply them*"));
            var n = 0;
            foreach (var o in offers)
            {
                if (ReferenceEquals(o, primary))
                {
                    blocks.Add(Section($"{++n}. *{CardText.Cut(CardText.Slack(o.Title), 300)}* · {CardText.Slack(CardLayout.OfferStatus(o))} · the next step, above"));
                    continue;
                }

                blocks.Add(Offer(o, ++n, null));
                if (o.Buttons.Count > 0)
                {
                    blocks.Add(Actions(o));
                }
            }
        }

        if (view.Offers.Count > offers.Count || view.Verdicts.Count > verdicts.Count)
        {
            blocks.Add(Context($"… more root causes or remediations not shown{Pointer(view.IncidentUrl, view.Command)}"));
        }

        var started = $"{CardText.Time(view.StartedAt)} ({CardText.SlackLocalTime(view.StartedAt)} your time)";
        var footer = CardLayout.Footer(view, started, CardText.Slack);
        if (view.IncidentUrl is not null)
        {
            footer += $" · <{Url(view.IncidentUrl)}|incident timeline and full outputs>";
        }

        blocks.Add(Context(footer));

        return new JsonObject
        {
            // Notification and accessibility fallback; blocks are what the channel shows.
            ["text"] = CardText.Cut($"{CardText.Slack(headline)} ({CardText.Slack(view.IncidentId)})", 1_000),
            ["blocks"] = blocks,
        };
    }

    private static JsonObject Actions(RemediationOfferView o) => new()
    {
        ["type"] = "actions",
        ["block_id"] = Id("offer", o.PlanId),
        ["elements"] = new JsonArray([.. o.Buttons.Take(BlockKitLimits.MaxActionsElements).Select(Button)]),
    };

    private static JsonObject Section(string mrkdwn) => new() { ["type"] = "section", ["text"] = Mrkdwn(CardText.Cut(mrkdwn, BlockKitLimits.MaxSectionText)) };

    /// <summary>One line per step; its commands, evidence and full output are one click away (posted in the thread, or the output page).</summary>
    private static JsonObject Step(DiagnosisCardView view, StepView step)
    {
        var section = Section($"*{CardLayout.StatusWord(step.Status)}* · {CardText.Cut(CardText.Slack(CardLayout.StepLine(step)), 400)}");
        if (step.HasFullOutput)
        {
            var button = new JsonObject
            {
                ["type"] = "button",
                ["text"] = Plain("Details"),
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

    /// <summary>The cause in one sentence and its key evidence; the full evidence is cut to the budget below it.</summary>
    private static JsonObject Verdict(DiagnosisCardView view, VerdictView v, int evidenceBudget)
    {
        var sb = new StringBuilder();
        sb.Append(v.Code == "healthy" ? ":large_green_circle: " : ":red_circle: ").Append("*Root cause: ").Append(CardText.Slack(v.Title)).Append('*')
            .Append(" (`").Append(CardText.SlackCode(v.Code)).Append("`)");
        var key = CardLayout.KeyEvidence(v);
        if (key.Length > 0)
        {
            sb.Append("\n`").Append(CardText.SlackCode(key)).Append('`');
        }

        sb.Append("\n_confidence ").Append(CardText.Slack(v.Confidence)).Append(" · rule ").Append(CardText.Slack(v.RuleId)).Append("_ · ")
            .Append(CardText.Cut(CardText.Slack(v.Explanation), 600));
        // With the finding's own key line, the full evidence is the steps' (their Details buttons) and the incident page's.
        if (v.KeyEvidence.Count == 0 && CardLayout.EvidenceInDetails(v))
        {
            var room = Math.Min(evidenceBudget, BlockKitLimits.MaxSectionText - sb.Length - 400);
            var (text, omitted) = CardText.Lines(v.Evidence, Math.Max(0, room));
            if (text.Length > 0)
            {
                sb.Append("\n```").Append(CardText.SlackCode(text)).Append("```");
            }

            if (omitted > 0)
            {
                sb.Append("\n_… truncated (").Append(omitted.ToString("N0", System.Globalization.CultureInfo.InvariantCulture)).Append(" more characters)").Append(Pointer(view.IncidentUrl, view.Command)).Append('_');
            }
        }

        return Section(sb.ToString());
    }

    private static JsonObject Offer(RemediationOfferView o, int number, string? prefix)
    {
        var sb = new StringBuilder();
        sb.Append(prefix ?? number.ToString(System.Globalization.CultureInfo.InvariantCulture) + ". ").Append('*').Append(CardText.Cut(CardText.Slack(o.Title), 300)).Append("* · ")
            .Append(CardText.Slack(CardLayout.OfferStatus(o, withState: !(prefix is not null && CardLayout.StateSaidByPrefix(o)))));
        if (o.Why is not null)
        {
            sb.Append("\nWhy: ").Append(CardText.Slack(o.Why));
        }

        if (o.Risk is not null)
        {
            sb.Append("\nRisk: ").Append(o.Kind == RemediationKind.Reboot ? "*" + CardText.Slack(o.Risk) + "*" : CardText.Slack(o.Risk));
        }

        if (o.Expectation is not null)
        {
            sb.Append("\n*").Append(CardText.Slack(o.Expectation)).Append('*');
        }

        if (o.Commands.Count > 0)
        {
            sb.Append("\n```").Append(CardText.SlackCode(CardText.Cut(string.Join('\n', o.Commands), 1_200))).Append("```");
        }

        // The top block repeats what a click needs: approvers decide on the notes, so a pending request shows them.
        if (prefix is null || o.State == OfferState.PendingApproval)
        {
            foreach (var note in o.Notes.Take(5))
            {
                sb.Append("\n_").Append(CardText.Cut(CardText.Slack(note), 300)).Append('_');
            }
        }

        if (prefix is null)
        {
            if (o.StateDetail is not null)
            {
                sb.Append('\n').Append(CardText.Cut(CardText.Slack(o.StateDetail), 500));
            }
        }

        return Section(sb.ToString());
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

    private static string Pointer(Uri? link, string? command) => link is null
        ? ", full output: Full output button" + (command is null ? string.Empty : $" or {command} incident")
        : $", full output: <{Url(link)}|full output>";

    // A '|' or '>' in a URL would end Slack's <url|text> early.
    private static string Url(Uri link) => link.AbsoluteUri.Replace("|", "%7C", StringComparison.Ordinal).Replace(">", "%3E", StringComparison.Ordinal);

    private static JsonObject Field(string label, string value) => Mrkdwn(CardText.Cut($"*{label}*\n{CardText.Slack(value)}", BlockKitLimits.MaxFieldText));

    private static JsonObject Context(string mrkdwn) => new() { ["type"] = "context", ["elements"] = new JsonArray { Mrkdwn(CardText.Cut(mrkdwn, 2_000)) } };

    private static JsonObject Plain(string text) => new() { ["type"] = "plain_text", ["text"] = text.Length == 0 ? " " : text, ["emoji"] = true };

    private static JsonObject Mrkdwn(string text) => new() { ["type"] = "mrkdwn", ["text"] = text };
}
