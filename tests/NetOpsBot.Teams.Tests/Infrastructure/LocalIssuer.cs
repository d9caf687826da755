using System.Net;
using System.Security.Claims;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace NetOpsBot.Teams.Tests.Infrastructure;

/// <summary>
/// A local token service made by the test: Kestrel on 127.0.0.1 serving OpenID metadata and a JWKS whose keys
/// carry Bot Framework <c>endorsements</c>, and real RS256 tokens signed with those keys.
/// </summary>
internal sealed class LocalIssuer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly List<SigningKey> _published = [];
    private int _metadataReads;

    private LocalIssuer(WebApplication app, string baseUrl)
    {
        _app = app;
        BaseUrl = baseUrl;
    }

    public string BaseUrl { get; }

    public string MetadataUrl => BaseUrl + "/v1/.well-known/openidconfiguration";

    public string EntraMetadataUrl => BaseUrl + "/common/v2.0/.well-known/openid-configuration";

    public int MetadataReads => Volatile.Read(ref _metadataReads);

    public static async Task<LocalIssuer> StartAsync(params SigningKey[] keys)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseKestrel(o => o.Listen(IPAddress.Loopback, 0));
        builder.Logging.ClearProviders();
        var app = builder.Build();
        LocalIssuer? issuer = null;
        app.MapGet("/v1/.well-known/openidconfiguration", () =>
        {
            Interlocked.Increment(ref issuer!._metadataReads);
            return Results.Text(new JsonObject { ["issuer"] = "https://api.botframework.com", ["jwks_uri"] = issuer.BaseUrl + "/v1/keys", ["id_token_signing_alg_values_supported"] = new JsonArray("RS256") }.ToJsonString(), "application/json");
        });
        app.MapGet("/common/v2.0/.well-known/openid-configuration", () =>
            Results.Text(new JsonObject { ["issuer"] = "https://login.microsoftonline.com/{tenantid}/v2.0", ["jwks_uri"] = issuer!.BaseUrl + "/common/keys" }.ToJsonString(), "application/json"));
        app.MapGet("/v1/keys", () => Results.Text(issuer!.Jwks(), "application/json"));
        app.MapGet("/common/keys", () => Results.Text(issuer!.Jwks(), "application/json"));
        await app.StartAsync();
        var url = app.Urls.First().Replace("[::1]", "127.0.0.1", StringComparison.Ordinal);
        issuer = new LocalIssuer(app, url);
        issuer._published.AddRange(keys);
        return issuer;
    }

    /// <summary>Publishes another key (a key rollover at the token service).</summary>
    public void Publish(SigningKey key)
    {
        lock (_published)
        {
            _published.Add(key);
        }
    }

    private string Jwks()
    {
        var keys = new JsonArray();
        lock (_published)
        {
            foreach (var k in _published)
            {
                var p = k.Rsa.ExportParameters(false);
                var jwk = new JsonObject
                {
                    ["kty"] = "RSA",
                    ["use"] = "sig",
                    ["kid"] = k.Kid,
                    ["n"] = Base64UrlEncoder.Encode(p.Modulus),
                    ["e"] = Base64UrlEncoder.Encode(p.Exponent),
                };
                if (k.Endorsements is { } e)
                {
                    jwk["endorsements"] = new JsonArray([.. e.Select(x => (JsonNode)JsonValue.Create(x))]);
                }

                keys.Add(jwk);
            }
        }

        return new JsonObject { ["keys"] = keys }.ToJsonString();
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}

/// <summary>An RSA signing key with its kid and the channels it is endorsed for.</summary>
internal sealed class SigningKey(string kid, params string[]? endorsements) : IDisposable
{
    public string Kid { get; } = kid;

    public string[]? Endorsements { get; } = endorsements;

    public RSA Rsa { get; } = RSA.Create(2048);

    public void Dispose() => Rsa.Dispose();
}

/// <summary>Builds the tokens the tests send, valid by default; each test breaks one thing.</summary>
internal sealed record TokenSpec
{
    public required SigningKey Key { get; init; }

    public string Issuer { get; init; } = "https://api.botframework.com";

    public string Audience { get; init; } = TestIds.AppId;

    public string? ServiceUrl { get; init; } = TestIds.ServiceUrl;

    public TimeSpan ExpiresIn { get; init; } = TimeSpan.FromMinutes(30);

    public TimeSpan NotBeforeOffset { get; init; } = TimeSpan.FromMinutes(-1);

    public string Algorithm { get; init; } = SecurityAlgorithms.RsaSha256;

    public IDictionary<string, object> Extra { get; init; } = new Dictionary<string, object>();

    /// <summary>Signs with this key material but claims <see cref="Kid"/> (a forged signature for a published kid).</summary>
    public SigningKey? SignWith { get; init; }

    public string Create()
    {
        var now = TimeProvider.System.GetUtcNow().UtcDateTime;
        var claims = new Dictionary<string, object>(Extra);
        if (ServiceUrl is not null)
        {
            claims["serviceurl"] = ServiceUrl;
        }

        var rsaKey = new RsaSecurityKey((SignWith ?? Key).Rsa) { KeyId = Key.Kid };
        return new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = Issuer,
            Audience = Audience,
            IssuedAt = now + NotBeforeOffset,
            NotBefore = now + NotBeforeOffset,
            Expires = now + ExpiresIn,
            Claims = claims,
            Subject = new ClaimsIdentity(),
            SigningCredentials = new SigningCredentials(rsaKey, Algorithm),
        });
    }
}

internal static class TestIds
{
    public const string AppId = "6f1b6e0e-3a52-4b8e-9f1d-2c1f5c0e7a11";
    public const string TenantId = "0b6cfc1e-8a3f-4d7e-b7a4-6c2d9e5f1a23";
    public const string ServiceUrl = "https://smba.trafficmanager.net/amer/";
}
