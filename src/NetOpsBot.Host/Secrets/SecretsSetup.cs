using System.Text.Json;
using Microsoft.Extensions.Options;
using NetOpsBot.Core.Access;
using NetOpsBot.Secrets.KeyVault;
using NetOpsBot.Ssh;

namespace NetOpsBot.Host.Secrets;

/// <summary>
/// Chooses where device credentials and jump-host keys come from: <c>NetOps:Secrets:Provider</c> = <c>Files</c>
/// (default: credentials JSON or NETOPSBOT_CRED_* variables, the inventory's key file) or <c>KeyVault</c>.
/// </summary>
internal static class SecretsSetup
{
    public const string ProviderKey = "NetOps:Secrets:Provider";

    /// <summary>Registers the chosen providers; call after the file/environment <see cref="ICredentialProvider"/> so Key Vault's wins.</summary>
    public static IServiceCollection AddNetOpsBotSecrets(this IServiceCollection services, IConfiguration configuration)
    {
        var provider = configuration[ProviderKey] ?? "Files";
        if (string.Equals(provider, "Files", StringComparison.OrdinalIgnoreCase))
        {
            services.AddSingleton<IJumpHostKeyProvider, FileJumpHostKeyProvider>();
            services.AddSingleton<ISecretsReadiness, FileSecretsReadiness>();
            return services;
        }

        if (!string.Equals(provider, "KeyVault", StringComparison.OrdinalIgnoreCase))
        {
            throw new OptionsValidationException(ProviderKey, typeof(KeyVaultSecretsOptions), [$"{ProviderKey} must be Files or KeyVault (was '{provider}')."]);
        }

        var options = configuration.GetSection(KeyVaultSecretsOptions.SectionName).Get<KeyVaultSecretsOptions>() ?? new KeyVaultSecretsOptions();
        var problems = options.Validate();
        if (problems.Count > 0)
        {
            throw new OptionsValidationException(KeyVaultSecretsOptions.SectionName, typeof(KeyVaultSecretsOptions), problems);
        }

        services.AddSingleton(options);
        services.AddSingleton(sp => new KeyVaultSecretCache(options, time: sp.GetRequiredService<TimeProvider>(), logger: sp.GetRequiredService<ILogger<KeyVaultSecretCache>>()));
        services.AddSingleton<ICredentialProvider, KeyVaultCredentialProvider>();
        services.AddSingleton<IJumpHostKeyProvider, KeyVaultJumpHostKeyProvider>();
        services.AddSingleton<KeyVaultReadiness>();
        services.AddSingleton<ISecretsReadiness>(sp => sp.GetRequiredService<KeyVaultReadiness>());
        services.AddHostedService(sp => sp.GetRequiredService<KeyVaultReadiness>());
        return services;
    }
}

/// <summary>Device credential <c>ref</c> → Key Vault secret <c>{DeviceCredentialPrefix}{ref}</c> = <c>{"user": "...", "password": "..."}</c>.</summary>
internal sealed class KeyVaultCredentialProvider(KeyVaultSecretCache vault, KeyVaultSecretsOptions options) : ICredentialProvider
{
    public async ValueTask<DeviceCredential?> GetAsync(string credentialRef, CancellationToken cancellationToken)
    {
        var name = SecretNames.For(options.DeviceCredentialPrefix, credentialRef);
        string? json;
        try
        {
            json = await vault.GetAsync(name, cancellationToken).ConfigureAwait(false);
        }
        catch (SecretUnavailableException ex)
        {
            throw new DeviceAccessException(DeviceAccessFailure.AuthFailed, $"credential '{credentialRef}': {ex.Message}", ex);
        }

        if (json is null)
        {
            return null;
        }

        try
        {
            using var doc = JsonDocument.Parse(json);
            return doc.RootElement.TryGetProperty("user", out var u) && u.GetString() is { Length: > 0 } user &&
                   doc.RootElement.TryGetProperty("password", out var p) && p.GetString() is { } password
                ? new DeviceCredential(user, password)
                : throw new DeviceAccessException(DeviceAccessFailure.AuthFailed, $"credential '{credentialRef}': secret '{name}' must be JSON {{\"user\": ..., \"password\": ...}}");
        }
        catch (JsonException)
        {
            // JsonException's message quotes the text around the error: part of the secret. Say only where.
            throw new DeviceAccessException(DeviceAccessFailure.AuthFailed, $"credential '{credentialRef}': secret '{name}' is not valid JSON");
        }
    }

    public override string ToString() => $"{vault} (secret {options.DeviceCredentialPrefix}<credential>)";
}

/// <summary>Jump host <c>name</c> → secrets <c>{JumpHostKeyPrefix}{name}-key</c> and, when the key is encrypted, <c>...-passphrase</c>.</summary>
internal sealed class KeyVaultJumpHostKeyProvider(KeyVaultSecretCache vault, KeyVaultSecretsOptions options) : IJumpHostKeyProvider
{
    public static string KeySecret(KeyVaultSecretsOptions options, string jumpHost) => SecretNames.For(options.JumpHostKeyPrefix, jumpHost) + "-key";

    public static string PassphraseSecret(KeyVaultSecretsOptions options, string jumpHost) => SecretNames.For(options.JumpHostKeyPrefix, jumpHost) + "-passphrase";

    public async ValueTask<JumpHostKey> GetAsync(JumpHostOptions jumpHost, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(jumpHost);
        var keyName = KeySecret(options, jumpHost.Name);
        try
        {
            var key = await vault.GetAsync(keyName, cancellationToken).ConfigureAwait(false)
                ?? throw new JumpHostKeyUnavailableException($"jump host {jumpHost.Name}: secret '{keyName}' does not exist in {vault}");
            var passphrase = await vault.GetAsync(PassphraseSecret(options, jumpHost.Name), cancellationToken).ConfigureAwait(false);
            return new JumpHostKey(key, passphrase);
        }
        catch (SecretUnavailableException ex)
        {
            throw new JumpHostKeyUnavailableException($"jump host {jumpHost.Name}: {ex.Message}", ex);
        }
    }

    public override string ToString() => $"{vault} (secret {options.JumpHostKeyPrefix}<jump host>-key)";
}
