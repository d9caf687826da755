namespace NetOpsBot.Ssh;

/// <summary>
/// The same rules OpenSSH applies to its own files, for the files the bot trusts: a secret (device
/// credentials, a private key) is readable by its owner only; a trust anchor (known_hosts) may be read by
/// anyone but written by its owner only, or any local user could pin their own host key.
/// </summary>
public static class FilePermissions
{
    private const UnixFileMode GroupOrOthers =
        UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.GroupExecute |
        UnixFileMode.OtherRead | UnixFileMode.OtherWrite | UnixFileMode.OtherExecute;

    private const UnixFileMode GroupOrOthersWrite = UnixFileMode.GroupWrite | UnixFileMode.OtherWrite;

    /// <summary>
    /// Why a secret file must not be used, or null when it is 0600 or stricter. <paramref name="what"/>
    /// names the file for the reader ("credentials file", "NetOps:CredentialsPath").
    /// </summary>
    public static string? SecretFileProblem(string path, string what)
    {
        if (!Checkable(path, out var mode))
        {
            return null;
        }

        var extra = mode & ~(UnixFileMode.UserRead | UnixFileMode.UserWrite);
        if (extra == 0)
        {
            return null;
        }

        var who = (mode & GroupOrOthers) != 0 ? "group or others can access it" : "it has permission bits beyond owner read/write";
        return $"{what} '{path}' has mode {Octal(mode)}: {who}. It holds secrets, so it must be 0600 or stricter " +
               $"(read/write for its owner only, like an SSH private key). Fix: chmod 600 '{path}'";
    }

    /// <summary>Why a known_hosts file must not be trusted, or null when only its owner can write it.</summary>
    public static string? TrustFileProblem(string path, string what)
    {
        if (!Checkable(path, out var mode))
        {
            return null;
        }

        if ((mode & GroupOrOthersWrite) == 0)
        {
            return null;
        }

        return $"{what} '{path}' has mode {Octal(mode)}: group or others can write it, so anyone on this machine could pin " +
               $"their own host key. It may be world-readable (0644) but only its owner may write it. Fix: chmod 644 '{path}' (or chmod go-w)";
    }

    /// <summary>Throws <see cref="UnauthorizedAccessException"/> with <see cref="SecretFileProblem"/>'s message.</summary>
    public static void EnsureSecretFile(string path, string what)
    {
        if (SecretFileProblem(path, what) is { } problem)
        {
            throw new UnauthorizedAccessException(problem);
        }
    }

    /// <summary>Throws <see cref="UnauthorizedAccessException"/> with <see cref="TrustFileProblem"/>'s message.</summary>
    public static void EnsureTrustFile(string path, string what)
    {
        if (TrustFileProblem(path, what) is { } problem)
        {
            throw new UnauthorizedAccessException(problem);
        }
    }

    private static bool Checkable(string path, out UnixFileMode mode)
    {
        mode = default;
        if (OperatingSystem.IsWindows() || !File.Exists(path))
        {
            // Windows has ACLs, not modes; a missing file is reported by whoever opens it.
            return false;
        }

        // Follows a symlink (a mounted secret volume links to its data): the target's mode is what protects it.
        mode = File.GetUnixFileMode(path);
        return true;
    }

    private static string Octal(UnixFileMode mode) => "0" + Convert.ToString((int)mode & 0xFFF, 8).PadLeft(3, '0');
}
