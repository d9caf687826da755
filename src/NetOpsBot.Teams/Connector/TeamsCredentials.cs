using System.Security.Cryptography.X509Certificates;
using Azure.Core;
using Azure.Identity;

namespace NetOpsBot.Teams.Connector;

/// <summary>The bot's Entra identity from its options: secret, certificate, managed identity or federated credential.</summary>
public static class TeamsCredentials
{
    /// <summary>Tenant that issues tokens to a (legacy) multi-tenant bot.</summary>
    public const string MultiTenantAuthority = "botframework.com";

    /// <summary>Null for a Playground-only configuration (no identity at all).</summary>
    public static TokenCredential? Create(TeamsOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.PlaygroundOnly)
        {
            return null;
        }

        var type = options.ParsedAppType;
        var appId = options.AppId!;
        if (type == TeamsAppType.UserAssignedMSI)
        {
            return new ManagedIdentityCredential(ManagedIdentityId.FromUserAssignedClientId(appId));
        }

        var tenant = type == TeamsAppType.MultiTenant ? MultiTenantAuthority : options.TenantId!;
        if (!string.IsNullOrWhiteSpace(options.ClientSecret))
        {
            return new ClientSecretCredential(tenant, appId, options.ClientSecret);
        }

        if (!string.IsNullOrWhiteSpace(options.CertificatePath))
        {
            return string.IsNullOrEmpty(options.CertificatePassword)
                ? new ClientCertificateCredential(tenant, appId, options.CertificatePath)
                : new ClientCertificateCredential(tenant, appId, X509CertificateLoader.LoadPkcs12FromFile(options.CertificatePath, options.CertificatePassword));
        }

        // Federated: the app registration trusts a managed identity, whose token is the client assertion.
        var msi = new ManagedIdentityCredential(ManagedIdentityId.FromUserAssignedClientId(options.FederatedManagedIdentityClientId!));
        return new ClientAssertionCredential(tenant, appId, async ct =>
            (await msi.GetTokenAsync(new TokenRequestContext(["api://AzureADTokenExchange/.default"]), ct).ConfigureAwait(false)).Token);
    }
}
