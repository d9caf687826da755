using System.Text;
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

    /// <summary>Teams refuses bot messages over about 100 KB.</summary>
    public const int MaxActivityBytes = 100_000;

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

    public static int Bytes(JsonNode node)
    {
        ArgumentNullException.ThrowIfNull(node);
        return Encoding.UTF8.GetByteCount(node.ToJsonString(Protocol.Activity.Json));
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
