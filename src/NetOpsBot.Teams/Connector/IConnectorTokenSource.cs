using Azure.Core;

namespace NetOpsBot.Teams.Connector;

/// <summary>The bearer token the bot presents to the Bot Connector service.</summary>
public interface IConnectorTokenSource
{
    /// <summary>A token for scope https://api.botframework.com/.default, or null when this bot has no identity (Playground only).</summary>
    ValueTask<string?> GetTokenAsync(CancellationToken cancellationToken);
}

/// <summary>Tokens from an Azure.Identity credential (secret, certificate, managed identity, federated); it caches and refreshes them.</summary>
public sealed class CredentialTokenSource(TokenCredential credential) : IConnectorTokenSource
{
    public const string Scope = "https://api.botframework.com/.default";

    public async ValueTask<string?> GetTokenAsync(CancellationToken cancellationToken) =>
        (await credential.GetTokenAsync(new TokenRequestContext([Scope]), cancellationToken).ConfigureAwait(false)).Token;
}

/// <summary>No identity: the Playground's mock connector takes calls without a token.</summary>
public sealed class NoTokenSource : IConnectorTokenSource
{
    public ValueTask<string?> GetTokenAsync(CancellationToken cancellationToken) => ValueTask.FromResult<string?>(null);
}
