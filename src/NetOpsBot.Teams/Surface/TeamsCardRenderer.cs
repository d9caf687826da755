using System.Text.Json.Nodes;
using NetOpsBot.Cards;

namespace NetOpsBot.Teams.Surface;

/// <summary>
/// The incident card as Teams gets it: the shared Adaptive Card (1.5), approve/reject buttons only in the
/// approvers' view, and a <c>refresh</c> whose <c>userIds</c> make the approvers' Teams clients fetch that view
/// (Universal Actions user-specific views). Everyone else sees the base card.
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

    public static JsonObject Render(DiagnosisCardView view, bool approverView, IReadOnlyCollection<string> refreshUserIds)
    {
        ArgumentNullException.ThrowIfNull(view);
        ArgumentNullException.ThrowIfNull(refreshUserIds);
        var shown = approverView ? view : WithoutApprovalButtons(view);
        var card = AdaptiveCardRenderer.Render(shown);
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

    public static bool HasApprovalButtons(DiagnosisCardView view)
    {
        ArgumentNullException.ThrowIfNull(view);
        return view.Offers.Any(o => o.Buttons.Any(b => IsApproval(b.Action.Verb)));
    }

    private static DiagnosisCardView WithoutApprovalButtons(DiagnosisCardView view) => view with
    {
        Offers = [.. view.Offers.Select(o => o with { Buttons = [.. o.Buttons.Where(b => !IsApproval(b.Action.Verb))] })],
    };

    private static bool IsApproval(CardActionVerb verb) => verb is CardActionVerb.Approve or CardActionVerb.Reject;
}
