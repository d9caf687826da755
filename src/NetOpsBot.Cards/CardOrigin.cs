using NetOpsBot.Core.Incidents;

namespace NetOpsBot.Cards;

/// <summary>
/// What opened the incident when no person did: a monitoring alert, with its labels and the link back to the
/// alert's source (Alertmanager's <c>generatorURL</c>), as the Requested event records it.
/// </summary>
public sealed record CardOrigin(string OpenedBy, string Labels, Uri? Link)
{
    public static CardOrigin From(AlertOrigin alert)
    {
        ArgumentNullException.ThrowIfNull(alert);
        var labels = string.Join(", ", alert.Labels.Where(p => p.Key != "alertname").Select(p => $"{p.Key}={p.Value}"));

        // Only web links: a javascript: or file: URL from a payload must never become a button.
        var link = Uri.TryCreate(alert.Url, UriKind.Absolute, out var u) && (u.Scheme == Uri.UriSchemeHttp || u.Scheme == Uri.UriSchemeHttps) ? u : null;
        return new CardOrigin(alert.OpenedBy, labels, link);
    }
}
