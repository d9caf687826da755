using System.Collections.Concurrent;
using System.Net;
using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json.Nodes;
using Azure.Core.Pipeline;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace NetOpsBot.Teams.Tests.Infrastructure;

/// <summary>
/// Entra ID's token service as MSAL (under Azure.Identity) speaks to it, on https://127.0.0.1 with a certificate the
/// test makes: <c>POST /{tenant}/oauth2/v2.0/token</c> (client credentials: client_id, scope, grant_type, and
/// either client_secret or a client_assertion JWT signed by the app's registered certificate, private_key_jwt;
/// AADSTS errors in Entra's JSON shape otherwise), and the tenant's OpenID configuration and instance
/// discovery documents in case MSAL asks. Every access token it issues is random and remembered with its scope, so
/// the fake connector and Graph can check that what the bot presents came from here.
/// </summary>
internal sealed class FakeEntra : IAsyncDisposable
{
    public const string BotFrameworkScope = "https://api.botframework.com/.default";

    private readonly WebApplication _app;
    private readonly ConcurrentDictionary<string, string> _issued = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<string> _requests = new();
    private readonly ConcurrentQueue<string> _clientAuth = new();
    private readonly string _tenantId;
    private readonly string _clientId;
    private readonly string _clientSecret;

    private FakeEntra(WebApplication app, X509Certificate2 certificate, string tenantId, string clientId, string clientSecret)
    {
        _app = app;
        Certificate = certificate;
        _tenantId = tenantId;
        _clientId = clientId;
        _clientSecret = clientSecret;
    }

    /// <summary>https://127.0.0.1:port/ — what <c>Teams:AuthorityHost</c> is set to.</summary>
    public Uri AuthorityHost { get; private set; } = null!;

    /// <summary>The throwaway server certificate (self-signed, 127.0.0.1 and localhost).</summary>
    public X509Certificate2 Certificate { get; }

    /// <summary>Method and path of every request, in order (what MSAL asked for).</summary>
    public IReadOnlyList<string> Requests => [.. _requests];

    /// <summary>The certificate registered on the app (its public key checks client assertions); none: assertions are refused.</summary>
    public X509Certificate2? ClientCertificate { get; set; }

    /// <summary>How each successful token request authenticated the client: client_secret or private_key_jwt.</summary>
    public IReadOnlyList<string> ClientAuthentications => [.. _clientAuth];

    /// <summary>Access tokens issued, with the scope each was issued for.</summary>
    public IReadOnlyDictionary<string, string> Issued => _issued;

    public bool IssuedFor(string? bearerToken, string scope) =>
        bearerToken is not null && _issued.TryGetValue(bearerToken, out var s) && string.Equals(s, scope, StringComparison.Ordinal);

    public static async Task<FakeEntra> StartAsync(string tenantId, string clientId, string clientSecret)
    {
        var certificate = LoopbackCertificate.Create();
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseKestrel(o => o.Listen(IPAddress.Loopback, 0, l => l.UseHttps(certificate)));
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var entra = new FakeEntra(app, certificate, tenantId, clientId, clientSecret);
        app.Use(async (ctx, next) =>
        {
            entra._requests.Enqueue(ctx.Request.Method + " " + ctx.Request.Path);
            await next(ctx);
        });
        app.MapPost("/{tenant}/oauth2/v2.0/token", entra.TokenAsync);
        app.MapGet("/{tenant}/v2.0/.well-known/openid-configuration", (string tenant) => Results.Json(entra.OpenIdConfiguration(tenant)));
        app.MapGet("/common/discovery/instance", () => Results.Json(new JsonObject
        {
            ["tenant_discovery_endpoint"] = entra.AuthorityHost + "common/v2.0/.well-known/openid-configuration",
            ["api-version"] = "1.1",
            ["metadata"] = new JsonArray(new JsonObject
            {
                ["preferred_network"] = entra.AuthorityHost.Authority,
                ["preferred_cache"] = entra.AuthorityHost.Authority,
                ["aliases"] = new JsonArray(entra.AuthorityHost.Authority),
            }),
        }));
        await app.StartAsync();
        var port = new Uri(app.Urls.First()).Port;
        entra.AuthorityHost = new Uri($"https://127.0.0.1:{port}/");
        return entra;
    }

    /// <summary>A transport for Azure.Identity that trusts exactly this server's certificate (no system store involved).</summary>
    public HttpPipelineTransport TrustingTransport() => new HttpClientTransport(TrustingHandler(Certificate));

    internal static SocketsHttpHandler TrustingHandler(X509Certificate2 root)
    {
        var policy = new X509ChainPolicy { TrustMode = X509ChainTrustMode.CustomRootTrust, RevocationMode = X509RevocationMode.NoCheck };
        policy.CustomTrustStore.Add(root);
        return new SocketsHttpHandler { SslOptions = new SslClientAuthenticationOptions { CertificateChainPolicy = policy } };
    }

    /// <summary>The certificate as PEM, for a process that is told to trust it through <c>SSL_CERT_FILE</c>.</summary>
    public string WriteCertificatePem(string directory)
    {
        var path = Path.Combine(directory, "fake-entra-ca.pem");
        File.WriteAllText(path, Certificate.ExportCertificatePem() + "\n");
        return path;
    }

    private JsonObject OpenIdConfiguration(string tenant) => new()
    {
        ["issuer"] = $"{AuthorityHost}{tenant}/v2.0",
        ["token_endpoint"] = $"{AuthorityHost}{tenant}/oauth2/v2.0/token",
        ["authorization_endpoint"] = $"{AuthorityHost}{tenant}/oauth2/v2.0/authorize",
        ["jwks_uri"] = $"{AuthorityHost}{tenant}/discovery/v2.0/keys",
        ["token_endpoint_auth_methods_supported"] = new JsonArray("client_secret_post", "private_key_jwt", "client_secret_basic"),
        ["response_types_supported"] = new JsonArray("code", "id_token", "code id_token", "id_token token"),
        ["tenant_region_scope"] = "EU",
    };

    private async Task<IResult> TokenAsync(HttpContext ctx, string tenant)
    {
        if (!ctx.Request.HasFormContentType)
        {
            return Error(400, "invalid_request", 900144, "The request body must contain the following parameter: 'grant_type'.");
        }

        var form = await ctx.Request.ReadFormAsync();
        if (!string.Equals(tenant, _tenantId, StringComparison.OrdinalIgnoreCase))
        {
            return Error(400, "invalid_request", 90002, $"Tenant '{tenant}' not found.");
        }

        if (form["grant_type"] != "client_credentials")
        {
            return Error(400, "unsupported_grant_type", 70003, "The app requested an unsupported grant type.");
        }

        if (form["client_id"] != _clientId)
        {
            return Error(400, "unauthorized_client", 700016, $"Application with identifier '{form["client_id"]}' was not found in the directory.");
        }

        string method;
        if (form["client_assertion_type"] == "urn:ietf:params:oauth:client-assertion-type:jwt-bearer")
        {
            // private_key_jwt (RFC 7523): issued and subject = the client id, audience = this token endpoint, signed
            // by a certificate registered on the app.
            var endpoint = $"{ctx.Request.Scheme}://{ctx.Request.Host}{ctx.Request.Path}";
            var check = ClientCertificate is null ? null : await new JsonWebTokenHandler().ValidateTokenAsync(form["client_assertion"].ToString(), new TokenValidationParameters
            {
                ValidIssuer = _clientId,
                ValidAudiences = [endpoint, $"{AuthorityHost}{tenant}/v2.0"],
                IssuerSigningKey = new X509SecurityKey(ClientCertificate),
                ValidateLifetime = true,
            });
            if (check is not { IsValid: true } || check.Claims.TryGetValue("sub", out var sub) is false || (string)sub != _clientId)
            {
                return Error(401, "invalid_client", 700027, "Client assertion failed signature validation. " + check?.Exception?.Message);
            }

            method = "private_key_jwt";
        }
        else if (CryptographicOperations.FixedTimeEquals(System.Text.Encoding.UTF8.GetBytes(form["client_secret"].ToString()), System.Text.Encoding.UTF8.GetBytes(_clientSecret)))
        {
            method = "client_secret";
        }
        else
        {
            return Error(401, "invalid_client", 7000215, "Invalid client secret provided.");
        }

        var scopes = form["scope"].ToString().Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var resource = scopes.FirstOrDefault(s => s.EndsWith("/.default", StringComparison.Ordinal));
        if (resource is null)
        {
            return Error(400, "invalid_scope", 1002012, "The provided value for scope is not valid. Client credential flows must have a scope value with /.default suffixed to the resource identifier.");
        }

        var token = "fake-entra." + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(24));
        _issued[token] = resource;
        _clientAuth.Enqueue(method);
        return Results.Json(new JsonObject
        {
            ["token_type"] = "Bearer",
            ["expires_in"] = 3599,
            ["ext_expires_in"] = 3599,
            ["access_token"] = token,
        });
    }

    private static IResult Error(int status, string error, int code, string description) => Results.Json(
        new JsonObject
        {
            ["error"] = error,
            ["error_description"] = $"AADSTS{code}: {description}",
            ["error_codes"] = new JsonArray(code),
            ["timestamp"] = TimeProvider.System.GetUtcNow().ToString("yyyy-MM-dd HH:mm:ssZ", System.Globalization.CultureInfo.InvariantCulture),
            ["trace_id"] = Guid.NewGuid().ToString(),
            ["correlation_id"] = Guid.NewGuid().ToString(),
        },
        statusCode: status);

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        Certificate.Dispose();
    }
}

/// <summary>A throwaway TLS server certificate for 127.0.0.1 / localhost, valid for two hours.</summary>
internal static class LoopbackCertificate
{
    public static X509Certificate2 Create()
    {
        using var rsa = RSA.Create(2048);
        var request = new CertificateRequest("CN=NetOpsBot test authority", rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(IPAddress.Loopback);
        names.AddDnsName("localhost");
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(certificateAuthority: true, hasPathLengthConstraint: false, pathLengthConstraint: 0, critical: true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.KeyEncipherment | X509KeyUsageFlags.KeyCertSign, critical: true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], critical: false));
        var now = TimeProvider.System.GetUtcNow();
        using var created = request.CreateSelfSigned(now.AddMinutes(-5), now.AddHours(2));

        // Round trip through PKCS#12 so the private key is usable by SslStream on every platform.
        return X509CertificateLoader.LoadPkcs12(created.Export(X509ContentType.Pkcs12), password: null);
    }
}
