using System.Text.Json.Nodes;
using NetOpsBot.Cards;

namespace NetOpsBot.Teams.Surface;

/// <summary>
/// The incident card as Teams gets it: the shared Adaptive Card (1.5), approve/reject buttons only in the
/// approvers' view, Withdraw only in the requester's, and a <c>refresh</c> whose <c>userIds</c> make those people's
/// Teams clients fetch their view (Universal Actions user-specific views). Everyone else sees the base card.
/// </summary>
public static class TeamsCardRenderer
{
    public const string ContentType = "application/vnd.microsoft.card.adaptive";

    /// <summary>Teams allows at most 60 users in <c>refresh.userIds</c>.</summary>
    public const int MaxRefreshUsers = 60;

    /// <summary>Verb of the automatic refresh action (not a <see cref="CardAction"/> verb: it changes nothing).</summary>
    public const string RefreshVerb = "refresh";

    /// <summary>
    /// Teams' limit for one bot message, in UTF-16 code units: "The bot message size limit is 100 KB ... encoded as
    /// UTF-16", with the message itself recommended within 80 KB (Microsoft Learn, Teams platform, "Format your bot
    /// messages", https://learn.microsoft.com/microsoftteams/platform/bots/how-to/format-your-bot-messages). 80 KB of
    /// UTF-16 is 40,960 code units of two bytes: the recommended size, not the hard limit, so a 413 never happens.
    /// Not UTF-8 bytes: a CJK character is three UTF-8 bytes but one unit, an emoji four bytes but two units.
    /// </summary>
    public const int MaxActivityUtf16CodeUnits = 80 * 1024 / 2;

    public static JsonObject Render(DiagnosisCardView view, bool approverView, IReadOnlyCollection<string> refreshUserIds) =>
        Render(view, approverView ? CardViewer.Channel : new CardViewer(null, false), refreshUserIds);

    /// <summary>
    /// The card as <paramref name="viewer"/> sees it: the requester of a pending fix gets Withdraw, approvers Approve
    /// and Reject, everyone else neither (<see cref="CardViewer.Channel"/>: all of them, for clients without refresh).
    /// </summary>
    public static JsonObject Render(DiagnosisCardView view, CardViewer viewer, IReadOnlyCollection<string> refreshUserIds)
    {
        ArgumentNullException.ThrowIfNull(view);
        ArgumentNullException.ThrowIfNull(viewer);
        ArgumentNullException.ThrowIfNull(refreshUserIds);
        var shown = viewer.Sees(view);

        // One text block per line costs some size, so the card is rendered again with less evidence until the
        // Teams form fits the same budget the shared renderer keeps.
        var limit = AdaptiveCardOptions.Default.MaxUtf16CodeUnits;
        JsonObject card;
        for (var budget = limit; ; budget = budget * 4 / 5)
        {
            card = AdaptiveCardRenderer.Render(shown, AdaptiveCardOptions.Default with { MaxUtf16CodeUnits = budget });
            OneBlockPerLine(card);
            if (Utf16CodeUnits(card) <= limit || budget < limit / 10)
            {
                break;
            }
        }

        if (HasApprovalButtons(view) && refreshUserIds.Count > 0)
        {
            card["refresh"] = new JsonObject
            {
                ["action"] = new JsonObject
                {
                    ["type"] = "Action.Execute",
                    ["title"] = "Refresh",
                    ["verb"] = RefreshVerb,
                    ["data"] = new JsonObject { ["verb"] = RefreshVerb, ["incidentId"] = view.IncidentId },
                },
                ["userIds"] = new JsonArray([.. refreshUserIds.Take(MaxRefreshUsers).Select(id => (JsonNode)JsonValue.Create(id))]),
            };
        }

        return card;
    }

    /// <summary>A message activity carrying one card.</summary>
    public static JsonObject Message(JsonObject card) => new()
    {
        ["type"] = "message",
        ["attachments"] = new JsonArray
        {
            new JsonObject { ["contentType"] = ContentType, ["content"] = card },
        },
    };

    /// <summary>The size Teams counts: the serialized activity's UTF-16 code units (a .NET string's length is exactly that).</summary>
    public static int Utf16CodeUnits(JsonNode node)
    {
        ArgumentNullException.ThrowIfNull(node);
        return node.ToJsonString(Protocol.Activity.Json).Length;
    }

    /// <summary>
    /// Teams shows a TextBlock's text as markdown in which a single line break is a soft break: multi-line evidence
    /// (probe results, command output) in one monospace block ran together as one paragraph ("tcp 22: refused tcp
    /// 64443: open …"); Teams honours "\n" only inside lists ("Format cards in Teams", Microsoft Learn). Each line
    /// becomes its own monospace block in a container, so it is a line in every Teams client; leading spaces become
    /// no-break spaces, so column alignment stays and an indented line is not read as a markdown code block.
    /// </summary>
    internal static void OneBlockPerLine(JsonNode? node)
    {
        switch (node)
        {
            case JsonArray array:
                for (var i = 0; i < array.Count; i++)
                {
                    if (array[i] is JsonObject block && MultiLineMonospace(block) is { } lines)
                    {
                        array[i] = Lines(block, lines);
                    }
                    else
                    {
                        OneBlockPerLine(array[i]);
                    }
                }

                break;
            case JsonObject obj:
                foreach (var (_, value) in obj.ToList())
                {
                    OneBlockPerLine(value);
                }

                break;
        }
    }

    private static string[]? MultiLineMonospace(JsonObject block) =>
        (string?)block["type"] == "TextBlock" && (string?)block["fontType"] == "Monospace" && block["text"]?.GetValue<string>() is { } text && text.Contains('\n', StringComparison.Ordinal)
            ? text.Split('\n')
            : null;

    private static JsonObject Lines(JsonObject block, string[] lines)
    {
        var items = new JsonArray();
        foreach (var line in lines)
        {
            var indent = line.Length - line.TrimStart(' ').Length;
            var text = new string('\u00A0', indent) + line[indent..];
            var item = new JsonObject
            {
                ["type"] = "TextBlock",
                ["text"] = text.Length == 0 ? "\u00A0" : text,
                ["fontType"] = "Monospace",
                ["wrap"] = true,
                ["spacing"] = "None",
            };
            if (block["isSubtle"] is { } subtle)
            {
                item["isSubtle"] = subtle.DeepClone();
            }

            items.Add(item);
        }

        var container = new JsonObject { ["type"] = "Container", ["items"] = items };
        if (block["spacing"] is { } spacing)
        {
            container["spacing"] = spacing.DeepClone();
        }

        return container;
    }

    public static bool HasApprovalButtons(DiagnosisCardView view)
    {
        ArgumentNullException.ThrowIfNull(view);
        return view.Offers.Any(o => o.Buttons.Any(b => IsApproval(b.Action.Verb)));
    }

    private static bool IsApproval(CardActionVerb verb) => CardViewer.IsPerPerson(verb);
}
