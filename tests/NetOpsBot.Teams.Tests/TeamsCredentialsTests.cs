using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Azure.Core;
using Azure.Identity;
using NetOpsBot.Teams.Connector;
using NetOpsBot.Teams.Tests.Infrastructure;

namespace NetOpsBot.Teams.Tests;

/// <summary>
/// The bot's own identity for the connector, as each credential setting builds it. The certificate runs the real
/// private_key_jwt flow (MSAL signs a client assertion) against the local Entra token endpoint; managed identity and
/// federated credentials need Azure's identity endpoint, which is not reachable here, so only their wiring is checked.
/// </summary>
public sealed class TeamsCredentialsTests : IAsyncLifetime
{
    private const string Secret = "credential-test-secret";
    private readonly string _dir = Directory.CreateTempSubdirectory("netopsbot-teams-cred-").FullName;
    private FakeEntra _entra = null!;

    public async Task InitializeAsync() => _entra = await FakeEntra.StartAsync(TestIds.TenantId, TestIds.AppId, Secret);

    public async Task DisposeAsync()
    {
        await _entra.DisposeAsync();
        Directory.Delete(_dir, recursive: true);
    }

    [Fact]
    public async Task Certificate_SignsAClientAssertion_GetsAConnectorToken_AnUnregisteredCertificateIsRefused()
    {
        var (registered, pem) = AppCertificate("registered");
        using var _ = registered;
        _entra.ClientCertificate = X509CertificateLoader.LoadCertificate(registered.RawData);

        var credential = Create(new TeamsOptions { AppId = TestIds.AppId, AppType = "SingleTenant", TenantId = TestIds.TenantId, CertificatePath = pem, AuthorityHost = _entra.AuthorityHost.ToString() });
        Assert.IsType<ClientCertificateCredential>(credential);
        var token = await credential.GetTokenAsync(new TokenRequestContext([FakeEntra.BotFrameworkScope]), CancellationToken.None);
        Assert.True(_entra.IssuedFor(token.Token, FakeEntra.BotFrameworkScope));
        Assert.Equal(["private_key_jwt"], _entra.ClientAuthentications);

        var (other, otherPem) = AppCertificate("other");
        using var __ = other;
        var refused = Create(new TeamsOptions { AppId = TestIds.AppId, AppType = "SingleTenant", TenantId = TestIds.TenantId, CertificatePath = otherPem, AuthorityHost = _entra.AuthorityHost.ToString() });
        var error = await Assert.ThrowsAsync<AuthenticationFailedException>(async () => await refused.GetTokenAsync(new TokenRequestContext([FakeEntra.BotFrameworkScope]), CancellationToken.None));
        Assert.Contains("AADSTS700027", error.InnerException?.Message, StringComparison.Ordinal);
        Assert.Single(_entra.Issued);
    }

    [Fact]
    public void ManagedIdentityAndFederated_BuildTheirAzureIdentityCredentials_PlaygroundOnlyHasNone()
    {
        Assert.IsType<ManagedIdentityCredential>(TeamsCredentials.Create(new TeamsOptions { AppId = TestIds.AppId, AppType = "UserAssignedMSI", TenantId = TestIds.TenantId }));
        Assert.IsType<ClientAssertionCredential>(TeamsCredentials.Create(new TeamsOptions { AppId = TestIds.AppId, AppType = "SingleTenant", TenantId = TestIds.TenantId, FederatedManagedIdentityClientId = "5b0f6c1e-2d3a-4b5c-8d9e-0f1a2b3c4d5e" }));
        Assert.IsType<ClientSecretCredential>(TeamsCredentials.Create(new TeamsOptions { AppId = TestIds.AppId, AppType = "SingleTenant", TenantId = TestIds.TenantId, ClientSecret = Secret }));
        Assert.Null(TeamsCredentials.Create(new TeamsOptions { AllowUnauthenticatedLoopback = true }));
    }

    private TokenCredential Create(TeamsOptions options) => TeamsCredentials.Create(options, _entra.TrustingTransport())!;

    /// <summary>A self-signed app certificate with its private key, as the PEM file Teams:CertificatePath names.</summary>
    private (X509Certificate2 Certificate, string PemPath) AppCertificate(string name)
    {
        using var rsa = RSA.Create(2048);
        var request = new CertificateRequest($"CN=netopsbot-{name}", rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var now = TimeProvider.System.GetUtcNow();
        var certificate = request.CreateSelfSigned(now.AddMinutes(-5), now.AddHours(1));
        var path = Path.Combine(_dir, name + ".pem");
        File.WriteAllText(path, certificate.ExportCertificatePem() + "\n" + rsa.ExportPkcs8PrivateKeyPem() + "\n");
        return (certificate, path);
    }
}
