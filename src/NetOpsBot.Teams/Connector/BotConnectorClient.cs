using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;

namespace NetOpsBot.Teams.Connector;

/// <summary>A Teams member as the roster returns them: bot-scoped id (29:…) and Entra object id.</summary>
public sealed record ConversationMember(string Id, string? AadObjectId, string? Name);

/// <summary>The new thread (channel) or chat a create-conversation call made.</summary>
public sealed record CreatedConversation(string Id, string? ActivityId);

/// <summary>
/// Bot Connector REST v3 over one HttpClient whose pipeline retries 429 (honouring Retry-After), 412 and 5xx.
/// Calls go only to serviceUrls of stored conversation references (they came in authenticated activities),
/// and a token is attached only for conversations that were authenticated.
/// </summary>
public sealed class BotConnectorClient(HttpClient http, IConnectorTokenSource tokens)
{
    public const string HttpClientName = "NetOpsBot.Teams.Connector";

    public async Task<string?> SendAsync(ConversationRef target, string conversationId, JsonObject activity, CancellationToken ct) =>
        (await CallAsync(HttpMethod.Post, target, Path(conversationId), activity, "send", ct).ConfigureAwait(false))?["id"]?.GetValue<string>();

    public async Task<string?> ReplyAsync(ConversationRef target, string conversationId, string replyToId, JsonObject activity, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(activity);
        activity["replyToId"] = replyToId;
        return (await CallAsync(HttpMethod.Post, target, Path(conversationId, replyToId), activity, "reply", ct).ConfigureAwait(false))?["id"]?.GetValue<string>();
    }

    public async Task UpdateAsync(ConversationRef target, string conversationId, string activityId, JsonObject activity, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(activity);
        activity["id"] = activityId;
        await CallAsync(HttpMethod.Put, target, Path(conversationId, activityId), activity, "update", ct).ConfigureAwait(false);
    }

    /// <summary>A new thread in a Teams channel (what TeamsInfo.sendMessageToTeamsChannel sends), or a new chat.</summary>
    public async Task<CreatedConversation> CreateConversationAsync(ConversationRef target, JsonObject parameters, CancellationToken ct)
    {
        var body = await CallAsync(HttpMethod.Post, target, "v3/conversations", parameters, "create conversation", ct).ConfigureAwait(false);
        var id = body?["id"]?.GetValue<string>() ?? throw new ConnectorException("Bot Connector create conversation returned no conversation id");
        return new CreatedConversation(id, body["activityId"]?.GetValue<string>());
    }

    /// <summary>Everyone in a conversation (paged roster), to map Entra object ids onto the ids cards address.</summary>
    public async Task<IReadOnlyList<ConversationMember>> MembersAsync(ConversationRef target, string conversationId, CancellationToken ct)
    {
        var members = new List<ConversationMember>();
        string? continuation = null;
        for (var page = 0; page < 50; page++)
        {
            var path = Path(conversationId) [..^"/activities".Length] + "/pagedmembers?pageSize=500"
                + (continuation is null ? string.Empty : "&continuationToken=" + Uri.EscapeDataString(continuation));
            var body = await CallAsync(HttpMethod.Get, target, path, null, "members", ct).ConfigureAwait(false);
            foreach (var m in body?["members"]?.AsArray() ?? [])
            {
                if (m?["id"]?.GetValue<string>() is { } id)
                {
                    members.Add(new ConversationMember(id, (m["aadObjectId"] ?? m["objectId"])?.GetValue<string>(), m["name"]?.GetValue<string>()));
                }
            }

            continuation = body?["continuationToken"]?.GetValue<string>();
            if (string.IsNullOrEmpty(continuation))
            {
                break;
            }
        }

        return members;
    }

    private static string Path(string conversationId, string? activityId = null) =>
        "v3/conversations/" + Uri.EscapeDataString(conversationId) + "/activities" + (activityId is null ? string.Empty : "/" + Uri.EscapeDataString(activityId));

    private async Task<JsonObject?> CallAsync(HttpMethod method, ConversationRef target, string path, JsonObject? body, string operation, CancellationToken ct)
    {
        var uri = new Uri(target.ServiceUrl.TrimEnd('/') + "/" + path, UriKind.Absolute);
        if (uri.Scheme != Uri.UriSchemeHttps && !uri.IsLoopback)
        {
            throw new ConnectorException($"Bot Connector {operation} refused: serviceUrl must be https (loopback only for local testing)");
        }

        using var request = new HttpRequestMessage(method, uri);
        if (target.Authenticated && await tokens.GetTokenAsync(ct).ConfigureAwait(false) is { } token)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        if (body is not null)
        {
            request.Content = new StringContent(body.ToJsonString(Protocol.Activity.Json), Encoding.UTF8, "application/json");
        }

        using var response = await http.SendAsync(request, ct).ConfigureAwait(false);
        var text = await response.Content.ReadAsStringAsync(ct).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
        {
            throw new ConnectorException(operation, response.StatusCode, text.Length > 200 ? text[..200] : text);
        }

        // 202 with no body happens (the Playground splits text + attachments); an id is a courtesy, not a promise.
        if (response.StatusCode == HttpStatusCode.Accepted || string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        try
        {
            return JsonNode.Parse(text) as JsonObject;
        }
        catch (System.Text.Json.JsonException)
        {
            return null;
        }
    }
}
