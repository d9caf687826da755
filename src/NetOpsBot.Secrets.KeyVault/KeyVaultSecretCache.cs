using System.Collections.Concurrent;
using System.Net.Http;
using System.Net.Sockets;
using Azure;
using Azure.Core;
using Azure.Identity;
using Azure.Security.KeyVault.Secrets;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace NetOpsBot.Secrets.KeyVault;

/// <summary>
/// Reads secrets from one Azure Key Vault and keeps each for <see cref="KeyVaultSecretsOptions.RefreshSeconds"/>.
/// One read per secret at a time (callers wait for the read in flight). When the vault cannot be reached, a
/// value read earlier is served (stale) and the vault is asked again after RetrySeconds; with no earlier value
/// the read throws <see cref="SecretUnavailableException"/>. A change of a secret's health is logged once, by
/// name: values appear nowhere (not in logs, messages, <see cref="ToString"/> or <see cref="Health"/>).
/// </summary>
public sealed partial class KeyVaultSecretCache
{
    private readonly SecretClient _client;
    private readonly KeyVaultSecretsOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly ConcurrentDictionary<string, Entry> _entries = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, SemaphoreSlim> _gates = new(StringComparer.Ordinal);

    public KeyVaultSecretCache(KeyVaultSecretsOptions options, TokenCredential? credential = null, TimeProvider? time = null, ILogger? logger = null, SecretClientOptions? clientOptions = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options;
        _time = time ?? TimeProvider.System;
        _logger = logger ?? NullLogger.Instance;
        clientOptions ??= new SecretClientOptions();
        clientOptions.DisableChallengeResourceVerification |= options.DisableChallengeResourceVerification;
        clientOptions.Retry.MaxRetries = options.MaxRetries;
        clientOptions.Retry.NetworkTimeout = TimeSpan.FromSeconds(options.TimeoutSeconds);
        clientOptions.Retry.Delay = TimeSpan.FromMilliseconds(500);
        // Never log request or response content: a secret read's response body is the secret.
        clientOptions.Diagnostics.IsLoggingContentEnabled = false;
        credential ??= new DefaultAzureCredential(new DefaultAzureCredentialOptions
        {
            ManagedIdentityClientId = string.IsNullOrEmpty(options.ManagedIdentityClientId) ? null : options.ManagedIdentityClientId,
            Retry = { MaxRetries = options.MaxRetries, NetworkTimeout = TimeSpan.FromSeconds(options.TimeoutSeconds) },
        });
        VaultUri = options.ParsedVaultUri;
        _client = new SecretClient(VaultUri, credential, clientOptions);
    }

    public Uri VaultUri { get; }

    /// <summary>Every secret asked for so far and how its last read went.</summary>
    public IReadOnlyCollection<SecretHealth> Health => _entries.Values.Select(e => e.Health).OrderBy(h => h.Name, StringComparer.Ordinal).ToList();

    /// <summary>The secret's value, or null when the vault says it does not exist.</summary>
    /// <exception cref="SecretUnavailableException">The vault cannot be read and no earlier value is cached.</exception>
    public async ValueTask<string?> GetAsync(string name, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        var now = _time.GetUtcNow();
        if (_entries.TryGetValue(name, out var cached) && cached.UsableUntil > now)
        {
            return cached.Value(name);
        }

        var gate = _gates.GetOrAdd(name, _ => new SemaphoreSlim(1, 1));
        await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            now = _time.GetUtcNow();
            if (_entries.TryGetValue(name, out cached) && cached.UsableUntil > now)
            {
                return cached.Value(name);
            }

            return await ReadAsync(name, cached, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            gate.Release();
        }
    }

    /// <summary>Reads each secret now (cache or vault) and returns the health of each; never throws for a vault problem.</summary>
    public async Task<IReadOnlyList<SecretHealth>> CheckAsync(IEnumerable<string> names, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(names);
        var result = new List<SecretHealth>();
        foreach (var name in names.Distinct(StringComparer.Ordinal))
        {
            try
            {
                _ = await GetAsync(name, cancellationToken).ConfigureAwait(false);
            }
            catch (SecretUnavailableException)
            {
                // Recorded in the entry's health and logged by ReadAsync.
            }

            result.Add(_entries[name].Health);
        }

        return result;
    }

    public override string ToString() => "Key Vault " + VaultUri;

    private async Task<string?> ReadAsync(string name, Entry? previous, CancellationToken cancellationToken)
    {
        var now = _time.GetUtcNow();
        try
        {
            string? value;
            try
            {
                var response = await _client.GetSecretAsync(name, cancellationToken: cancellationToken).ConfigureAwait(false);
                value = response.Value.Value;
            }
            catch (RequestFailedException ex) when (ex.Status == 404)
            {
                value = null;
            }

            var entry = new Entry(value, now.AddSeconds(_options.RefreshSeconds), new SecretHealth(name, true, value is not null, false, null, now));
            _entries[name] = entry;
            if (previous is { Health.Readable: false })
            {
                LogRecovered(_logger, name, VaultUri);
            }

            return value;
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            var reason = Describe(ex);
            var hasValue = previous is { Health.Readable: true } || previous is { Health.ServingStale: true };
            var health = new SecretHealth(name, false, previous?.Health.Exists ?? false, hasValue, reason, now);
            _entries[name] = new Entry(hasValue ? previous!.RawValue : null, now.AddSeconds(_options.RetrySeconds), health, failed: !hasValue);
            if (previous is null || previous.Health.Readable)
            {
                if (hasValue)
                {
                    LogServingStale(_logger, name, VaultUri, reason);
                }
                else
                {
                    LogUnreadable(_logger, name, VaultUri, reason);
                }
            }

            if (hasValue)
            {
                return previous!.RawValue;
            }

            throw new SecretUnavailableException(name, reason, ex is InvalidOperationException ? ex : null) { Vault = VaultUri };
        }
    }

    /// <summary>A short reason from the failure's type and status; never the response body (it could echo a value).</summary>
    internal static string Describe(Exception ex)
    {
        for (var e = ex; e is not null; e = e.InnerException)
        {
            if (e is SocketException se)
            {
                return "network: " + se.SocketErrorCode;
            }
        }

        for (var e = ex; e is not null; e = e.InnerException)
        {
            switch (e)
            {
                case HttpRequestException { HttpRequestError: not HttpRequestError.Unknown } he:
                    return "network: " + he.HttpRequestError;
                case System.Security.Authentication.AuthenticationException:
                    return "TLS: the vault's certificate is not trusted";
                case AuthenticationFailedException or CredentialUnavailableException:
                    return "no token for the vault (" + e.GetType().Name + "; check the managed identity)";
                case RequestFailedException { Status: > 0 } rf:
                    return $"HTTP {rf.Status}{(string.IsNullOrEmpty(rf.ErrorCode) ? string.Empty : " " + rf.ErrorCode)}";
                case TaskCanceledException or TimeoutException:
                    return "timed out (TimeoutSeconds)";
                default:
                    break;
            }
        }

        return ex.GetType().Name;
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Secrets: could not read secret '{SecretName:l}' from {Vault}: {Reason:l}. The host runs DEGRADED until it is readable: work that needs it fails, /readyz names it.")]
    private static partial void LogUnreadable(ILogger logger, string secretName, Uri vault, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Secrets: could not refresh secret '{SecretName:l}' from {Vault}: {Reason:l}; using the value read earlier until the vault answers.")]
    private static partial void LogServingStale(ILogger logger, string secretName, Uri vault, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Secrets: secret '{SecretName:l}' is readable again from {Vault}.")]
    private static partial void LogRecovered(ILogger logger, string secretName, Uri vault);

    private sealed class Entry(string? value, DateTimeOffset usableUntil, SecretHealth health, bool failed = false)
    {
        public string? RawValue { get; } = value;

        public DateTimeOffset UsableUntil { get; } = usableUntil;

        public SecretHealth Health { get; } = health;

        /// <summary>Within the retry window after a failed first read, callers get the failure again without a vault round trip.</summary>
        public string? Value(string name) => failed
            ? throw new SecretUnavailableException(name, Health.Problem + " (retrying)", null)
            : RawValue;

        public override string ToString() => Health.ToString();
    }
}
