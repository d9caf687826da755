using System.Collections;
using System.Text.Json;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Protocols;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;
using Microsoft.IdentityModel.Tokens;

namespace NetOpsBot.Teams.Auth;

/// <summary>
/// Checks the bearer token of an inbound activity the way the Bot Framework requires: signature by a key from
/// the issuer's OpenID metadata (cached, refreshed, re-read once for an unknown key id), issuer, audience = our
/// app id, lifetime with 5 minutes of skew, and for channel tokens the serviceurl claim and the key's
/// channel endorsement. Unknown issuers are refused before any key is fetched.
/// </summary>
public sealed class BotTokenValidator
{
    private static readonly TimeSpan ClockSkew = TimeSpan.FromMinutes(5);
    private readonly string? _appId;
    private readonly IReadOnlySet<string> _entraIssuers;
    private readonly IConfigurationManager<OpenIdConnectConfiguration> _channelKeys;
    private readonly IConfigurationManager<OpenIdConnectConfiguration> _entraKeys;
    private readonly TeamsOptions _options;
    private readonly JsonWebTokenHandler _handler = new() { MapInboundClaims = false };

    // When each key source last had a re-read asked for (Environment.TickCount64), to wait for one at most every RefreshInterval.
    private readonly System.Collections.Concurrent.ConcurrentDictionary<object, long> _rereadAsked = new(ReferenceEqualityComparer.Instance);

    public BotTokenValidator(TeamsOptions options, HttpClient metadataClient)
        : this(options, Keys(options.OpenIdMetadataUrl, metadataClient), Keys(options.EntraOpenIdMetadataUrl, metadataClient))
    {
    }

    internal BotTokenValidator(TeamsOptions options, IConfigurationManager<OpenIdConnectConfiguration> channelKeys, IConfigurationManager<OpenIdConnectConfiguration> entraKeys)
    {
        ArgumentNullException.ThrowIfNull(options);
        _appId = string.IsNullOrWhiteSpace(options.AppId) ? null : options.AppId.Trim();
        _entraIssuers = BotFrameworkIssuers.EntraIssuers(options.ParsedAppType, options.TenantId);
        _channelKeys = channelKeys;
        _entraKeys = entraKeys;
        _options = options;
    }

    /// <summary>Key cache per metadata URL: refreshed every 12 h, and on demand at most every 5 minutes.</summary>
    internal static ConfigurationManager<OpenIdConnectConfiguration> Keys(string metadataUrl, HttpClient http, TimeSpan? minimumRefresh = null)
    {
        var retriever = new HttpDocumentRetriever(http) { RequireHttps = !new Uri(metadataUrl).IsLoopback };
        return new ConfigurationManager<OpenIdConnectConfiguration>(metadataUrl, new OpenIdConnectConfigurationRetriever(), retriever)
        {
            AutomaticRefreshInterval = TimeSpan.FromHours(12),
            RefreshInterval = minimumRefresh ?? ConfigurationManager<OpenIdConnectConfiguration>.DefaultRefreshInterval,
        };
    }

    /// <param name="authorization">The Authorization header as received (null when absent).</param>
    /// <param name="serviceUrl">The activity's serviceUrl.</param>
    /// <param name="channelId">The activity's channelId.</param>
    public async Task<TokenCheck> ValidateAsync(string? authorization, string? serviceUrl, string? channelId, CancellationToken cancellationToken)
    {
        if (_appId is null)
        {
            return TokenCheck.Refused("no Teams:AppId configured: tokens cannot be checked");
        }

        if (string.IsNullOrEmpty(authorization))
        {
            return TokenCheck.Refused("no Authorization header");
        }

        var parts = authorization.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length != 2 || !string.Equals(parts[0], "Bearer", StringComparison.OrdinalIgnoreCase))
        {
            return TokenCheck.Refused("Authorization is not 'Bearer <token>'");
        }

        JsonWebToken unverified;
        try
        {
            unverified = _handler.ReadJsonWebToken(parts[1]);
        }
        catch (ArgumentException)
        {
            return TokenCheck.Refused("the bearer token is not a JWT");
        }

        try
        {
            return await ValidateJwtAsync(unverified, parts[1], serviceUrl, channelId, cancellationToken).ConfigureAwait(false);
        }
        catch (MetadataUnavailableException ex)
        {
            return TokenCheck.Unavailable(ex.Message);
        }
    }

    private async Task<TokenCheck> ValidateJwtAsync(JsonWebToken unverified, string token, string? serviceUrl, string? channelId, CancellationToken cancellationToken)
    {
        var issuer = unverified.Issuer;
        if (string.Equals(issuer, BotFrameworkIssuers.Channel, StringComparison.Ordinal))
        {
            return await ValidateChannelTokenAsync(token, serviceUrl, channelId, cancellationToken).ConfigureAwait(false);
        }

        if (issuer is not null && _entraIssuers.Contains(issuer))
        {
            var entra = await ValidateEntraTokenAsync(token, issuer, cancellationToken).ConfigureAwait(false);

            // An Entra token names no serviceUrl: without this, a caller holding one could send the bot's replies
            // (with the bot's own connector token) anywhere.
            return entra.Succeeded && !_options.ServiceUrlAllowed(serviceUrl)
                ? TokenCheck.Refused($"serviceUrl '{Shown(serviceUrl)}' is not on Teams:ServiceUrlAllowList")
                : entra;
        }

        return TokenCheck.Refused($"issuer not accepted: '{Shown(issuer)}'");
    }

    private async Task<TokenCheck> ValidateChannelTokenAsync(string token, string? serviceUrl, string? channelId, CancellationToken ct)
    {
        var (result, config) = await ValidateSignedAsync(token, _channelKeys, [BotFrameworkIssuers.Channel], ct).ConfigureAwait(false);
        if (!result.IsValid)
        {
            return TokenCheck.Refused(Describe(result.Exception));
        }

        // Binds the token to where replies go: a token captured for one serviceUrl cannot steer us to another.
        var claim = result.Claims.TryGetValue("serviceurl", out var s) ? s as string : null;
        if (string.IsNullOrEmpty(claim))
        {
            return TokenCheck.Refused("channel token has no serviceurl claim");
        }

        if (!string.Equals(claim, serviceUrl, StringComparison.OrdinalIgnoreCase))
        {
            return TokenCheck.Refused($"serviceurl claim '{Shown(claim)}' does not match the activity's serviceUrl '{Shown(serviceUrl)}'");
        }

        // The channel service endorses each key for the channels allowed to use it ("msteams"). Stricter than the
        // SDKs on one point: a channel token whose key carries no endorsement, or an activity without a
        // channelId, is refused (the public Bot Framework keys always carry endorsements).
        var kid = ((JsonWebToken)result.SecurityToken).Kid;
        var endorsements = Endorsements(config, kid);
        if (string.IsNullOrEmpty(channelId))
        {
            return TokenCheck.Refused("activity has no channelId to check the key's endorsement against");
        }

        if (!endorsements.Contains(channelId, StringComparer.Ordinal))
        {
            return TokenCheck.Refused($"signing key '{Shown(kid)}' is not endorsed for channel '{Shown(channelId)}'");
        }

        return new TokenCheck(CallerKind.BotFrameworkChannel, null);
    }

    private async Task<TokenCheck> ValidateEntraTokenAsync(string token, string issuer, CancellationToken ct)
    {
        var (result, _) = await ValidateSignedAsync(token, _entraKeys, [issuer], ct).ConfigureAwait(false);
        if (!result.IsValid)
        {
            return TokenCheck.Refused(Describe(result.Exception));
        }

        // v1 tokens name the calling app in appid, v2 tokens in azp; either way it must be the bot itself.
        var version = result.Claims.TryGetValue("ver", out var v) ? v as string : null;
        var appClaim = version switch
        {
            "1.0" => "appid",
            "2.0" => "azp",
            _ => null,
        };
        if (appClaim is null)
        {
            return TokenCheck.Refused($"Entra token version '{Shown(version)}' is not 1.0 or 2.0");
        }

        var caller = result.Claims.TryGetValue(appClaim, out var a) ? a as string : null;
        return string.Equals(caller, _appId, StringComparison.OrdinalIgnoreCase)
            ? new TokenCheck(CallerKind.Entra, null)
            : TokenCheck.Refused($"Entra token {appClaim} '{Shown(caller)}' is not this bot");
    }

    private async Task<(TokenValidationResult Result, OpenIdConnectConfiguration Config)> ValidateSignedAsync(
        string token, IConfigurationManager<OpenIdConnectConfiguration> keys, string[] issuers, CancellationToken ct)
    {
        var config = await ConfigurationAsync(keys, ct).ConfigureAwait(false);
        var result = await _handler.ValidateTokenAsync(token, Parameters(config, issuers)).ConfigureAwait(false);
        if (result.Exception is SecurityTokenSignatureKeyNotFoundException)
        {
            // Keys roll over: an unknown kid re-reads the metadata once (at most every RefreshInterval), then refuses.
            // IdentityModel re-reads in the background and meanwhile answers with the keys it has, so the request
            // that asked for the re-read waits for it (briefly); a request within the interval does not wait, so
            // made-up key ids cannot hold requests.
            var interval = (keys as BaseConfigurationManager)?.RefreshInterval ?? BaseConfigurationManager.DefaultRefreshInterval;
            var now = Environment.TickCount64;
            var last = _rereadAsked.GetOrAdd(keys, long.MinValue / 2);
            var rereads = now - last >= interval.TotalMilliseconds && _rereadAsked.TryUpdate(keys, now, last);
            keys.RequestRefresh();
            var previous = config;
            config = await ConfigurationAsync(keys, ct).ConfigureAwait(false);
            for (var deadline = now + 3_000; rereads && ReferenceEquals(config, previous) && Environment.TickCount64 < deadline;)
            {
                await Task.Delay(50, ct).ConfigureAwait(false);
                config = await ConfigurationAsync(keys, ct).ConfigureAwait(false);
            }

            result = await _handler.ValidateTokenAsync(token, Parameters(config, issuers)).ConfigureAwait(false);
        }

        return (result, config);
    }

    /// <summary>
    /// The issuer's keys. Once read they are kept when a refresh fails (the configuration manager returns the last
    /// good ones); only when none were ever read does this throw <see cref="MetadataUnavailableException"/>.
    /// </summary>
    private static async Task<OpenIdConnectConfiguration> ConfigurationAsync(IConfigurationManager<OpenIdConnectConfiguration> keys, CancellationToken ct)
    {
        try
        {
            return await keys.GetConfigurationAsync(ct).ConfigureAwait(false);
        }
        catch (Exception ex) when (!ct.IsCancellationRequested && ex is InvalidOperationException or HttpRequestException or IOException or OperationCanceledException or JsonException or ArgumentException)
        {
            // Not the caller's fault and nothing it can fix: the message (metadata URL and cause) is for the operator.
            throw new MetadataUnavailableException("the Bot Framework OpenID metadata could not be read: " + Innermost(ex).Message, ex);
        }
    }

    private static Exception Innermost(Exception ex)
    {
        while (ex.InnerException is { } inner)
        {
            ex = inner;
        }

        return ex;
    }

    private TokenValidationParameters Parameters(OpenIdConnectConfiguration config, string[] issuers) => new()
    {
        ValidIssuers = issuers,
        ValidAudience = _appId,
        IssuerSigningKeys = config.SigningKeys,
        ValidAlgorithms = [SecurityAlgorithms.RsaSha256],
        ClockSkew = ClockSkew,
        RequireExpirationTime = true,
        RequireSignedTokens = true,
        RequireAudience = true,
        ValidateIssuer = true,
        ValidateAudience = true,
        ValidateLifetime = true,
        ValidateIssuerSigningKey = true,
        TryAllIssuerSigningKeys = false,
    };

    private static List<string> Endorsements(OpenIdConnectConfiguration config, string? kid)
    {
        var key = config.JsonWebKeySet?.Keys.FirstOrDefault(k => string.Equals(k.Kid, kid, StringComparison.Ordinal));
        if (key is null || !key.AdditionalData.TryGetValue("endorsements", out var value) || value is null)
        {
            return [];
        }

        return value switch
        {
            JsonElement { ValueKind: JsonValueKind.Array } e => [.. e.EnumerateArray().Where(x => x.ValueKind == JsonValueKind.String).Select(x => x.GetString()!)],
            string one => [one],
            IEnumerable many => [.. many.Cast<object?>().Select(x => x?.ToString()).OfType<string>()],
            _ => [],
        };
    }

    private static string Describe(Exception? ex) => ex switch
    {
        SecurityTokenExpiredException => "token expired",
        SecurityTokenNotYetValidException => "token not yet valid",
        SecurityTokenInvalidAudienceException => "audience is not this bot's app id",
        SecurityTokenInvalidIssuerException => "issuer not accepted",
        SecurityTokenSignatureKeyNotFoundException => "signing key not in the issuer's metadata",
        SecurityTokenInvalidSignatureException => "signature invalid",
        SecurityTokenInvalidAlgorithmException => "signature algorithm not accepted",
        SecurityTokenNoExpirationException => "token has no expiry",
        SecurityTokenInvalidLifetimeException => "token lifetime invalid",
        null => "token invalid",
        _ => "token invalid: " + ex.GetType().Name,
    };

    /// <summary>Claim and header values are attacker-chosen: shown short and on one line.</summary>
    private static string Shown(string? value)
    {
        if (value is null)
        {
            return "(none)";
        }

        var clean = new string([.. value.Take(120).Select(c => char.IsControl(c) ? '?' : c)]);
        return value.Length > 120 ? clean + "…" : clean;
    }
}

/// <summary>The issuer's signing keys could not be read (network, DNS, TLS, a malformed document).</summary>
#pragma warning disable CA1032, CA1064 // internal signal between two methods, never thrown to callers
internal sealed class MetadataUnavailableException(string message, Exception inner) : Exception(message, inner);
#pragma warning restore CA1032, CA1064
