using System.Globalization;
using System.Text;
using System.Text.Json;

namespace NetOpsBot.Lab;

/// <summary>
/// The files a lab publishes for its clients in the run directory: known_hosts (jump host, console server, every
/// device port), a ready-made OpenSSH client config, the inventory the bot reads, and the credentials file (0600).
/// </summary>
internal static class LabClientFiles
{
    public static async Task WriteAsync(Topology topology, string run, string password, CancellationToken ct)
    {
        string KeyPath(string name) => Path.Combine(LabLayout.KeysDirectory(run), name);
        var known = new StringBuilder();
        string KeyText(string file) => string.Join(' ', File.ReadAllText(file + ".pub").Trim().Split(' ').Take(2));
        known.Append(CultureInfo.InvariantCulture, $"[{topology.JumpHostAddress}]:{Topology.JumpHostPort} {KeyText(KeyPath("jump_host_ed25519"))}\n");
        foreach (var d in topology.Devices)
        {
            known.Append(CultureInfo.InvariantCulture, $"[{topology.ConsoleServerAddress}]:{d.ConsolePort} {KeyText(KeyPath("console_host_ed25519"))}\n");
            var deviceKey = KeyText(KeyPath($"{d.Name}_rsa_0"));
            foreach (var port in new[] { d.SshPort }.Concat(d.AlternatePorts).Where(p => p != 23).Distinct())
            {
                known.Append(port == 22 ? $"{d.LabAddress} {deviceKey}\n" : string.Create(CultureInfo.InvariantCulture, $"[{d.LabAddress}]:{port} {deviceKey}\n"));
            }
        }

        await File.WriteAllTextAsync(LabLayout.KnownHostsPath(run), known.ToString(), ct).ConfigureAwait(false);
        File.SetUnixFileMode(LabLayout.KnownHostsPath(run), (UnixFileMode)0x1A4);

        // A ready-made OpenSSH client config: `ssh -F <run>/ssh_config sw-access-12` goes through the jump
        // host with strict checking against the lab's known_hosts.
        var sshConfig = new StringBuilder();
        sshConfig.Append(CultureInfo.InvariantCulture, $"""
            Host lab-jump
              HostName {topology.JumpHostAddress}
              Port {Topology.JumpHostPort}
              User {LabHost.JumpUser}
              IdentityFile {KeyPath("bot_ed25519")}
              IdentitiesOnly yes
              BatchMode yes
              UserKnownHostsFile {LabLayout.KnownHostsPath(run)}
              StrictHostKeyChecking yes
              GlobalKnownHostsFile /dev/null

            Host lab-console
              HostName {topology.ConsoleServerAddress}
              User {LabHost.DeviceUser}
              ProxyJump lab-jump
              UserKnownHostsFile {LabLayout.KnownHostsPath(run)}
              StrictHostKeyChecking yes
              GlobalKnownHostsFile /dev/null
              PubkeyAuthentication no
              PreferredAuthentications password


            """);
        foreach (var d in topology.Devices)
        {
            sshConfig.Append(CultureInfo.InvariantCulture, $"""
                Host {d.Name} {d.LabAddress}
                  HostName {d.LabAddress}
                  User {LabHost.DeviceUser}
                  ProxyJump lab-jump
                  UserKnownHostsFile {LabLayout.KnownHostsPath(run)}
                  StrictHostKeyChecking yes
                  GlobalKnownHostsFile /dev/null
                  HostKeyAlgorithms rsa-sha2-512,rsa-sha2-256
                  PubkeyAuthentication no
                  PreferredAuthentications password


                """);
        }

        await File.WriteAllTextAsync(LabLayout.SshConfigPath(run), sshConfig.ToString(), ct).ConfigureAwait(false);

        var inventory = new
        {
            site = "lab",
            managementSubnet = Topology.ManagementSubnet,
            jumpHosts = new[]
            {
                new { name = "lab-jump", address = topology.JumpHostAddress, port = Topology.JumpHostPort, user = LabHost.JumpUser, keyFile = KeyPath("bot_ed25519"), managementIp = Topology.JumpHostManagementIp },
            },
            consoleServers = new[] { new { name = "lab-console", address = topology.ConsoleServerAddress, credential = "lab-device" } },
            devices = topology.Devices.Select(d => new
            {
                name = d.Name,
                platform = d.Platform,
                role = d.Role,
                managementAddress = d.LabAddress,
                managementIp = d.ManagementIp,
                sshPort = d.SshPort,
                alternatePorts = d.AlternatePorts,
                gateway = d.Gateway,
                jumpHost = "lab-jump",
                console = new { server = "lab-console", port = d.ConsolePort },
                credential = "lab-device",
            }),
        };
        await File.WriteAllTextAsync(LabLayout.InventoryPath(run), JsonSerializer.Serialize(inventory, LabStatus.Json), ct).ConfigureAwait(false);

        var credentials = new Dictionary<string, object> { ["lab-device"] = new { user = LabHost.DeviceUser, password = password } };
        // Created 0600 (the host refuses a looser credentials file); writing first and chmod-ing after would leave
        // the file at the umask's mode for a moment. The chmod covers a file left by an older lab.
        var owner = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        var stream = new FileStream(LabLayout.CredentialsPath(run), new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write, UnixCreateMode = owner });
        await using (stream.ConfigureAwait(false))
        {
            await JsonSerializer.SerializeAsync(stream, credentials, LabStatus.Json, ct).ConfigureAwait(false);
        }

        File.SetUnixFileMode(LabLayout.CredentialsPath(run), owner);
    }
}
