using System.Text.Json;

namespace NetOpsBot.Ssh;

/// <summary>A device login. The password never appears in <see cref="ToString"/>, logs or exception messages.</summary>
public sealed class DeviceCredential
{
    public DeviceCredential(string user, string password)
    {
        ArgumentException.ThrowIfNullOrEmpty(user);
        ArgumentNullException.ThrowIfNull(password);
        User = user;
        Password = password;
    }

    public string User { get; }

    public string Password { get; }

    public override string ToString() => $"{User} (password redacted)";
}

/// <summary>Resolves an inventory credential reference (e.g. "lab-device") to a login. Key Vault comes later.</summary>
public interface ICredentialProvider
{
    /// <returns>The credential, or null when the reference is unknown.</returns>
    ValueTask<DeviceCredential?> GetAsync(string credentialRef, CancellationToken cancellationToken);
}

/// <summary>Reads <c>{"ref": {"user": "...", "password": "..."}}</c> (the lab's credentials.json, mode 0600).</summary>
public sealed class JsonFileCredentialProvider(string path) : ICredentialProvider
{
    public async ValueTask<DeviceCredential?> GetAsync(string credentialRef, CancellationToken cancellationToken)
    {
        // Read on each call: the file is tiny and a rotated password is picked up without a restart.
        FilePermissions.EnsureSecretFile(path, "credentials file");
        var stream = File.OpenRead(path);
        await using (stream.ConfigureAwait(false))
        {
            using var doc = await JsonDocument.ParseAsync(stream, cancellationToken: cancellationToken).ConfigureAwait(false);
            if (!doc.RootElement.TryGetProperty(credentialRef, out var entry) ||
                !entry.TryGetProperty("user", out var user) || !entry.TryGetProperty("password", out var password) ||
                user.GetString() is not { Length: > 0 } u || password.GetString() is not { } p)
            {
                return null;
            }

            return new DeviceCredential(u, p);
        }
    }

    public override string ToString() => "credentials file " + path;
}

/// <summary>
/// Reads <c>NETOPSBOT_CRED_&lt;REF&gt;_USER</c> and <c>..._PASSWORD</c>, where REF is the reference upper-cased
/// with every non-alphanumeric character turned into '_' (lab-device → LAB_DEVICE).
/// </summary>
public sealed class EnvironmentCredentialProvider(Func<string, string?>? getVariable = null) : ICredentialProvider
{
    private readonly Func<string, string?> _get = getVariable ?? Environment.GetEnvironmentVariable;

    public static string VariablePrefix(string credentialRef)
    {
        ArgumentNullException.ThrowIfNull(credentialRef);
        return "NETOPSBOT_CRED_" + new string(credentialRef.Select(c => char.IsAsciiLetterOrDigit(c) ? char.ToUpperInvariant(c) : '_').ToArray());
    }

    public ValueTask<DeviceCredential?> GetAsync(string credentialRef, CancellationToken cancellationToken)
    {
        var prefix = VariablePrefix(credentialRef);
        var user = _get(prefix + "_USER");
        var password = _get(prefix + "_PASSWORD");
        return ValueTask.FromResult(string.IsNullOrEmpty(user) || password is null ? null : new DeviceCredential(user, password));
    }
}
