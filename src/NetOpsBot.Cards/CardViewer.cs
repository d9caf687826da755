using System.Globalization;
using NetOpsBot.Core.Incidents;

namespace NetOpsBot.Cards;

/// <summary>
/// Who looks at a card, for the buttons that depend on the person: the requester of a pending fix gets Withdraw and
/// no Approve/Reject (they cannot approve their own request); an approver gets Approve and Reject; anyone else gets
/// neither. This only decides what is shown: every click is still judged at click time by the approval service.
/// </summary>
/// <param name="Key">The viewer as <c>platform:userId</c>; null for a view meant for nobody in particular.</param>
/// <param name="IsApprover">True when the viewer is in the approver group now.</param>
public sealed record CardViewer(string? Key, bool IsApprover)
{
    /// <summary>
    /// One card for everybody in the channel (Slack; a Teams client without Universal Actions refresh): every button
    /// is shown with its state, and a click the person may not make gets a private explanation.
    /// </summary>
    public static CardViewer Channel { get; } = new(null, true) { Shared = true };

    /// <summary>True for <see cref="Channel"/>.</summary>
    public bool Shared { get; private init; }

    /// <summary><c>platform:userId</c>, the form of <see cref="RemediationOfferView.RequesterKey"/>.</summary>
    public static string KeyOf(ChatUser user)
    {
        ArgumentNullException.ThrowIfNull(user);
        return user.Platform + ":" + user.UserId;
    }

    /// <summary>The account in a timeline actor written by <see cref="ChatUser.ToString"/> ("Alice (slack:U1)"); null for the bot.</summary>
    public static string? KeyOfActor(string? actor)
    {
        if (actor is null || !actor.EndsWith(')'))
        {
            return null;
        }

        var open = actor.LastIndexOf(" (", StringComparison.Ordinal);
        var key = open < 0 ? null : actor[(open + 2)..^1];
        return key is not null && key.Contains(':', StringComparison.Ordinal) && !key.Contains(' ', StringComparison.Ordinal) ? key : null;
    }

    /// <summary>The card as this viewer sees it.</summary>
    public DiagnosisCardView Sees(DiagnosisCardView view)
    {
        ArgumentNullException.ThrowIfNull(view);
        return view with { Offers = [.. view.Offers.Select(o => o with { Buttons = [.. o.Buttons.Where(b => Shows(o, b.Action.Verb))] })] };
    }

    private bool Shows(RemediationOfferView offer, CardActionVerb verb)
    {
        if (Shared)
        {
            return true;
        }

        var requester = Key is not null && string.Equals(Key, offer.RequesterKey, StringComparison.Ordinal);
        return verb switch
        {
            CardActionVerb.Withdraw => requester,
            CardActionVerb.Approve or CardActionVerb.Reject => IsApprover && !requester,
            _ => true,
        };
    }

    /// <summary>True for the buttons whose visibility depends on the person.</summary>
    public static bool IsPerPerson(CardActionVerb verb) => verb is CardActionVerb.Approve or CardActionVerb.Reject or CardActionVerb.Withdraw;

    /// <summary>Stamps the time left before each pending request expires, as of <paramref name="now"/>.</summary>
    public static DiagnosisCardView At(DiagnosisCardView view, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(view);
        return view with
        {
            Offers = [.. view.Offers.Select(o => o.State == OfferState.PendingApproval && o.ExpiresAt is { } until
                ? o with { TimeLeft = until > now ? until - now : TimeSpan.Zero }
                : o)],
        };
    }

    /// <summary>"2026-12-06 05:12:00 UTC (14 min left)": when a pending request expires, one format for every surface.</summary>
    public static string? Expiry(RemediationOfferView offer)
    {
        ArgumentNullException.ThrowIfNull(offer);
        if (offer.State != OfferState.PendingApproval || offer.ExpiresAt is not { } until)
        {
            return null;
        }

        var at = CardText.Time(until);
        return offer.TimeLeft switch
        {
            null => at,
            { } left when left <= TimeSpan.Zero => at + " (expired)",
            { } left when left < TimeSpan.FromMinutes(1) => at + " (less than 1 min left)",
            { } left => at + string.Create(CultureInfo.InvariantCulture, $" ({(int)Math.Ceiling(left.TotalMinutes)} min left)"),
        };
    }
}
