using System.Security.Cryptography.X509Certificates;
using Azure.Core;
using Azure.Core.Pipeline;
using Azure.Identity;

namespace NetOpsBot.Teams.Connector;

/// <summary>The bot's Entra identity from its options: secret, certificate, managed identity or federated credential.</summary>
public static class TeamsCredentials
{
    /// <summary>Tenant that issues tokens to a (legacy) multi-tenant bot.</summary>
    public const string MultiTenantAuthority = "botframework.com";

    private static readonly Uri[] KnownClouds = [AzureAuthorityHosts.AzurePublicCloud, AzureAuthorityHosts.AzureGovernment, AzureAuthorityHosts.AzureChina];

    /// <summary>Null for a Playground-only configuration (no identity at all).</summary>
    public static TokenCredential? Create(TeamsOptions options) => Create(options, transport: null);

    /// <param name="options">Valid options (<see cref="TeamsOptions.Validate"/>).</param>
    /// <param name="transport">The HTTP transport of the token requests (tests: one that trusts their local authority's certificate).</param>
    internal static TokenCredential? Create(TeamsOptions options, HttpPipelineTransport? transport)
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
            return new ClientSecretCredential(tenant, appId, options.ClientSecret, Configure(new ClientSecretCredentialOptions(), options, transport, o => o.DisableInstanceDiscovery = true));
        }

        if (!string.IsNullOrWhiteSpace(options.CertificatePath))
        {
            var certificateOptions = Configure(new ClientCertificateCredentialOptions(), options, transport, o => o.DisableInstanceDiscovery = true);
            return string.IsNullOrEmpty(options.CertificatePassword)
                ? new ClientCertificateCredential(tenant, appId, options.CertificatePath, certificateOptions)
                : new ClientCertificateCredential(tenant, appId, X509CertificateLoader.LoadPkcs12FromFile(options.CertificatePath, options.CertificatePassword), certificateOptions);
        }

        // Federated: the app registration trusts a managed identity, whose token is the client assertion.
        var msi = new ManagedIdentityCredential(ManagedIdentityId.FromUserAssignedClientId(options.FederatedManagedIdentityClientId!));
        return new ClientAssertionCredential(
            tenant,
            appId,
            async ct => (await msi.GetTokenAsync(new TokenRequestContext(["api://AzureADTokenExchange/.default"]), ct).ConfigureAwait(false)).Token,
            Configure(new ClientAssertionCredentialOptions(), options, transport, o => o.DisableInstanceDiscovery = true));
    }

    private static T Configure<T>(T credentialOptions, TeamsOptions options, HttpPipelineTransport? transport, Action<T> disableInstanceDiscovery)
        where T : TokenCredentialOptions
    {
        if (!string.IsNullOrWhiteSpace(options.AuthorityHost))
        {
            var host = new Uri(options.AuthorityHost, UriKind.Absolute);
            credentialOptions.AuthorityHost = host;

            // Instance discovery asks login.microsoftonline.com whether an authority is a known Entra cloud; a private
            // authority (Azure Stack, a test's local token endpoint) is not, and must not make the bot call the public cloud.
            if (!KnownClouds.Any(k => Uri.Compare(k, host, UriComponents.SchemeAndServer, UriFormat.Unescaped, StringComparison.OrdinalIgnoreCase) == 0))
            {
                disableInstanceDiscovery(credentialOptions);
            }
        }

        if (transport is not null)
        {
            credentialOptions.Transport = transport;
        }

        return credentialOptions;
    }
}
