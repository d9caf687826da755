using System.Net;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace NetOpsBot.Teams.Tests.Infrastructure;

/// <summary>
/// Microsoft Graph's <c>GET /v1.0/groups/{id}/transitiveMembers/microsoft.graph.user</c> on 127.0.0.1: OData pages of
/// <c>{"@odata.type":"#microsoft.graph.user","id":…}</c> with <c>@odata.nextLink</c> ($skiptoken), Graph's error
/// shape for an unknown group, 401 for a token the fake Entra did not issue for this Graph, and a switch that makes it
/// answer 503 (Graph down).
/// </summary>
internal sealed class FakeGraph : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly Func<string?, string, bool> _tokenIssued;
    private int _requests;

    private FakeGraph(WebApplication app, Func<string?, string, bool> tokenIssued)
    {
        _app = app;
        _tokenIssued = tokenIssued;
    }

    /// <summary>http://127.0.0.1:port — what <c>Teams:GraphBaseUrl</c> is set to.</summary>
    public string BaseUrl { get; private set; } = null!;

    /// <summary>The scope a token for this Graph is requested with.</summary>
    public string Scope => BaseUrl + "/.default";

    /// <summary>Group object id → member object ids (transitive, users only).</summary>
    public Dictionary<string, List<string>> Groups { get; } = new(StringComparer.OrdinalIgnoreCase);

    public int PageSize { get; set; } = 999;

    /// <summary>Where <c>@odata.nextLink</c> points (default: this server); another host tests that the bot does not follow it.</summary>
    public string? NextLinkBase { get; set; }

    /// <summary>While true every request gets 503 serviceNotAvailable.</summary>
    public bool Down { get; set; }

    /// <summary>How long a members read takes to answer (a slow Graph).</summary>
    public TimeSpan Delay { get; set; }

    public int Requests => Volatile.Read(ref _requests);

    public static async Task<FakeGraph> StartAsync(Func<string?, string, bool> tokenIssued)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseKestrel(o => o.Listen(IPAddress.Loopback, 0));
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var graph = new FakeGraph(app, tokenIssued);
        app.MapGet("/v1.0/groups/{id}/transitiveMembers/microsoft.graph.user", graph.Members);
        await app.StartAsync();
        graph.BaseUrl = $"http://127.0.0.1:{new Uri(app.Urls.First()).Port}";
        return graph;
    }

    private async Task<IResult> Members(HttpContext ctx, string id)
    {
        Interlocked.Increment(ref _requests);
        await Task.Delay(Delay);
        if (Down)
        {
            return Error(503, "serviceNotAvailable", "Service is unavailable.");
        }

        var auth = ctx.Request.Headers.Authorization.ToString();
        if (!auth.StartsWith("Bearer ", StringComparison.Ordinal) || !_tokenIssued(auth["Bearer ".Length..], Scope))
        {
            return Error(401, "InvalidAuthenticationToken", "Access token validation failure. Invalid audience.");
        }

        if (!Groups.TryGetValue(id, out var members))
        {
            return Error(404, "Request_ResourceNotFound", $"Resource '{id}' does not exist or one of its queried reference-property objects are not present.");
        }

        var top = int.TryParse(ctx.Request.Query["$top"], out var t) ? Math.Min(t, PageSize) : PageSize;
        var skip = int.TryParse(ctx.Request.Query["$skiptoken"], out var s) ? s : 0;
        var page = new JsonArray();
        foreach (var m in members.Skip(skip).Take(top))
        {
            page.Add(new JsonObject { ["@odata.type"] = "#microsoft.graph.user", ["id"] = m });
        }

        var body = new JsonObject
        {
            ["@odata.context"] = $"{BaseUrl}/v1.0/$metadata#users(id)",
            ["value"] = page,
        };
        if (skip + top < members.Count)
        {
            body["@odata.nextLink"] = $"{NextLinkBase ?? BaseUrl}/v1.0/groups/{id}/transitiveMembers/microsoft.graph.user?$select=id&$top={top}&$skiptoken={skip + top}";
        }

        return Results.Json(body);
    }

    private static IResult Error(int status, string code, string message) => Results.Json(
        new JsonObject
        {
            ["error"] = new JsonObject
            {
                ["code"] = code,
                ["message"] = message,
                ["innerError"] = new JsonObject { ["request-id"] = Guid.NewGuid().ToString(), ["client-request-id"] = Guid.NewGuid().ToString() },
            },
        },
        statusCode: status);

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
