using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;
using NetOpsBot.Core.Approvals;

namespace NetOpsBot.Host.WebChat;

/// <summary>
/// Web chat sign-in (NetOps:WebChat:Authentication=OpenIdConnect): authorization code flow with PKCE against any OpenID
/// Connect provider, then a host cookie. The acting user is the cookie's subject; the API answers 401 without it, the
/// page sends the browser to the provider.
/// </summary>
internal static partial class WebChatSignIn
{
    public const string CookieName = "netopsbot.webchat";

    // profile: the name shown in the channel and on the timeline.
    private static readonly string[] BaseScopes = ["openid", "profile"];

    public static void AddServices(IServiceCollection services, WebChatSettings settings)
    {
        var oidc = settings.OpenIdConnect;
        services.AddHttpContextAccessor();
        services.AddAuthentication(o =>
            {
                o.DefaultScheme = CookieAuthenticationDefaults.AuthenticationScheme;
                o.DefaultChallengeScheme = OpenIdConnectDefaults.AuthenticationScheme;
            })
            .AddCookie(o =>
            {
                o.Cookie.Name = CookieName;
                o.Cookie.HttpOnly = true;
                o.Cookie.SameSite = SameSiteMode.Lax;
                o.Cookie.SecurePolicy = oidc.RequireHttpsMetadata ? CookieSecurePolicy.Always : CookieSecurePolicy.SameAsRequest;
                // A working day; after that the provider is asked again (and can refuse a person who left).
                o.ExpireTimeSpan = TimeSpan.FromHours(8);
                o.SlidingExpiration = false;
                o.Events.OnRedirectToLogin = c =>
                {
                    c.Response.StatusCode = StatusCodes.Status401Unauthorized;
                    return Task.CompletedTask;
                };
            })
            .AddOpenIdConnect(o =>
            {
                o.Authority = oidc.Authority;
                o.ClientId = oidc.ClientId;
                o.ClientSecret = oidc.ClientSecret;
                o.ResponseType = OpenIdConnectResponseType.Code;
                o.UsePkce = true;
                o.RequireHttpsMetadata = oidc.RequireHttpsMetadata;
                o.Scope.Clear();
                foreach (var scope in BaseScopes.Concat(oidc.Scopes.Where(s => !string.IsNullOrWhiteSpace(s)).Select(s => s.Trim())).Distinct(StringComparer.Ordinal))
                {
                    o.Scope.Add(scope);
                }

                o.GetClaimsFromUserInfoEndpoint = true;
                // Keep the provider's claim names (sub, name, groups) as they are: the subject is the identity.
                o.MapInboundClaims = false;
                o.TokenValidationParameters.NameClaimType = "name";
                o.SaveTokens = false;
                if (!string.IsNullOrWhiteSpace(oidc.ApproverClaim))
                {
                    o.ClaimActions.MapJsonKey(oidc.ApproverClaim, oidc.ApproverClaim);
                }

                if (!oidc.RequireHttpsMetadata)
                {
                    // Plain http on loopback (a test provider): the correlation and nonce cookies cannot be Secure there.
                    o.CorrelationCookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
                    o.CorrelationCookie.SameSite = SameSiteMode.Lax;
                    o.NonceCookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
                    o.NonceCookie.SameSite = SameSiteMode.Lax;
                }
            });
        if (!string.IsNullOrWhiteSpace(oidc.ApproverClaim) && !string.IsNullOrWhiteSpace(oidc.ApproverClaimValue))
        {
            services.AddSingleton<IApproverGroup>(sp => new WebChatClaimApprovers(sp.GetRequiredService<IHttpContextAccessor>(), oidc.ApproverClaim, oidc.ApproverClaimValue));
        }
    }

    /// <summary>After the guards: reads the cookie, then refuses (API: 401) or sends to sign-in (page) everyone without one.</summary>
    public static void Use(WebApplication app)
    {
        app.UseAuthentication();
        app.Use(async (context, next) =>
        {
            var path = context.Request.Path;
            if (WebChatSecurity.IsOtherSurface(path) || context.User.Identity?.IsAuthenticated == true)
            {
                await next(context).ConfigureAwait(false);
                return;
            }

            if (WebChatSecurity.IsApi(path) || !HttpMethods.IsGet(context.Request.Method))
            {
                context.Response.Headers.WWWAuthenticate = "OpenIdConnect";
                await WebChatSecurity.Refuse(context, StatusCodes.Status401Unauthorized, "Sign in first (open the web chat page).").ConfigureAwait(false);
                return;
            }

            await context.ChallengeAsync(OpenIdConnectDefaults.AuthenticationScheme, new AuthenticationProperties { RedirectUri = "/" }).ConfigureAwait(false);
        });
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "web chat: {Warning}")]
    public static partial void LogWarning(ILogger log, string warning);

    [LoggerMessage(Level = LogLevel.Information, Message = "web chat: {Mode}; answers Host {Hosts}")]
    public static partial void LogMode(ILogger log, WebChatMode mode, string hosts);
}
