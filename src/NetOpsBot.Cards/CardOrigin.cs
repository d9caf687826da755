using System.Text.Json;
using System.Text.Json.Nodes;

namespace NetOpsBot.Cards;

/// <summary>
/// What opened the incident when no person did: a monitoring alert, with its labels and the link back to the
/// alert's source (Alertmanager's <c>generatorURL</c>). Read from the Requested event's data (<c>{"alert": …}</c>).
/// </summary>
public sealed record CardOrigin(string OpenedBy, string Labels, Uri? Link)
{
    public static CardOrigin? FromData(string? data)
    {
        if (data is null)
        {
            return null;
        }

        try
        {
            if (JsonNode.Parse(data)?["alert"] is not JsonObject alert)
            {
                return null;
            }

            var name = (string?)alert["name"] ?? "alert";
            var source = (string?)alert["sourceName"] ?? (string?)alert["source"] ?? "monitoring";
            var labels = alert["labels"] is JsonObject l
                ? string.Join(", ", l.Where(p => p.Key != "alertname").Select(p => $"{p.Key}={(string?)p.Value}"))
                : string.Empty;
            var link = Uri.TryCreate((string?)alert["url"], UriKind.Absolute, out var u) && (u.Scheme == Uri.UriSchemeHttp || u.Scheme == Uri.UriSchemeHttps) ? u : null;
            return new CardOrigin($"alert {name} from {source}", labels, link);
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or FormatException)
        {
            return null;
        }
    }
}
