using NetOpsBot.Secrets.KeyVault;
using NetOpsBot.Ssh;

namespace NetOpsBot.Host.Secrets;

/// <summary>What /readyz says about secrets: which could not be read, by name and reason (never a value).</summary>
internal interface ISecretsReadiness
{
    SecretsReport Report();
}

internal sealed record UnreadableSecret(string Name, string Reason);

internal sealed record SecretsReport(string Source, string Status, IReadOnlyList<UnreadableSecret> Unreadable)
{
    public bool Ready => Status is "ok" or "stale";
}

/// <summary>Files and environment variables are read when used; nothing to check ahead.</summary>
internal sealed class FileSecretsReadiness : ISecretsReadiness
{
    public SecretsReport Report() => new("files", "ok", []);
}

/// <summary>
/// Reads every secret the inventory needs (each device credential, each jump host's key and optional passphrase)
/// at start-up, in the background so the host still starts when the vault is down, and again each
/// RefreshSeconds (which also renews the cache before a diagnosis needs it). A required secret that cannot be
/// read or does not exist makes the host degraded: /readyz answers 503 and names it.
/// </summary>
internal sealed class KeyVaultReadiness(KeyVaultSecretCache vault, KeyVaultSecretsOptions options, InventoryFile inventory) : BackgroundService, ISecretsReadiness
{
    private volatile SecretsReport _report = new("keyvault", "checking", []);

    public SecretsReport Report() => _report;

    /// <summary>Secrets that must exist, and the optional ones (a jump key's passphrase).</summary>
    internal (IReadOnlyList<string> Required, IReadOnlyList<string> Optional) Needed()
    {
        var required = inventory.Devices.Select(d => d.CredentialRef).Where(r => r.Length > 0).Distinct(StringComparer.Ordinal)
            .Select(r => SecretNames.For(options.DeviceCredentialPrefix, r))
            .Concat(inventory.JumpHosts.Keys.Select(j => KeyVaultJumpHostKeyProvider.KeySecret(options, j)))
            .ToList();
        var optional = inventory.JumpHosts.Keys.Select(j => KeyVaultJumpHostKeyProvider.PassphraseSecret(options, j)).ToList();
        return (required, optional);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var (required, optional) = Needed();
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(Math.Max(options.RetrySeconds, 5)));
        do
        {
            var health = await vault.CheckAsync(required.Concat(optional), stoppingToken).ConfigureAwait(false);
            var problems = health
                .Where(h => !h.Readable || (!h.Exists && required.Contains(h.Name, StringComparer.Ordinal)))
                .Select(h => new UnreadableSecret(h.Name, h.Readable ? "does not exist in the vault" : h.Problem + (h.ServingStale ? " (using the value read earlier)" : string.Empty)))
                .ToList();
            var degraded = problems.Any(p => !p.Reason.EndsWith("(using the value read earlier)", StringComparison.Ordinal));
            _report = new SecretsReport("keyvault " + vault.VaultUri, degraded ? "degraded" : problems.Count > 0 ? "stale" : "ok", problems);
        }
        while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false));
    }
}
