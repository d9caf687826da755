using System.Collections.Concurrent;
using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Logging;

namespace NetOpsBot.Secrets.KeyVault.Tests;

/// <summary>
/// Azure Key Vault's secrets REST surface as the SDK sees it, over real TLS on loopback: GET
/// /secrets/{name}[/{version}]?api-version=..., first without a token (401 + the Bearer challenge, as the real
/// service answers), then with the bearer token; 404 with <c>SecretNotFound</c>. Also serves the App Service /
/// Container Apps managed identity endpoint (IDENTITY_ENDPOINT + X-IDENTITY-HEADER), so a host process can use
/// DefaultAzureCredential against it unchanged.
/// </summary>
public sealed class FakeKeyVault : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentDictionary<string, string> _secrets = new(StringComparer.OrdinalIgnoreCase);
    private readonly ConcurrentQueue<string> _reads = new();

    private FakeKeyVault(WebApplication app, X509Certificate2 certificate)
    {
        _app = app;
        Certificate = certificate;
    }

    /// <summary>
    /// The vault's host name. A *.localhost name resolves to loopback (RFC 6761, and .NET resolves it so itself) and,
    /// like a real vault's name under vault.azure.net, is a subdomain of the challenge's resource (localhost), which
    /// the SDK checks.
    /// </summary>
    public const string Host = "kv.localhost";

    public X509Certificate2 Certificate { get; }

    public Uri VaultUri { get; private set; } = null!;

    /// <summary>The same vault by address: for a process that cannot map kv.localhost (needs DisableChallengeResourceVerification).</summary>
    public Uri LoopbackVaultUri { get; private set; } = null!;

    /// <summary>A handler that reaches <see cref="Host"/> on loopback and trusts exactly this vault's certificate.</summary>
    public SocketsHttpHandler Handler() => new()
    {
        ConnectCallback = async (context, ct) =>
        {
            var socket = new System.Net.Sockets.Socket(System.Net.Sockets.SocketType.Stream, System.Net.Sockets.ProtocolType.Tcp) { NoDelay = true };
            await socket.ConnectAsync(IPAddress.Loopback, context.DnsEndPoint.Port, ct);
            return new System.Net.Sockets.NetworkStream(socket, ownsSocket: true);
        },
        SslOptions = { RemoteCertificateValidationCallback = (_, cert, _, _) => cert is not null && cert.GetCertHashString() == Certificate.GetCertHashString() },
    };

    /// <summary>The managed identity endpoint (IDENTITY_ENDPOINT).</summary>
    public Uri IdentityEndpoint { get; private set; } = null!;

    public string IdentityHeader { get; } = "fake-identity-header-" + Guid.NewGuid().ToString("N")[..8];

    /// <summary>The bearer token the identity endpoint hands out and the vault requires.</summary>
    public string AccessToken { get; } = "FAKE-MSI-TOKEN-" + Guid.NewGuid().ToString("N");

    /// <summary>Secret names read with a valid token, in order.</summary>
    public IReadOnlyList<string> Reads => _reads.ToList();

    public int Challenges { get; private set; }

    public int TokensIssued { get; private set; }

    /// <summary>When set, every vault request answers 503 (the identity endpoint keeps working).</summary>
    public bool Down { get; set; }

    public void Set(string name, string value) => _secrets[name] = value;

    public static async Task<FakeKeyVault> StartAsync()
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=" + Host, key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var san = new SubjectAlternativeNameBuilder();
        san.AddDnsName(Host);
        san.AddIpAddress(IPAddress.Loopback);
        request.CertificateExtensions.Add(san.Build());
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        var now = TimeProvider.System.GetUtcNow();
        using var created = request.CreateSelfSigned(now.AddMinutes(-5), now.AddHours(2));
        var certificate = X509CertificateLoader.LoadPkcs12(created.Export(X509ContentType.Pfx), null);

        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k =>
        {
            k.Listen(IPAddress.Loopback, 0, o => o.UseHttps(certificate));
            k.Listen(IPAddress.Loopback, 0, o => o.Protocols = HttpProtocols.Http1);
        });
        var app = builder.Build();
        var vault = new FakeKeyVault(app, certificate);
        app.MapGet("/secrets/{name}/{version?}", vault.GetSecret);
        app.MapGet("/msi/token", vault.IssueToken);
        await app.StartAsync();
        var addresses = app.Urls.Select(u => new Uri(u)).ToList();
        vault.VaultUri = new Uri($"https://{Host}:{addresses.Single(u => u.Scheme == "https").Port}/");
        vault.LoopbackVaultUri = new Uri($"https://127.0.0.1:{addresses.Single(u => u.Scheme == "https").Port}/");
        vault.IdentityEndpoint = new Uri($"http://127.0.0.1:{addresses.Single(u => u.Scheme == "http").Port}/msi/token");
        return vault;
    }

    /// <summary>PEM of the certificate, for SSL_CERT_FILE of a process that must trust this vault.</summary>
    public string CertificatePem() => Certificate.ExportCertificatePem();

    private IResult GetSecret(HttpContext http, string name)
    {
        if (http.Request.Query["api-version"].Count == 0)
        {
            return Error(400, "BadParameter", "The request is missing api-version.");
        }

        var auth = http.Request.Headers.Authorization.ToString();
        if (auth.Length == 0)
        {
            Challenges++;
            // The real challenge: authorization server + resource; the SDK verifies the resource's host against the vault's.
            http.Response.Headers.WWWAuthenticate = "Bearer authorization=\"https://login.microsoftonline.com/72f988bf-86f1-41af-91ab-2d7cd011db47\", resource=\"https://localhost\"";
            return Error(401, "Unauthorized", "AKV10000: Request is missing a Bearer or PoP token.");
        }

        if (auth != "Bearer " + AccessToken)
        {
            return Error(401, "Unauthorized", "AKV10022: Invalid audience.");
        }

        if (Down)
        {
            return Error(503, "ServiceUnavailable", "The service is unavailable.");
        }

        _reads.Enqueue(name);
        if (!_secrets.TryGetValue(name, out var value))
        {
            return Error(404, "SecretNotFound", $"A secret with (name/id) {name} was not found in this key vault.");
        }

        var version = "0123456789abcdef0123456789abcdef";
        var epoch = TimeProvider.System.GetUtcNow().ToUnixTimeSeconds();
        return Results.Json(new
        {
            value,
            id = $"{VaultUri}secrets/{name}/{version}",
            attributes = new { enabled = true, created = epoch, updated = epoch, recoveryLevel = "Recoverable+Purgeable", recoverableDays = 90 },
            tags = new { },
        });
    }

    private IResult IssueToken(HttpContext http)
    {
        if (http.Request.Headers["X-IDENTITY-HEADER"] != IdentityHeader)
        {
            return Results.Json(new { error = "invalid_request", error_description = "missing X-IDENTITY-HEADER" }, statusCode: 400);
        }

        TokensIssued++;
        var resource = http.Request.Query["resource"].ToString();
        return Results.Json(new
        {
            access_token = AccessToken,
            expires_on = TimeProvider.System.GetUtcNow().AddHours(1).ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture),
            resource,
            token_type = "Bearer",
            client_id = http.Request.Query["client_id"].ToString(),
        });
    }

    private static IResult Error(int status, string code, string message) =>
        Results.Json(new { error = new { code, message } }, statusCode: status);

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        Certificate.Dispose();
    }
}
