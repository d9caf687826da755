using System.Net;
using Microsoft.Extensions.Options;
using NetOpsBot.Core.Approvals;
using NetOpsBot.Core.Incidents;

namespace NetOpsBot.Host.WebChat;

internal enum WebChatMode
{
    Off,

    /// <summary>alice/bob/carol picked in the page, no login: Development on loopback (or the compose override) only.</summary>
    DemoUsers,

    OpenIdConnect,
}

/// <summary>How the web chat is exposed, decided once at start-up from configuration and the environment.</summary>
internal sealed record WebChatSecurityPlan(WebChatMode Mode, IReadOnlyList<string> AllowedHosts, bool LoopbackCallersOnly, string? Warning)
{
    public static readonly WebChatSecurityPlan Disabled = new(WebChatMode.Off, [], false, null);
}

/// <summary>
/// Who may reach the web chat and how a request proves it. The page can be reached by any web page the operator
/// visits (cross-site posts, DNS rebinding), so every state-changing call must carry what a cross-site form cannot
/// (a JSON content type and a custom header, both of which need a CORS preflight the host never grants), and the
/// Host header must be one of ours.
/// </summary>
internal static class WebChatSecurity
{
    public const string Header = "X-NetOpsBot-WebChat";
    public const string Platform = "webchat";

    private const string Key = "NetOps:WebChat";
    private static readonly string[] DevelopmentHosts = ["localhost", "127.0.0.1", "[::1]"];

    /// <summary>The plan for this host, or an exception naming the key to set when the web chat would be open without identity.</summary>
    public static WebChatSecurityPlan Plan(WebChatSettings settings, IConfiguration configuration, IHostEnvironment environment)
    {
        if (!settings.Enabled)
        {
            return WebChatSecurityPlan.Disabled;
        }

        var development = environment.IsDevelopment();
        var problems = new List<string>();
        var mode = WebChatMode.Off;
        string? warning = null;
        var loopbackOnly = false;
        if (settings.AllowDemoUsersOnContainerNetwork && !development)
        {
            problems.Add($"{Key}:AllowDemoUsersOnContainerNetwork is valid only with ASPNETCORE_ENVIRONMENT=Development (this host runs as '{environment.EnvironmentName}'). Remove it and set {Key}:Authentication=OpenIdConnect.");
        }

        if (string.Equals(settings.Authentication, WebChatAuthentication.OpenIdConnect, StringComparison.OrdinalIgnoreCase))
        {
            mode = WebChatMode.OpenIdConnect;
            problems.AddRange(OpenIdConnectProblems(settings.OpenIdConnect));
            if (settings.AllowDemoUsersOnContainerNetwork)
            {
                problems.Add($"{Key}:AllowDemoUsersOnContainerNetwork is for demo users; it cannot be set with {Key}:Authentication=OpenIdConnect.");
            }
        }
        else if (string.Equals(settings.Authentication, WebChatAuthentication.None, StringComparison.OrdinalIgnoreCase) || string.IsNullOrWhiteSpace(settings.Authentication))
        {
            mode = WebChatMode.DemoUsers;
            var nonLoopback = NonLoopbackUrls(configuration);
            if (!development)
            {
                problems.Add($"{Key}:Authentication is None: the web chat would let anyone act as {string.Join("/", settings.Users)} without signing in. Demo users are allowed only with ASPNETCORE_ENVIRONMENT=Development on a host that listens on loopback only; this host runs as '{environment.EnvironmentName}'. Set {Key}:Authentication=OpenIdConnect (with {Key}:OpenIdConnect:Authority, ClientId, ClientSecret) or {Key}:Enabled=false.");
            }
            else if (settings.AllowDemoUsersOnContainerNetwork)
            {
                warning = $"{Key}:AllowDemoUsersOnContainerNetwork=true: the web chat's demo users (no login, anyone reaching port {string.Join(", ", nonLoopback.DefaultIfEmpty("of this host"))} acts as {string.Join("/", settings.Users)}) are open on the container network. Publish the port on the machine's loopback only (127.0.0.1:8080:8080). Never in production.";
            }
            else if (nonLoopback.Count > 0)
            {
                problems.Add($"{Key}:Authentication is None (demo users, no login), so the host must listen on loopback only, but it is configured to listen on {string.Join(", ", nonLoopback)}. Set ASPNETCORE_URLS=http://127.0.0.1:<port>, or {Key}:Authentication=OpenIdConnect, or {Key}:Enabled=false.");
            }
            else
            {
                loopbackOnly = true;
            }
        }
        else
        {
            problems.Add($"{Key}:Authentication must be {WebChatAuthentication.None} (demo users, Development on loopback only) or {WebChatAuthentication.OpenIdConnect}; it is '{settings.Authentication}'.");
        }

        var hosts = settings.AllowedHosts.Where(h => !string.IsNullOrWhiteSpace(h)).Select(h => h.Trim()).ToList();
        if (hosts.Count == 0)
        {
            if (!string.IsNullOrWhiteSpace(settings.PublicHostName))
            {
                hosts.Add(settings.PublicHostName.Trim());
            }

            if (development)
            {
                hosts.AddRange(DevelopmentHosts);
            }
        }

        if (hosts.Count == 0)
        {
            problems.Add($"{Key}:PublicHostName must be set to the host name people use to reach the web chat (its Host header; requests naming any other host are refused), or list them in {Key}:AllowedHosts.");
        }

        if (problems.Count > 0)
        {
            throw new OptionsValidationException(Key, typeof(WebChatSettings), problems);
        }

        return new WebChatSecurityPlan(mode, hosts, loopbackOnly, warning);
    }

    private static IEnumerable<string> OpenIdConnectProblems(WebChatOpenIdConnectSettings oidc)
    {
        if (!Uri.TryCreate(oidc.Authority, UriKind.Absolute, out var authority) || (authority.Scheme != Uri.UriSchemeHttps && (oidc.RequireHttpsMetadata || authority.Scheme != Uri.UriSchemeHttp)))
        {
            yield return $"{Key}:OpenIdConnect:Authority must be the provider's https issuer URL (e.g. https://login.microsoftonline.com/<tenant>/v2.0).";
        }

        if (string.IsNullOrWhiteSpace(oidc.ClientId))
        {
            yield return $"{Key}:OpenIdConnect:ClientId must be set.";
        }

        if (string.IsNullOrWhiteSpace(oidc.ClientSecret))
        {
            yield return $"{Key}:OpenIdConnect:ClientSecret must be set (as an environment variable or a Key Vault secret, not in a file).";
        }

        if (string.IsNullOrWhiteSpace(oidc.ApproverClaim) != string.IsNullOrWhiteSpace(oidc.ApproverClaimValue))
        {
            yield return $"{Key}:OpenIdConnect:ApproverClaim and ApproverClaimValue go together (e.g. groups and the approver group's id).";
        }
    }

    /// <summary>Every configured listen URL whose host is not loopback (wildcards, addresses, names); empty when only loopback.</summary>
    internal static IReadOnlyList<string> NonLoopbackUrls(IConfiguration configuration)
    {
        var urls = new List<string>();
        urls.AddRange(Split(configuration["urls"]));
        urls.AddRange(Split(configuration["http_ports"]).Select(p => $"http://*:{p}"));
        urls.AddRange(Split(configuration["https_ports"]).Select(p => $"https://*:{p}"));
        urls.AddRange(configuration.GetSection("Kestrel:Endpoints").GetChildren().Select(e => e["Url"]).OfType<string>());
        return urls.Where(u => !IsLoopbackUrl(u)).ToList();

        static IEnumerable<string> Split(string? value) => value?.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries) ?? [];
    }

    internal static bool IsLoopbackUrl(string url)
    {
        try
        {
            var host = BindingAddress.Parse(url).Host;
            return string.Equals(host, "localhost", StringComparison.OrdinalIgnoreCase)
                || (IPAddress.TryParse(host.Trim('[', ']'), out var ip) && IPAddress.IsLoopback(ip));
        }
        catch (FormatException)
        {
            return false;
        }
    }

    /// <summary>Paths of the other surfaces (Teams, Slack, probes): they have their own authentication, not the web chat's.</summary>
    internal static bool IsOtherSurface(PathString path) =>
        path.StartsWithSegments("/healthz") || path.StartsWithSegments("/readyz") || path.StartsWithSegments("/api/messages") || path.StartsWithSegments("/slack") || path.StartsWithSegments("/api/alerts");

    /// <summary>The web chat's API (answers 401/415/400, never a sign-in redirect).</summary>
    internal static bool IsApi(PathString path) => path.StartsWithSegments("/api/chat") || path.StartsWithSegments("/api/incidents");

    internal static bool HostAllowed(WebChatSecurityPlan plan, HostString host)
    {
        if (!host.HasValue)
        {
            return false;
        }

        var name = host.Host.Trim('[', ']');
        foreach (var allowed in plan.AllowedHosts)
        {
            var a = allowed.Trim('[', ']');
            if (string.Equals(a, name, StringComparison.OrdinalIgnoreCase)
                || (a.StartsWith("*.", StringComparison.Ordinal) && name.EndsWith(a[1..], StringComparison.OrdinalIgnoreCase)))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// Guards in front of the web chat (page, API, sign-in callback): body size for every path, then for the web chat's
    /// own paths the Host header, loopback callers for demo users, and the JSON + custom header rule on state changes.
    /// </summary>
    public static void UseGuards(WebApplication app, WebChatSecurityPlan plan, long maxBodyBytes)
    {
        app.Use(async (context, next) =>
        {
            var request = context.Request;
            // The alert receivers take whole alert groups and enforce their own cap (NetOps:Alerts:MaxBodyBytes).
            if (request.ContentLength > maxBodyBytes && !request.Path.StartsWithSegments("/api/alerts"))
            {
                await Refuse(context, StatusCodes.Status413PayloadTooLarge, $"Request body too large (more than {maxBodyBytes} bytes).").ConfigureAwait(false);
                return;
            }

            if (plan.Mode == WebChatMode.Off || IsOtherSurface(request.Path))
            {
                await next(context).ConfigureAwait(false);
                return;
            }

            if (!HostAllowed(plan, request.Host))
            {
                await Refuse(context, StatusCodes.Status400BadRequest, "This host name is not served here (NetOps:WebChat:PublicHostName / AllowedHosts).").ConfigureAwait(false);
                return;
            }

            if (plan.LoopbackCallersOnly && context.Connection.RemoteIpAddress is { } remote && !IPAddress.IsLoopback(remote))
            {
                await Refuse(context, StatusCodes.Status403Forbidden, "Demo users are served to this machine only.").ConfigureAwait(false);
                return;
            }

            if (IsApi(request.Path) && (HttpMethods.IsPost(request.Method) || HttpMethods.IsPut(request.Method) || HttpMethods.IsDelete(request.Method) || HttpMethods.IsPatch(request.Method)))
            {
                if (!request.HasJsonContentType())
                {
                    await Refuse(context, StatusCodes.Status415UnsupportedMediaType, "Send JSON (Content-Type: application/json).").ConfigureAwait(false);
                    return;
                }

                if (!string.Equals(request.Headers[Header].ToString(), "1", StringComparison.Ordinal))
                {
                    await Refuse(context, StatusCodes.Status400BadRequest, $"Missing header {Header}: 1.").ConfigureAwait(false);
                    return;
                }
            }

            await next(context).ConfigureAwait(false);
        });
    }

    internal static Task Refuse(HttpContext context, int status, string error)
    {
        context.Response.StatusCode = status;
        return context.Response.WriteAsJsonAsync(new { error });
    }

    /// <summary>
    /// The acting user of a web chat request. Signed in: the principal's subject, whatever the body says. Demo users:
    /// the name picked in the page (one of NetOps:WebChat:Users), a demo identity on the webchat platform.
    /// </summary>
    public static ChatUser? ActingUser(HttpContext context, WebChatSecurityPlan plan, WebChatSettings settings, string? bodyUser)
    {
        switch (plan.Mode)
        {
            case WebChatMode.OpenIdConnect:
                var principal = context.User;
                if (principal.Identity?.IsAuthenticated != true || principal.FindFirst("sub")?.Value is not { Length: > 0 } sub)
                {
                    return null;
                }

                if (sub.Length > 128 || sub.Any(c => char.IsControl(c) || char.IsWhiteSpace(c)))
                {
                    return null;
                }

                // The provider's display name is shown, never trusted: one line, bounded.
                var name = new string((principal.FindFirst("name")?.Value ?? principal.FindFirst("preferred_username")?.Value ?? sub).Where(c => !char.IsControl(c)).Take(200).ToArray()).Trim();
                return new ChatUser(Platform, sub, name.Length > 0 ? name : sub);
            case WebChatMode.DemoUsers:
                return bodyUser is not null && settings.Users.Contains(bodyUser, StringComparer.Ordinal) ? new ChatUser(Platform, bodyUser, bodyUser) : null;
            default:
                return null;
        }
    }

    /// <summary>Whose share of the live-stream cap a stream counts against.</summary>
    public static string StreamOwner(HttpContext context, WebChatSecurityPlan plan) =>
        plan.Mode == WebChatMode.OpenIdConnect && context.User.FindFirst("sub")?.Value is { } sub
            ? "sub:" + sub
            : "ip:" + (context.Connection.RemoteIpAddress?.ToString() ?? "unknown");
}

/// <summary>
/// Approvers by a claim of the signed-in web chat user (e.g. groups contains the approver group's id). Asked during the
/// click's own request, so it answers only for the principal of that request and fails closed otherwise. The approver
/// directory (NetOps:People) can take this check's place or sit beside it: it is one IApproverGroup.
/// </summary>
internal sealed class WebChatClaimApprovers(IHttpContextAccessor http, string claimType, string claimValue) : IApproverGroup
{
    public string Platform => WebChatSecurity.Platform;

    public ValueTask<bool> ContainsAsync(string userId, CancellationToken cancellationToken)
    {
        var principal = http.HttpContext?.User;
        var isThem = principal?.Identity?.IsAuthenticated == true && string.Equals(principal.FindFirst("sub")?.Value, userId, StringComparison.Ordinal);
        return ValueTask.FromResult(isThem && principal!.HasClaim(c => string.Equals(c.Type, claimType, StringComparison.Ordinal) && string.Equals(c.Value, claimValue, StringComparison.Ordinal)));
    }
}
