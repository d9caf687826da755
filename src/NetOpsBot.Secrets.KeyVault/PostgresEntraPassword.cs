using Azure.Core;
using Azure.Identity;

namespace NetOpsBot.Secrets.KeyVault;

/// <summary>
/// The PostgreSQL password when <c>NetOps:Storage:PostgresEntraAuth</c> is on: an Entra access token for Azure
/// Database for PostgreSQL, from the host's managed identity. No database password exists anywhere.
/// </summary>
public sealed class PostgresEntraPassword(TokenCredential credential)
{
    /// <summary>The resource every Azure Database for PostgreSQL server accepts tokens for.</summary>
    public const string Scope = "https://ossrdbms-aad.database.windows.net/.default";

    /// <summary>
    /// The host's identity: the user-assigned managed identity named by AZURE_CLIENT_ID (set by infra/azure),
    /// else the system-assigned one; a developer's Azure CLI login works too.
    /// </summary>
    public static PostgresEntraPassword FromEnvironment() => new(new DefaultAzureCredential());

    public async ValueTask<string> GetAsync(CancellationToken cancellationToken)
    {
        var token = await credential.GetTokenAsync(new TokenRequestContext([Scope]), cancellationToken).ConfigureAwait(false);
        return token.Token;
    }
}
