using System.Globalization;
using System.Security.Cryptography;

namespace NetOpsBot.Lab;

/// <summary>
/// Machine-level prerequisites shared by every lab on this host: OpenSSH, /run/sshd and the two
/// local accounts the lab's sshd instances log in as. Registered labs are tracked so the last
/// `lab down` removes the accounts again.
/// </summary>
internal static class LabHost
{
    public const string JumpUser = "labjump";
    public const string DeviceUser = "labvrp";
    public const string StateDirectory = "/var/lib/netopsbot-lab";
    private static readonly string PasswordFile = Path.Combine(StateDirectory, "device-password");
    private static readonly string RegistryDirectory = Path.Combine(StateDirectory, "labs");

    public static string Sshd => "/usr/sbin/sshd";

    public static async Task EnsureOpenSshAsync(Action<string> progress, CancellationToken ct)
    {
        if (!IsRoot())
        {
            throw new LabException("The lab must run as root: it creates the lab's local accounts and runs sshd instances. Run it with sudo, or inside the CI container.");
        }

        if (!File.Exists(Sshd) || ProcessTools.Which("ssh-keygen", "/usr/bin") is null)
        {
            var apt = ProcessTools.Which("apt-get", "/usr/bin") ?? throw new LabException("OpenSSH server is not installed and apt-get is not available: install openssh-server.");
            progress("Installing openssh-server (first run only)...");
            Environment.SetEnvironmentVariable("DEBIAN_FRONTEND", "noninteractive");
            await ProcessTools.RunAsync(apt, ["update", "-qq"], ct: ct).ConfigureAwait(false);
            await ProcessTools.RunCheckedAsync(apt, ["install", "-y", "-qq", "openssh-server", "openssh-client"], ct: ct).ConfigureAwait(false);
        }

        // sshd refuses to start without its privilege-separation directory, which systemd would create.
        Directory.CreateDirectory("/run/sshd");
    }

    public static bool IsRoot() => string.Equals(Environment.UserName, "root", StringComparison.Ordinal);

    /// <summary>Creates the lab accounts when missing and returns the device password (lab-only, generated once per machine).</summary>
    public static async Task<string> EnsureAccountsAsync(CancellationToken ct)
    {
        Directory.CreateDirectory(StateDirectory);
        File.SetUnixFileMode(StateDirectory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        string password;
        if (File.Exists(PasswordFile))
        {
            password = (await File.ReadAllTextAsync(PasswordFile, ct).ConfigureAwait(false)).Trim();
        }
        else
        {
            password = "Lab-" + Convert.ToHexString(RandomNumberGenerator.GetBytes(8)).ToLowerInvariant();
            await File.WriteAllTextAsync(PasswordFile, password, ct).ConfigureAwait(false);
            File.SetUnixFileMode(PasswordFile, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }

        if (!await UserExistsAsync(JumpUser, ct).ConfigureAwait(false))
        {
            await ProcessTools.RunCheckedAsync("/usr/sbin/useradd", ["--system", "--no-create-home", "--home-dir", "/", "--shell", "/usr/sbin/nologin", JumpUser], ct: ct).ConfigureAwait(false);
        }

        // With UsePAM no, sshd treats '!' (locked) as "refuse even public keys"; '*' means "no password, keys only".
        await ProcessTools.RunCheckedAsync("/usr/sbin/usermod", ["-p", "*", JumpUser], ct: ct).ConfigureAwait(false);

        if (!await UserExistsAsync(DeviceUser, ct).ConfigureAwait(false))
        {
            await ProcessTools.RunCheckedAsync("/usr/sbin/useradd", ["--system", "--no-create-home", "--home-dir", "/", "--shell", "/bin/sh", DeviceUser], ct: ct).ConfigureAwait(false);
        }

        await ProcessTools.RunCheckedAsync("/usr/sbin/chpasswd", [], stdin: $"{DeviceUser}:{password}\n", ct: ct).ConfigureAwait(false);
        return password;
    }

    public static string? ReadDevicePassword() => File.Exists(PasswordFile) ? File.ReadAllText(PasswordFile).Trim() : null;

    public static async Task<int?> UserIdAsync(string user, CancellationToken ct)
    {
        var r = await ProcessTools.RunAsync("/usr/bin/id", ["-u", user], ct: ct).ConfigureAwait(false);
        return r.ExitCode == 0 && int.TryParse(r.StdOut.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var uid) ? uid : null;
    }

    private static async Task<bool> UserExistsAsync(string user, CancellationToken ct) => await UserIdAsync(user, ct).ConfigureAwait(false) is not null;

    public static void Register(string runDirectory, int pid)
    {
        Directory.CreateDirectory(RegistryDirectory);
        File.WriteAllText(RegistryPath(runDirectory), pid.ToString(CultureInfo.InvariantCulture) + "\n" + runDirectory + "\n");
    }

    /// <summary>Forgets this lab; when no other lab is alive, removes the accounts and the shared state.</summary>
    public static async Task UnregisterAsync(string runDirectory, CancellationToken ct)
    {
        var mine = RegistryPath(runDirectory);
        if (File.Exists(mine))
        {
            File.Delete(mine);
        }

        var othersAlive = Directory.Exists(RegistryDirectory) && Directory.GetFiles(RegistryDirectory).Any(f =>
        {
            var first = File.ReadLines(f).FirstOrDefault();
            if (int.TryParse(first, NumberStyles.None, CultureInfo.InvariantCulture, out var pid) && ProcessTools.IsAlive(pid))
            {
                return true;
            }

            File.Delete(f);
            return false;
        });
        if (othersAlive)
        {
            return;
        }

        foreach (var user in new[] { DeviceUser, JumpUser })
        {
            if (await UserExistsAsync(user, ct).ConfigureAwait(false))
            {
                await ProcessTools.RunAsync("/usr/sbin/userdel", [user], ct: ct).ConfigureAwait(false);
            }
        }

        if (Directory.Exists(StateDirectory))
        {
            Directory.Delete(StateDirectory, recursive: true);
        }
    }

    private static string RegistryPath(string runDirectory) =>
        Path.Combine(RegistryDirectory, Convert.ToHexString(SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(Path.GetFullPath(runDirectory))))[..16].ToLowerInvariant());
}
