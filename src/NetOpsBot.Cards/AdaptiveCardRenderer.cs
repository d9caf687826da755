using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using NetOpsBot.Core.Remediation;

namespace NetOpsBot.Cards;

/// <summary>
/// Renders a <see cref="DiagnosisCardView"/> as an Adaptive Card (schema 1.5, what Teams renders; also the local
/// web chat). Never fails for size: evidence shrinks step by step, with a pointer to the full output.
/// </summary>
public static class AdaptiveCardRenderer
{
    public const string Schema = "http://adaptivecards.io/schemas/adaptive-card.json";
    public const string Version = "1.5";

    // Relaxed escaping keeps emoji and non-ASCII as themselves (the payload is JSON, never embedded in HTML): one
    // UTF-16 unit per CJK character instead of six for "\uXXXX".
    internal static readonly JsonSerializerOptions Json = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private const int MaxTitleChars = 300;
    private const int MaxFindingChars = 1_000;
    private const int MaxHeadlineChars = 500;
    private const int MaxExplanationChars = 2_000;
    private const int MaxCommandChars = 500;

    public static string RenderJson(DiagnosisCardView view, AdaptiveCardOptions? options = null) =>
        Render(view, options).ToJsonString(Json);

    public static JsonObject Render(DiagnosisCardView view, AdaptiveCardOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(view);
        options ??= AdaptiveCardOptions.Default;

        // Shrink evidence first (the bulk of any big card), then the number of steps shown: the header,
        // verdict and remediation buttons are what people act on, so they are kept whole.
        JsonObject card = null!;
        foreach (var evidence in Budgets(options.MaxEvidenceChars))
        {
            card = Build(view, evidence, view.Steps.Count, view.Offers.Count);
            if (Utf16CodeUnits(card) <= options.MaxUtf16CodeUnits)
            {
                return card;
            }
        }

        for (var steps = view.Steps.Count - 1; steps >= 0; steps = steps > 8 ? steps / 2 : steps - 1)
        {
            card = Build(view, 0, steps, view.Offers.Count);
            if (Utf16CodeUnits(card) <= options.MaxUtf16CodeUnits)
            {
                return card;
            }
        }

        // Only a pathological view gets here (dozens of offers); the first offers are the verdict's best ones.
        for (var offers = view.Offers.Count - 1; offers >= 0; offers--)
        {
            card = Build(view, 0, 0, offers);
            if (Utf16CodeUnits(card) <= options.MaxUtf16CodeUnits)
            {
                return card;
            }
        }

        return card;
    }

    /// <summary>The size Teams counts: the serialized card's UTF-16 code units (a .NET string's length is exactly that).</summary>
    internal static int Utf16CodeUnits(JsonNode node) => node.ToJsonString(Json).Length;

    internal static IEnumerable<int> Budgets(int max)
    {
        for (var b = max; b >= 100; b /= 2)
        {
            yield return b;
        }

        yield return 0;
    }

    private static JsonObject Build(DiagnosisCardView view, int evidenceBudget, int stepsShown, int offersShown)
    {
        var body = new JsonArray
        {
            Text($"SSH diagnosis · {CardText.Adaptive(view.Device)}", size: "Large", weight: "Bolder"),
            new JsonObject
            {
                ["type"] = "FactSet",
                ["facts"] = new JsonArray
                {
                    Fact("Incident", CardText.Adaptive(view.IncidentId)),
                    Fact("Device", CardText.Adaptive(view.Device)),
                    Fact(view.Origin is null ? "Requested by" : "Opened by", CardText.Adaptive(view.Requester)),
                    Fact("Status", CardText.Label(view.Status)),
                    Fact("Started", CardText.Time(view.StartedAt)),
                    Fact("Elapsed", CardText.Duration(view.Elapsed)),
                },
            },
        };

        // The story first once it is over: what was wrong, what fixed it, who approved, how long.
        if (view.Headline is not null)
        {
            body.Insert(1, Text(CardText.Cut(CardText.Adaptive(view.Headline), MaxHeadlineChars), size: "Medium", weight: "Bolder", color: "Good"));
        }

        if (view.Note is not null)
        {
            body.Add(Text(CardText.Cut(CardText.Adaptive(view.Note), MaxFindingChars), color: "Attention"));
        }

        if (view.Origin is { } origin)
        {
            body.Add(Text(CardText.Cut(CardText.Adaptive($"Opened by {origin.OpenedBy}" + (origin.Labels.Length > 0 ? $" · {origin.Labels}" : string.Empty)), MaxFindingChars), subtle: true));
            if (origin.Link is not null)
            {
                body.Add(ActionSet(OpenUrl("Alert source", origin.Link)));
            }
        }

        if (view.RunTitle is not null)
        {
            body.Add(Heading(CardText.Cut(CardText.Adaptive((view.Status == CardRunStatus.Resolved ? "Final check: " : "Run: ") + view.RunTitle), MaxTitleChars)));
        }

        foreach (var step in view.Steps.Take(stepsShown))
        {
            body.Add(Step(view, step, evidenceBudget));
        }

        if (stepsShown < view.Steps.Count)
        {
            body.Add(Text($"… {view.Steps.Count - stepsShown} more steps not shown (card size limit){Pointer(view.IncidentUrl)}", color: "Warning"));
        }

        if (view.Verdicts.Count > 0)
        {
            body.Add(Heading("Verdict"));
            foreach (var v in view.Verdicts)
            {
                body.Add(Verdict(view, v, evidenceBudget));
            }
        }

        if (view.Offers.Count > 0)
        {
            body.Add(Heading("Remediation"));
            foreach (var o in view.Offers.Take(offersShown))
            {
                body.Add(Offer(o));
            }

            if (offersShown < view.Offers.Count)
            {
                body.Add(Text($"… {view.Offers.Count - offersShown} more remediations not shown (card size limit){Pointer(view.IncidentUrl)}", color: "Warning"));
            }
        }

        if (view.EarlierRuns.Count > 0)
        {
            body.Add(ActionSet(ShowCard($"Earlier runs ({view.EarlierRuns.Count}): original evidence and outputs", EarlierRuns(view, evidenceBudget))));
        }

        var card = new JsonObject
        {
            ["$schema"] = Schema,
            ["type"] = "AdaptiveCard",
            ["version"] = Version,
            ["body"] = body,
        };
        if (view.IncidentUrl is not null)
        {
            card["actions"] = new JsonArray { OpenUrl("Incident timeline", view.IncidentUrl) };
        }

        return card;
    }

    private static JsonObject Step(DiagnosisCardView view, StepView step, int evidenceBudget)
    {
        var head = $"**{CardText.Cut(CardText.Adaptive(step.Title), MaxTitleChars)}** · {CardText.Label(step.Status)}";
        if (step.Duration is { } d)
        {
            head += " · " + CardText.Duration(d);
        }

        var items = new JsonArray { Text(head) };
        if (!string.IsNullOrEmpty(step.Finding))
        {
            items.Add(Text(CardText.Cut(CardText.Adaptive(step.Finding), MaxFindingChars), spacing: "None"));
        }

        if (step.Commands.Count > 0)
        {
            var commands = string.Join('\n', step.Commands.Take(20).Select(c => "> " + CardText.Cut(CardText.Adaptive(c), MaxCommandChars)));
            items.Add(Mono(commands, subtle: true));
        }

        AddEvidence(items, step.Evidence, evidenceBudget, step.FullOutputUrl ?? view.IncidentUrl);

        if (step.FullOutputUrl is not null && step.HasFullOutput)
        {
            items.Add(ActionSet(OpenUrl("Full output", step.FullOutputUrl)));
        }
        else if (step.HasFullOutput)
        {
            items.Add(ActionSet(Execute("Full output", ShowOutput(view, step.Id, view.Run), ButtonStyle.Default)));
        }

        return new JsonObject
        {
            ["type"] = "ColumnSet",
            ["separator"] = true,
            ["columns"] = new JsonArray
            {
                new JsonObject { ["type"] = "Column", ["width"] = "auto", ["items"] = new JsonArray { Text(CardText.Icon(step.Status)) } },
                new JsonObject { ["type"] = "Column", ["width"] = "stretch", ["items"] = items },
            },
        };
    }

    private static CardAction ShowOutput(DiagnosisCardView view, string stepId, int run) =>
        new(CardActionVerb.ShowOutput, view.IncidentId, null, "output")
        {
            StepId = stepId,
            Run = run > 1 ? run.ToString(System.Globalization.CultureInfo.InvariantCulture) : null,
        };

    /// <summary>
    /// Every earlier run with its verdict, evidence and a link (or button) to each step's own full output. Without an
    /// evidence budget (a card at its size limit), only the verdicts and the failed steps' outputs remain.
    /// </summary>
    private static JsonObject EarlierRuns(DiagnosisCardView view, int evidenceBudget)
    {
        var body = new JsonArray();
        foreach (var run in view.EarlierRuns)
        {
            body.Add(Heading(CardText.Cut(CardText.Adaptive($"{run.Number}. {run.Title}"), MaxTitleChars)));
            foreach (var v in run.Verdicts)
            {
                body.Add(Text($"**{CardText.Adaptive(v.Title)}** ({CardText.Adaptive(v.Code)})", color: v.Code == "healthy" ? "Good" : "Attention"));
                if (evidenceBudget > 0 && v.Evidence.Count > 0)
                {
                    body.Add(Mono(CardText.Cut(string.Join('\n', v.Evidence.Take(5).Select(CardText.Adaptive)), Math.Min(evidenceBudget, MaxFindingChars))));
                }
            }

            foreach (var step in run.Steps.Where(s => evidenceBudget > 0 || s.Status is CardStepStatus.Fail or CardStepStatus.Error or CardStepStatus.Warn))
            {
                var line = $"{CardText.Icon(step.Status)} **{CardText.Cut(CardText.Adaptive(step.Title), MaxTitleChars)}**";
                if (!string.IsNullOrEmpty(step.Finding))
                {
                    line += " · " + CardText.Cut(CardText.Adaptive(step.Finding), MaxFindingChars);
                }

                body.Add(Text(line, spacing: "Small"));
                if (step.HasFullOutput)
                {
                    body.Add(ActionSet(step.FullOutputUrl is not null
                        ? OpenUrl("Full output", step.FullOutputUrl)
                        : Execute("Full output", ShowOutput(view, step.Id, run.Number), ButtonStyle.Default)));
                }
            }
        }

        return new JsonObject { ["type"] = "AdaptiveCard", ["body"] = body };
    }

    private static JsonObject ShowCard(string title, JsonObject card) => new() { ["type"] = "Action.ShowCard", ["title"] = title, ["card"] = card };

    private static JsonObject Verdict(DiagnosisCardView view, VerdictView v, int evidenceBudget)
    {
        var items = new JsonArray
        {
            Text($"**{CardText.Adaptive(v.Title)}**"),
            Text($"code: {CardText.Adaptive(v.Code)} · confidence: {CardText.Adaptive(v.Confidence)} · rule: {CardText.Adaptive(v.RuleId)}", subtle: true, spacing: "None"),
            Text(CardText.Cut(CardText.Adaptive(v.Explanation), MaxExplanationChars)),
        };
        AddEvidence(items, v.Evidence, evidenceBudget, view.IncidentUrl);
        return new JsonObject
        {
            ["type"] = "Container",
            ["style"] = v.Code == "healthy" ? "good" : "attention",
            ["items"] = items,
        };
    }

    private static JsonObject Offer(RemediationOfferView o)
    {
        var approvals = o.ApproversRequired == 0
            ? "none needed"
            : $"{o.Approvals.Count} of {o.ApproversRequired}" + (o.Approvals.Count > 0
                ? " (" + string.Join(", ", o.Approvals.Select(a => $"{CardText.Adaptive(a.User)} at {CardText.Time(a.At)}")) + ")"
                : string.Empty);
        var facts = new JsonArray
        {
            Fact("Kind", o.Kind.ToString()),
            Fact("State", CardText.Label(o.State)),
            Fact("Approvals", approvals),
        };
        if (o.RequestedBy is not null)
        {
            facts.Add(Fact("Requested by", CardText.Adaptive(o.RequestedBy)));
        }

        if (CardViewer.Expiry(o) is { } expires)
        {
            facts.Add(Fact("Expires", expires));
        }

        var items = new JsonArray
        {
            Text($"**{CardText.Cut(CardText.Adaptive(o.Title), MaxTitleChars)}**"),
            new JsonObject { ["type"] = "FactSet", ["facts"] = facts },
        };

        // Commands come from typed templates (never device text) and must read exactly as they will be sent.
        if (o.Commands.Count > 0)
        {
            items.Add(Mono(string.Join('\n', o.Commands.Select(c => CardText.Cut(CardText.Clean(c), MaxCommandChars)))));
        }

        foreach (var note in o.Notes.Take(10))
        {
            items.Add(Text(CardText.Cut(CardText.Adaptive(note), MaxFindingChars), subtle: true));
        }

        if (o.StateDetail is not null)
        {
            items.Add(Text(CardText.Cut(CardText.Adaptive(o.StateDetail), MaxFindingChars), color: o.State == OfferState.Rejected ? "Attention" : "Default"));
        }

        if (o.Buttons.Count > 0)
        {
            items.Add(ActionSet([.. o.Buttons.Select(Button)]));
        }

        return new JsonObject { ["type"] = "Container", ["style"] = "emphasis", ["separator"] = true, ["items"] = items };
    }

    private static JsonObject Button(CardButton b)
    {
        if (b.ConfirmText is null)
        {
            return Execute(b.Title, b.Action, b.Style);
        }

        // Adaptive Cards have no confirm dialog: the real button sits in a show-card behind a warning.
        return new JsonObject
        {
            ["type"] = "Action.ShowCard",
            ["title"] = b.Title + "…",
            ["card"] = new JsonObject
            {
                ["type"] = "AdaptiveCard",
                ["body"] = new JsonArray { Text(CardText.Adaptive(b.ConfirmText), color: "Attention") },
                ["actions"] = new JsonArray { Execute("Confirm: " + b.Title, b.Action, b.Style) },
            },
        };
    }

    private static void AddEvidence(JsonArray items, IReadOnlyList<string> evidence, int budget, Uri? link)
    {
        if (evidence.Count == 0)
        {
            return;
        }

        var (text, omitted) = CardText.Lines(evidence.Select(CardText.Adaptive), budget);
        if (text.Length > 0)
        {
            items.Add(Mono(text));
        }

        if (omitted > 0)
        {
            items.Add(Text($"… truncated ({omitted:N0} more characters){Pointer(link)}", subtle: true, spacing: "None"));
        }
    }

    private static string Pointer(Uri? link) => link is null ? ", full output: use Full output or /sshdiag incident" : $", full output: [{CardText.Adaptive(link.Host)}]({link.AbsoluteUri})";

    private static JsonObject Execute(string title, CardAction action, ButtonStyle style)
    {
        var o = new JsonObject
        {
            ["type"] = "Action.Execute",
            ["title"] = title,
            ["verb"] = action.VerbName,
            ["data"] = action.ToData(),
        };
        if (style != ButtonStyle.Default)
        {
            o["style"] = style == ButtonStyle.Danger ? "destructive" : "positive";
        }

        return o;
    }

    private static JsonObject OpenUrl(string title, Uri url) => new() { ["type"] = "Action.OpenUrl", ["title"] = title, ["url"] = url.AbsoluteUri };

    private static JsonObject ActionSet(params JsonObject[] actions) => new() { ["type"] = "ActionSet", ["actions"] = new JsonArray([.. actions]) };

    private static JsonObject Heading(string text) => new()
    {
        ["type"] = "TextBlock",
        ["text"] = text,
        ["size"] = "Medium",
        ["weight"] = "Bolder",
        ["separator"] = true,
        ["wrap"] = true,
    };

    private static JsonObject Fact(string title, string value) => new() { ["title"] = title, ["value"] = value };

    private static JsonObject Mono(string text, bool subtle = false)
    {
        var o = new JsonObject { ["type"] = "TextBlock", ["text"] = text, ["fontType"] = "Monospace", ["wrap"] = true, ["spacing"] = "Small" };
        if (subtle)
        {
            o["isSubtle"] = true;
        }

        return o;
    }

    private static JsonObject Text(string text, string? size = null, string? weight = null, string? color = null, bool subtle = false, string? spacing = null)
    {
        var o = new JsonObject { ["type"] = "TextBlock", ["text"] = text, ["wrap"] = true };
        if (size is not null)
        {
            o["size"] = size;
        }

        if (weight is not null)
        {
            o["weight"] = weight;
        }

        if (color is not null)
        {
            o["color"] = color;
        }

        if (subtle)
        {
            o["isSubtle"] = true;
        }

        if (spacing is not null)
        {
            o["spacing"] = spacing;
        }

        return o;
    }
}
