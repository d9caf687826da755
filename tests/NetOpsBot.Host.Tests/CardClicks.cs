using System.Net.Http.Json;
using System.Text.Json;

namespace NetOpsBot.Host.Tests;

/// <summary>
/// Clicks as the web chat page makes them: the button's data is read from the incident's card as the host
/// renders it now (it names the request and the hash of the commands shown), never written by hand.
/// </summary>
internal static class CardClicks
{
    /// <summary>The data of the card's <paramref name="verb"/> button for <paramref name="plan"/>; throws when the card has none.</summary>
    public static async Task<JsonElement> DataAsync(HttpClient http, string id, string verb, string plan)
    {
        var incident = await http.GetFromJsonAsync<JsonElement>($"/api/incidents/{id}");
        var card = incident.GetProperty("card");
        return Find(card, verb, plan) ?? throw new InvalidOperationException($"the card of {id} has no '{verb}' button for {plan}: {card}");
    }

    /// <summary>A POST /api/chat/actions body for <paramref name="user"/> clicking that button.</summary>
    public static async Task<object> BodyAsync(HttpClient http, string id, string user, string verb, string plan) =>
        new { user, data = await DataAsync(http, id, verb, plan) };

    /// <summary>The data of the <paramref name="verb"/> button for <paramref name="plan"/> in a rendered card, if it has one.</summary>
    public static JsonElement? Find(JsonElement e, string verb, string plan)
    {
        switch (e.ValueKind)
        {
            case JsonValueKind.Object:
                if (e.TryGetProperty("data", out var data) && data.ValueKind == JsonValueKind.Object
                    && data.TryGetProperty("verb", out var v) && v.GetString() == verb
                    && data.TryGetProperty("planId", out var p) && p.GetString() == plan)
                {
                    return data;
                }

                foreach (var property in e.EnumerateObject())
                {
                    if (Find(property.Value, verb, plan) is { } found)
                    {
                        return found;
                    }
                }

                return null;
            case JsonValueKind.Array:
                foreach (var item in e.EnumerateArray())
                {
                    if (Find(item, verb, plan) is { } found)
                    {
                        return found;
                    }
                }

                return null;
            default:
                return null;
        }
    }
}
