using Azure.Core;

namespace NetOpsBot.Secrets.KeyVault.Tests;

/// <summary>With NetOps:Storage:PostgresEntraAuth the PostgreSQL password is a token for Azure Database for PostgreSQL.</summary>
public sealed class PostgresEntraPasswordTests
{
    [Fact]
    public async Task GetAsync_AsksTheCredentialForThePostgresScope_AndReturnsTheToken()
    {
        var credential = new RecordingCredential();

        var password = await new PostgresEntraPassword(credential).GetAsync(CancellationToken.None);

        Assert.Equal("entra-token-1", password);
        var scopes = Assert.Single(credential.Requests);
        Assert.Equal(["https://ossrdbms-aad.database.windows.net/.default"], scopes);
    }

    private sealed class RecordingCredential : TokenCredential
    {
        public List<string[]> Requests { get; } = [];

        public override AccessToken GetToken(TokenRequestContext requestContext, CancellationToken cancellationToken) =>
            GetTokenAsync(requestContext, cancellationToken).AsTask().GetAwaiter().GetResult();

        public override ValueTask<AccessToken> GetTokenAsync(TokenRequestContext requestContext, CancellationToken cancellationToken)
        {
            Requests.Add(requestContext.Scopes);
            return ValueTask.FromResult(new AccessToken("entra-token-" + Requests.Count, DateTimeOffset.MaxValue));
        }
    }
}
