namespace NetOpsBot.Secrets.KeyVault;

/// <summary>
/// Azure Key Vault as the secret store, bound by the host from <see cref="SectionName"/>. <see cref="Validate"/>
/// names every bad key, so a wrong setting stops start-up instead of failing at the first diagnosis.
/// </summary>
public sealed class KeyVaultSecretsOptions
{
    public const string SectionName = "NetOps:Secrets:KeyVault";

    /// <summary>The vault, e.g. https://netopsbot-kv.vault.azure.net/.</summary>
    public string? VaultUri { get; set; }

    /// <summary>Client id of the user-assigned managed identity to use; null lets DefaultAzureCredential pick.</summary>
    public string? ManagedIdentityClientId { get; set; }

    /// <summary>How long a secret read from the vault is used before it is read again (rotation is picked up within it).</summary>
    public int RefreshSeconds { get; set; } = 300;

    /// <summary>After a failed read, how long to wait before asking the vault again (a stale value is served meanwhile).</summary>
    public int RetrySeconds { get; set; } = 30;

    /// <summary>Per-request network timeout towards the vault and the token endpoint.</summary>
    public int TimeoutSeconds { get; set; } = 10;

    /// <summary>SDK retries of one read (exponential back-off); 0 makes an unreachable vault fail fast.</summary>
    public int MaxRetries { get; set; } = 2;

    /// <summary>Device credential <c>ref</c> → secret <c>{prefix}{ref}</c> holding <c>{"user": "...", "password": "..."}</c>.</summary>
    public string DeviceCredentialPrefix { get; set; } = "device-";

    /// <summary>Jump host <c>name</c> → secrets <c>{prefix}{name}-key</c> (OpenSSH private key) and optional <c>{prefix}{name}-passphrase</c>.</summary>
    public string JumpHostKeyPrefix { get; set; } = "jumphost-";

    /// <summary>
    /// Skip the SDK's check that the vault's name is under the token challenge's resource (vault.azure.net). Only
    /// for a vault reached by another name (a private endpoint's custom DNS name, a test vault on loopback).
    /// </summary>
    public bool DisableChallengeResourceVerification { get; set; }

    public Uri ParsedVaultUri => new(VaultUri!, UriKind.Absolute);

    public IReadOnlyList<string> Validate()
    {
        const string s = SectionName + ":";
        var problems = new List<string>();
        if (!Uri.TryCreate(VaultUri, UriKind.Absolute, out var uri) || uri.Scheme != Uri.UriSchemeHttps)
        {
            problems.Add(s + "VaultUri must be the vault's https URL (e.g. https://netopsbot-kv.vault.azure.net/) when NetOps:Secrets:Provider is KeyVault.");
        }

        if (ManagedIdentityClientId is { Length: > 0 } id && !Guid.TryParse(id, out _))
        {
            problems.Add(s + "ManagedIdentityClientId must be the identity's client id (a GUID).");
        }

        if (RefreshSeconds is < 10 or > 86400)
        {
            problems.Add(s + "RefreshSeconds must be between 10 and 86400.");
        }

        if (RetrySeconds is < 1 or > 3600)
        {
            problems.Add(s + "RetrySeconds must be between 1 and 3600.");
        }

        if (TimeoutSeconds is < 1 or > 120)
        {
            problems.Add(s + "TimeoutSeconds must be between 1 and 120.");
        }

        if (MaxRetries is < 0 or > 10)
        {
            problems.Add(s + "MaxRetries must be between 0 and 10.");
        }

        foreach (var (key, prefix) in new[] { ("DeviceCredentialPrefix", DeviceCredentialPrefix), ("JumpHostKeyPrefix", JumpHostKeyPrefix) })
        {
            if (prefix is null || prefix.Length > 60 || prefix.Any(c => !char.IsAsciiLetterOrDigit(c) && c != '-'))
            {
                problems.Add(s + key + " may hold only letters, digits and '-' (Key Vault secret names), at most 60 characters.");
            }
        }

        return problems;
    }
}
