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
        // Answer first: what is wrong and what to click sit in the top block, inside the first screen of every
        // client; the steps are one line each and the fixes come after, in the order they must be applied.
        var primary = CardLayout.Primary(view);
        var body = new JsonArray { Top(view, primary, evidenceBudget) };

        if (view.Origin is { } origin)
        {
            body.Add(Text(CardText.Cut(CardText.Adaptive($"Opened by {origin.OpenedBy}" + (origin.Labels.Length > 0 ? $" · {origin.Labels}" : string.Empty)), MaxFindingChars), subtle: true));
            if (origin.Link is not null)
            {
                body.Add(ActionSet(OpenUrl("Alert source", origin.Link)));
            }
        }

        var story = new JsonArray();

        // Resolved: the final check's verdict opens the collapsed story.
        if (view.Status == CardRunStatus.Resolved)
        {
            var index = 0;
            foreach (var v in view.Verdicts)
            {
                story.Add(Verdict(view, v, evidenceBudget, index++));
            }
        }

        if (view.RunTitle is not null)
        {
            story.Add(Heading(CardText.Cut(CardText.Adaptive((view.Status == CardRunStatus.Resolved ? "Final check: " : "Run: ") + view.RunTitle), MaxTitleChars)));
        }
        else
        {
            story.Add(Heading("Steps"));
        }

        var stepIndex = 0;
        foreach (var step in view.Steps.Take(stepsShown))
        {
            story.Add(Step(view, step, evidenceBudget, stepIndex++));
        }

        if (stepsShown < view.Steps.Count)
        {
            story.Add(Text($"… {view.Steps.Count - stepsShown} more steps not shown (card size limit){Pointer(view.IncidentUrl, view.Command)}", color: "Warning"));
        }

        if (view.Offers.Count > 0)
        {
            story.Add(Heading("Fixes, in the order to apply them"));
            var n = 0;
            foreach (var o in view.Offers.Take(offersShown))
            {
                story.Add(Offer(o, ++n, ReferenceEquals(o, primary)));
            }

            if (offersShown < view.Offers.Count)
            {
                story.Add(Text($"… {view.Offers.Count - offersShown} more remediations not shown (card size limit){Pointer(view.IncidentUrl, view.Command)}", color: "Warning"));
            }
        }

        // Resolved: the story stays, collapsed under the headline.
        if (view.Status == CardRunStatus.Resolved)
        {
            body.Add(ActionSet(Toggle("Show the story: steps and fixes", "story")));
            body.Add(new JsonObject { ["type"] = "Container", ["id"] = "story", ["isVisible"] = false, ["items"] = story });
        }
        else
        {
            foreach (var item in story.ToList())
            {
                story.Remove(item);
                body.Add(item);
            }
        }

        if (view.EarlierRuns.Count > 0)
        {
            body.Add(ActionSet(ShowCard($"Earlier runs ({view.EarlierRuns.Count}): original evidence and outputs", EarlierRuns(view, evidenceBudget))));
        }

        var started = $"{CardText.Time(view.StartedAt)} ({CardText.AdaptiveLocalTime(view.StartedAt)} local)";
        body.Add(Text(CardLayout.Footer(view, started, CardText.Adaptive), subtle: true, separator: true, size: "Small"));

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

    /// <summary>Headline, one sentence and key evidence per cause, and the next action with its buttons.</summary>
    private static JsonObject Top(DiagnosisCardView view, RemediationOfferView? primary, int evidenceBudget)
    {
        var (headline, tone) = CardLayout.Headline(view);
        var items = new JsonArray { Text(CardText.Cut(CardText.Adaptive(headline), MaxHeadlineChars), size: "Large", weight: "Bolder", color: Color(tone)) };

        if (view.Status == CardRunStatus.Resolved)
        {
            items.Add(Text(CardText.Adaptive($"{view.Device} · {view.IncidentId} · SSH works again; the steps and fixes are below"), subtle: true, spacing: "None"));
        }

        if (view.Status == CardRunStatus.Running)
        {
            items.Add(Text(CardText.Adaptive(CardLayout.Progress(view)), spacing: "Small"));
        }

        if (view.Note is not null)
        {
            items.Add(Text(CardText.Cut(CardText.Adaptive(view.Note), MaxFindingChars), color: "Warning"));
        }

        // A re-check keeps the verdict it checks; once resolved, the verdicts are part of the collapsed story.
        if (view.Status != CardRunStatus.Resolved)
        {
            var index = 0;
            foreach (var v in view.Verdicts)
            {
                items.Add(Verdict(view, v, evidenceBudget, index++));
            }
        }

        if (CardLayout.InProgress(view) is { } running && view.Status != CardRunStatus.Resolved)
        {
            items.Add(Text($"Now: **{CardText.Cut(CardText.Adaptive(running.Title), MaxTitleChars)}** · {CardText.Adaptive(CardLayout.OfferStatus(running))}", separator: true));
        }

        if (primary is not null && view.Status != CardRunStatus.Resolved)
        {
            var pending = primary.State == OfferState.PendingApproval;
            var next = pending ? "Waiting for approval: " : "Next: ";
            items.Add(Text($"{next}**{CardText.Cut(CardText.Adaptive(primary.Title), MaxTitleChars)}** · {CardText.Adaptive(CardLayout.OfferStatus(primary, withState: !CardLayout.StateSaidByPrefix(primary)))}", separator: true));
            if (primary.Why is not null)
            {
                items.Add(Text(CardText.Adaptive(primary.Why), spacing: "None", subtle: true));
            }

            if (primary.Kind == RemediationKind.Reboot && primary.Risk is not null)
            {
                items.Add(Text("Risk: " + CardText.Adaptive(primary.Risk), spacing: "None", color: "Attention"));
            }

            // The commands a click acts on are next to the button (the click carries their hash).
            if (primary.Commands.Count > 0)
            {
                items.Add(Mono(string.Join('\n', primary.Commands.Select(c => CardText.Cut(CardText.Clean(c), MaxCommandChars)))));
            }

            // What approvers decide on (the unsaved changes a reboot saves, for instance) sits next to Approve.
            if (pending)
            {
                foreach (var note in primary.Notes.Take(10))
                {
                    items.Add(Text(CardText.Cut(CardText.Adaptive(note), MaxFindingChars), subtle: true, spacing: "None"));
                }
            }

            items.Add(ActionSet([.. primary.Buttons.Select(Button)]));
        }

        return new JsonObject { ["type"] = "Container", ["id"] = "top", ["style"] = ContainerStyle(tone), ["items"] = items };
    }

    private static string Color(CardTone tone) => tone switch
    {
        CardTone.Good => "Good",
        CardTone.Attention => "Attention",
        CardTone.Warning => "Warning",
        _ => "Accent",
    };

    private static string ContainerStyle(CardTone tone) => tone switch
    {
        CardTone.Good => "good",
        CardTone.Attention => "attention",
        CardTone.Warning => "warning",
        _ => "accent",
    };

    private static JsonObject Toggle(string title, string target) => new()
    {
        ["type"] = "Action.ToggleVisibility",
        ["title"] = title,
        ["targetElements"] = new JsonArray { target },
    };

    /// <summary>One line (status word, name, finding, duration); the commands, evidence and output open on a click.</summary>
    private static JsonObject Step(DiagnosisCardView view, StepView step, int evidenceBudget, int index)
    {
        var detailsId = "step-" + index.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var details = new JsonArray();
        if (!string.IsNullOrEmpty(step.Finding))
        {
            details.Add(Text(CardText.Cut(CardText.Adaptive(step.Finding), MaxFindingChars)));
        }

        if (step.Commands.Count > 0)
        {
            var commands = string.Join('\n', step.Commands.Take(20).Select(c => "> " + CardText.Cut(CardText.Adaptive(c), MaxCommandChars)));
            details.Add(Mono(commands, subtle: true));
        }

        AddEvidence(details, step.Evidence, evidenceBudget, step.FullOutputUrl ?? view.IncidentUrl, view.Command);

        if (step.FullOutputUrl is not null && step.HasFullOutput)
        {
            details.Add(ActionSet(OpenUrl("Full output", step.FullOutputUrl)));
        }
        else if (step.HasFullOutput)
        {
            details.Add(ActionSet(Execute("Full output", ShowOutput(view, step.Id, view.Run), ButtonStyle.Default)));
        }

        var line = new JsonObject
        {
            ["type"] = "ColumnSet",
            ["spacing"] = "Small",
            ["columns"] = new JsonArray
            {
                new JsonObject
                {
                    ["type"] = "Column", ["width"] = "60px",
                    ["items"] = new JsonArray { Text(CardLayout.StatusWord(step.Status), weight: "Bolder", color: StepColor(step.Status), size: "Small", wrap: false) },
                },
                new JsonObject
                {
                    ["type"] = "Column", ["width"] = "stretch",
                    ["items"] = new JsonArray { Text(CardText.Adaptive(CardLayout.StepLine(step)), wrap: false) },
                },
            },
        };
        if (details.Count == 0)
        {
            return line;
        }

        line["selectAction"] = Toggle("Details: " + CardText.Cut(CardText.Clean(step.Title), 80), detailsId);
        ((JsonArray)line["columns"]!).Add(new JsonObject
        {
            ["type"] = "Column", ["width"] = "auto",
            ["items"] = new JsonArray { Text("Details", color: "Accent", size: "Small", wrap: false) },
        });
        return new JsonObject
        {
            ["type"] = "Container",
            ["spacing"] = "None",
            ["items"] = new JsonArray
            {
                line,
                new JsonObject { ["type"] = "Container", ["id"] = detailsId, ["isVisible"] = false, ["items"] = details },
            },
        };
    }

    private static string? StepColor(CardStepStatus s) => s switch
    {
        CardStepStatus.Ok => "Good",
        CardStepStatus.Warn => "Warning",
        CardStepStatus.Fail or CardStepStatus.Error => "Attention",
        CardStepStatus.Running => "Accent",
        _ => null,
    };

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
                var line = $"{CardLayout.StatusWord(step.Status)} · **{CardText.Cut(CardText.Adaptive(step.Title), MaxTitleChars)}**";
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

    /// <summary>The cause in one sentence with its key evidence; the explanation, rule and all evidence open on a click.</summary>
    private static JsonObject Verdict(DiagnosisCardView view, VerdictView v, int evidenceBudget, int index)
    {
        var detailsId = "cause-" + index.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var healthy = v.Code == "healthy";
        var details = new JsonArray
        {
            Text(CardText.Cut(CardText.Adaptive(v.Explanation), MaxExplanationChars)),
            Text($"code: {CardText.Adaptive(v.Code)} · confidence: {CardText.Adaptive(v.Confidence)} · rule: {CardText.Adaptive(v.RuleId)}", subtle: true, spacing: "None"),
        };
        if (CardLayout.EvidenceInDetails(v))
        {
            AddEvidence(details, v.Evidence, evidenceBudget, view.IncidentUrl, view.Command);
        }

        var items = new JsonArray
        {
            new JsonObject
            {
                ["type"] = "ColumnSet",
                ["selectAction"] = Toggle("Why: " + CardText.Cut(CardText.Clean(v.Title), 80), detailsId),
                ["columns"] = new JsonArray
                {
                    new JsonObject
                    {
                        ["type"] = "Column", ["width"] = "stretch",
                        ["items"] = new JsonArray { Text($"**{CardText.Adaptive(v.Title)}** ({CardText.Adaptive(v.Code)})", color: healthy ? "Good" : "Attention") },
                    },
                    new JsonObject
                    {
                        ["type"] = "Column", ["width"] = "auto",
                        ["items"] = new JsonArray { Text("Why", color: "Accent", size: "Small", wrap: false) },
                    },
                },
            },
        };
        var key = CardLayout.KeyEvidence(v);
        if (key.Length > 0)
        {
            items.Add(Mono(CardText.Adaptive(key)));
        }

        items.Add(new JsonObject { ["type"] = "Container", ["id"] = detailsId, ["isVisible"] = false, ["items"] = details });
        return new JsonObject { ["type"] = "Container", ["spacing"] = "Small", ["items"] = items };
    }

    /// <summary>
    /// One fix, collapsed like a step: number, title and state on one line, with what must be seen before a click (the
    /// doubt the evidence casts on it, a reboot's impact, the outcome so far, the notes approvers decide on) and its
    /// buttons; why, risk and the exact commands open on a click. The fix whose buttons are on top is one line.
    /// </summary>
    private static JsonObject Offer(RemediationOfferView o, int number, bool buttonsOnTop)
    {
        var head = $"**{number}. {CardText.Cut(CardText.Adaptive(o.Title), MaxTitleChars)}** · {CardText.Adaptive(CardLayout.OfferStatus(o))}";
        if (buttonsOnTop)
        {
            return new JsonObject
            {
                ["type"] = "Container",
                ["separator"] = true,
                ["items"] = new JsonArray { Text(head + " · the next step, at the top of the card") },
            };
        }

        var detailsId = "fix-" + number.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var reboot = o.Kind == RemediationKind.Reboot;
        var details = new JsonArray();
        AddIf(details, o.Why is null ? null : Text("Why: " + CardText.Adaptive(o.Why), spacing: "None"));
        AddIf(details, o.Risk is null || reboot ? null : Text("Risk: " + CardText.Adaptive(o.Risk), spacing: "None"));

        // Commands come from typed templates (never device text) and must read exactly as they will be sent.
        if (o.Commands.Count > 0)
        {
            details.Add(Mono(string.Join('\n', o.Commands.Select(c => CardText.Cut(CardText.Clean(c), MaxCommandChars)))));
        }

        var waiting = o.State is OfferState.PendingApproval or OfferState.Approved;
        var notes = o.Notes.Take(10).Select(n => Text(CardText.Cut(CardText.Adaptive(n), MaxFindingChars), subtle: true, spacing: "None")).ToList();
        foreach (var note in waiting ? [] : notes)
        {
            details.Add(note);
        }

        var line = new JsonObject
        {
            ["type"] = "ColumnSet",
            ["columns"] = new JsonArray { new JsonObject { ["type"] = "Column", ["width"] = "stretch", ["items"] = new JsonArray { Text(head) } } },
        };
        if (details.Count > 0)
        {
            line["selectAction"] = Toggle("Details: " + CardText.Cut(CardText.Clean(o.Title), 80), detailsId);
            ((JsonArray)line["columns"]!).Add(new JsonObject
            {
                ["type"] = "Column", ["width"] = "auto",
                ["items"] = new JsonArray { Text("Details", color: "Accent", size: "Small", wrap: false) },
            });
        }

        var items = new JsonArray { line };
        AddIf(items, reboot && o.Risk is not null ? Text("Risk: " + CardText.Adaptive(o.Risk), spacing: "None", color: "Attention") : null);
        AddIf(items, o.Expectation is null ? null : Text(CardText.Adaptive(o.Expectation), spacing: "None", color: "Warning", weight: "Bolder"));
        AddIf(items, o.StateDetail is null ? null : Text(CardText.Cut(CardText.Adaptive(o.StateDetail), MaxFindingChars), color: o.State == OfferState.Rejected ? "Attention" : "Default"));
        foreach (var note in waiting ? notes : [])
        {
            items.Add(note);
        }

        if (o.Buttons.Count > 0)
        {
            items.Add(ActionSet([.. o.Buttons.Select(Button)]));
        }

        if (details.Count > 0)
        {
            items.Add(new JsonObject { ["type"] = "Container", ["id"] = detailsId, ["isVisible"] = false, ["items"] = details });
        }

        return new JsonObject { ["type"] = "Container", ["separator"] = true, ["items"] = items };
    }

    private static void AddIf(JsonArray items, JsonObject? item)
    {
        if (item is not null)
        {
            items.Add(item);
        }
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

    private static void AddEvidence(JsonArray items, IReadOnlyList<string> evidence, int budget, Uri? link, string? command)
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
            items.Add(Text($"… truncated ({omitted:N0} more characters){Pointer(link, command)}", subtle: true, spacing: "None"));
        }
    }

    private static string Pointer(Uri? link, string? command) => link is null
        ? ", full output: use Full output" + (command is null ? string.Empty : $" or {command} incident")
        : $", full output: [{CardText.Adaptive(link.Host)}]({link.AbsoluteUri})";

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

    private static JsonObject Text(string text, string? size = null, string? weight = null, string? color = null, bool subtle = false, string? spacing = null, bool separator = false, bool wrap = true)
    {
        // Without wrap a TextBlock is one line cut with an ellipsis (the schema's default, so the key is left out).
        var o = new JsonObject { ["type"] = "TextBlock", ["text"] = text };
        if (wrap)
        {
            o["wrap"] = true;
        }

        if (separator)
        {
            o["separator"] = true;
        }

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
