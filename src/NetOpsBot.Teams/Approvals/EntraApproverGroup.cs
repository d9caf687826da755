using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using Azure.Core;
using Microsoft.Extensions.Logging;
using NetOpsBot.Core.Approvals;

namespace NetOpsBot.Teams.Approvals;

/// <summary>
/// Approvers from an Entra group, read through Microsoft Graph
/// (<c>GET /v1.0/groups/{id}/transitiveMembers/microsoft.graph.user?$select=id</c>, paged) with an app token
/// from Azure.Identity. The member list is cached; any failure answers false (fail closed) and is logged.
/// </summary>
public sealed partial class EntraApproverGroup : IApproverGroup, IDisposable
{
    public const string HttpClientName = "NetOpsBot.Teams.Graph";
    private readonly HttpClient _http;
    private readonly TokenCredential? _credential;
    private readonly Uri _first;
    private readonly string _scope;
    private readonly TimeSpan _cacheFor;
    private readonly TimeProvider _time;
    private readonly ILogger<EntraApproverGroup> _log;
    private readonly SemaphoreSlim _refresh = new(1, 1);
    private HashSet<string>? _members;
    private DateTimeOffset _readAt;

    public EntraApproverGroup(HttpClient http, TokenCredential? credential, string graphBaseUrl, string groupId, TimeSpan cacheFor, TimeProvider time, ILogger<EntraApproverGroup> log)
    {
        ArgumentNullException.ThrowIfNull(graphBaseUrl);
        _http = http;
        _credential = credential;
        _first = new Uri(graphBaseUrl.TrimEnd('/') + "/v1.0/groups/" + Uri.EscapeDataString(groupId) + "/transitiveMembers/microsoft.graph.user?$select=id&$top=999");

        // The token's resource is the Graph it is sent to (https://graph.microsoft.com/.default in the public cloud,
        // graph.microsoft.us or microsoftgraph.chinacloudapi.cn in the others): never a token for one host sent to another.
        _scope = graphBaseUrl.TrimEnd('/') + "/.default";
        _cacheFor = cacheFor;
        _time = time;
        _log = log;
    }

    public string Platform => TeamsPlatform.Key;

    public void Dispose() => _refresh.Dispose();

    public async ValueTask<bool> ContainsAsync(string userId, CancellationToken cancellationToken)
    {
        var members = await MembersAsync(cancellationToken).ConfigureAwait(false);
        return members is not null && members.Contains(userId);
    }

    private async Task<HashSet<string>?> MembersAsync(CancellationToken ct)
    {
        if (_members is { } cached && _time.GetUtcNow() - _readAt < _cacheFor)
        {
            return cached;
        }

        await _refresh.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            if (_members is { } again && _time.GetUtcNow() - _readAt < _cacheFor)
            {
                return again;
            }

            var read = await ReadAsync(ct).ConfigureAwait(false);
            _members = read;
            _readAt = _time.GetUtcNow();
            return read;
        }
#pragma warning disable CA1031 // any failure to read the group means "not an approver", never an open door or a crash
        catch (Exception ex) when (ex is not OperationCanceledException || !ct.IsCancellationRequested)
#pragma warning restore CA1031
        {
            LogGroupUnreadable(_log, ex.GetType().Name, ex.Message);

            // A stale list would keep a removed approver in; no list keeps everyone out until Graph answers.
            _members = null;
            return null;
        }
        finally
        {
            _refresh.Release();
        }
    }

    private async Task<HashSet<string>> ReadAsync(CancellationToken ct)
    {
        var token = _credential is null ? null : (await _credential.GetTokenAsync(new TokenRequestContext([_scope]), ct).ConfigureAwait(false)).Token;
        var members = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        Uri? next = _first;
        for (var page = 0; next is not null && page < 100; page++)
        {
            // Paging links must stay on the Graph host we were configured with (never follow a link elsewhere with our token).
            if (!string.Equals(next.Authority, _first.Authority, StringComparison.OrdinalIgnoreCase) || next.Scheme != _first.Scheme)
            {
                throw new InvalidOperationException("Graph paging link points to another host");
            }

            using var request = new HttpRequestMessage(HttpMethod.Get, next);
            if (token is not null)
            {
                request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
            }

            using var response = await _http.SendAsync(request, ct).ConfigureAwait(false);
            if (!response.IsSuccessStatusCode)
            {
                throw new HttpRequestException($"Graph answered {(int)response.StatusCode} {response.StatusCode}", null, response.StatusCode);
            }

            var body = JsonNode.Parse(await response.Content.ReadAsStringAsync(ct).ConfigureAwait(false)) as JsonObject
                ?? throw new InvalidOperationException("Graph answered something that is not a JSON object");
            foreach (var m in body["value"]?.AsArray() ?? [])
            {
                if (m?["id"]?.GetValue<string>() is { Length: > 0 } id)
                {
                    members.Add(id);
                }
            }

            next = body["@odata.nextLink"]?.GetValue<string>() is { } link ? new Uri(link) : null;
        }

        return members;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Teams: the approver group could not be read ({Error}: {Detail}); nobody is an approver through it until it can")]
    private static partial void LogGroupUnreadable(ILogger log, string error, string detail);
}
