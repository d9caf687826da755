namespace NetOpsBot.Secrets.KeyVault;

/// <summary>Key Vault secret names allow only letters, digits and '-' (1-127 characters).</summary>
public static class SecretNames
{
    /// <summary><paramref name="prefix"/> + <paramref name="name"/> with every other character turned into '-' (lab_device → lab-device).</summary>
    public static string For(string prefix, string name)
    {
        ArgumentNullException.ThrowIfNull(prefix);
        ArgumentException.ThrowIfNullOrEmpty(name);
        var full = prefix + new string(name.Select(c => char.IsAsciiLetterOrDigit(c) ? c : '-').ToArray());
        return full.Length <= 127 ? full : throw new ArgumentException($"secret name for '{name}' would exceed 127 characters", nameof(name));
    }
}
