namespace NetOpsBot.Secrets.KeyVault;

/// <summary>A secret could not be read and no earlier value is cached. The message names the secret and the reason, never a value.</summary>
public sealed class SecretUnavailableException : Exception
{
    public SecretUnavailableException()
    {
    }

    public SecretUnavailableException(string message)
        : base(message)
    {
    }

    public SecretUnavailableException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public SecretUnavailableException(string secretName, string reason, Exception? innerException)
        : base($"secret '{secretName}' could not be read: {reason}", innerException)
    {
        SecretName = secretName;
        Reason = reason;
    }

    public string SecretName { get; } = string.Empty;

    public string Reason { get; } = string.Empty;

    public Uri? Vault { get; init; }

    public override string Message => Vault is null ? base.Message : base.Message + " (" + Vault + ")";
}

/// <summary>How one secret stands: <see cref="Readable"/> false means the last read failed (see <see cref="Problem"/>).</summary>
public sealed record SecretHealth(string Name, bool Readable, bool Exists, bool ServingStale, string? Problem, DateTimeOffset CheckedAt);
