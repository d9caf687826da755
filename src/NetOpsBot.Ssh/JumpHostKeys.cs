namespace NetOpsBot.Ssh;

/// <summary>A jump host's private key (OpenSSH or PEM text) and its passphrase; neither ever appears in <see cref="ToString"/>.</summary>
public sealed class JumpHostKey
{
    public JumpHostKey(string privateKey, string? passphrase)
    {
        ArgumentException.ThrowIfNullOrEmpty(privateKey);
        PrivateKey = privateKey;
        Passphrase = string.IsNullOrEmpty(passphrase) ? null : passphrase;
    }

    public string PrivateKey { get; }

    public string? Passphrase { get; }

    public override string ToString() => Passphrase is null ? "private key (redacted)" : "private key and passphrase (redacted)";
}

/// <summary>
/// Where the connector gets a jump host's key at connect time (each new jump login asks again, so a rotated
/// key is picked up without a restart).
/// </summary>
public interface IJumpHostKeyProvider
{
    /// <exception cref="JumpHostKeyUnavailableException">The key cannot be read; the message names where from, never the key.</exception>
    ValueTask<JumpHostKey> GetAsync(JumpHostOptions jumpHost, CancellationToken cancellationToken);
}

/// <summary>The key cannot be read. The message is safe to log: it names the file or secret, never its content.</summary>
public sealed class JumpHostKeyUnavailableException : Exception
{
    public JumpHostKeyUnavailableException()
    {
    }

    public JumpHostKeyUnavailableException(string message)
        : base(message)
    {
    }

    public JumpHostKeyUnavailableException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}

/// <summary>
/// Reads the inventory's <c>keyFile</c>; the passphrase, when the key has one, comes from
/// <c>NETOPSBOT_JUMPKEY_&lt;NAME&gt;_PASSPHRASE</c> (NAME upper-cased, non-alphanumerics as '_').
/// </summary>
public sealed class FileJumpHostKeyProvider(Func<string, string?>? getVariable = null) : IJumpHostKeyProvider
{
    private readonly Func<string, string?> _get = getVariable ?? Environment.GetEnvironmentVariable;

    public static string PassphraseVariable(string jumpHostName)
    {
        ArgumentNullException.ThrowIfNull(jumpHostName);
        return "NETOPSBOT_JUMPKEY_" + new string(jumpHostName.Select(c => char.IsAsciiLetterOrDigit(c) ? char.ToUpperInvariant(c) : '_').ToArray()) + "_PASSPHRASE";
    }

    public async ValueTask<JumpHostKey> GetAsync(JumpHostOptions jumpHost, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(jumpHost);
        if (string.IsNullOrEmpty(jumpHost.PrivateKeyPath))
        {
            throw new JumpHostKeyUnavailableException($"jump host {jumpHost.Name}: no keyFile in the inventory");
        }

        if (FilePermissions.SecretFileProblem(jumpHost.PrivateKeyPath, $"jump host {jumpHost.Name}: private key") is { } problem)
        {
            throw new JumpHostKeyUnavailableException(problem);
        }

        try
        {
            var text = await File.ReadAllTextAsync(jumpHost.PrivateKeyPath, cancellationToken).ConfigureAwait(false);
            return new JumpHostKey(text, _get(PassphraseVariable(jumpHost.Name)));
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException)
        {
            throw new JumpHostKeyUnavailableException($"jump host {jumpHost.Name}: cannot read the private key {jumpHost.PrivateKeyPath}: {FileProblem.Describe(ex)}", ex);
        }
    }

    public override string ToString() => "the inventory's key file";
}
