using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace NetOpsBot.Lab;

/// <summary>
/// What a lab needs before anything listens: a free address block, its run directory, the VTY shim the device
/// logins run (native when a C compiler is there), and its keys.
/// </summary>
internal static class LabProvisioning
{
    public static int? ReadPid(string run)
    {
        var path = LabLayout.PidPath(run);
        return File.Exists(path) && int.TryParse(File.ReadAllText(path).Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var pid) ? pid : null;
    }


    /// <summary>Refuses to start where another lab (or a host sshd) holds an address or port this lab must own.</summary>
    public static void CheckAddressesFree(Topology topology)
    {
        if (topology.Network == LabNetworkMode.Namespaces)
        {
            // Every other endpoint lives in the lab's own namespaces; only the published link can clash.
            if (LabNetwork.RootLinkExists(topology.AddressBlock))
            {
                // Said like the loopback lab's clash (what is in use, by whom, what to do); the interface name is the evidence.
                throw new LabException(
                    $"Address block {topology.AddressBlock} is already in use: the jump host's published address {topology.JumpHostAddress} belongs to another lab " +
                    $"(its interface {LabNetwork.RootLinkName(topology.AddressBlock)} exists in this network namespace). Start this lab with --address-block N.");
            }

            return;
        }

        var endpoints = new List<(string Address, int Port, string What)> { (topology.JumpHostAddress, Topology.JumpHostPort, "jump host") };
        endpoints.AddRange(topology.Devices.SelectMany(d => new[] { d.SshPort }.Concat(d.AlternatePorts).Select(p => (d.LabAddress, p, d.Name))));
        endpoints.AddRange(topology.Devices.Select(d => (topology.ConsoleServerAddress, d.ConsolePort, "console server")));
        foreach (var (address, port, what) in endpoints)
        {
            using var probe = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            try
            {
                probe.Bind(new IPEndPoint(IPAddress.Parse(address), port));
            }
            catch (SocketException ex) when (ex.SocketErrorCode == SocketError.AddressAlreadyInUse)
            {
                throw new LabException(
                    $"{address}:{port} ({what}) is already in use. Another lab on address block {topology.AddressBlock}, or a host sshd listening on 0.0.0.0:{port}, would answer where the lab must refuse. " +
                    "Start this lab with --address-block N, or run it in its own network namespace (scripts/test.sh does).");
            }
        }
    }


    public static void PrepareRunDirectory(string run)
    {
        if (Directory.Exists(run))
        {
            Directory.Delete(run, recursive: true);
        }

        Directory.CreateDirectory(run);
        // The device account must reach the VTY socket and shim; nothing else here is for it.
        File.SetUnixFileMode(run, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute);
        foreach (var dir in new[] { LabLayout.KeysDirectory(run), LabLayout.SshdDirectory(run) })
        {
            Directory.CreateDirectory(dir);
            File.SetUnixFileMode(dir, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }

        // Parent directories must be traversable by the device account too (e.g. a test's temp dir).
        for (var dir = Path.GetDirectoryName(run); dir is not null && dir != "/"; dir = Path.GetDirectoryName(dir))
        {
            var mode = File.GetUnixFileMode(dir);
            if ((mode & UnixFileMode.OtherExecute) == 0)
            {
                throw new LabException($"The lab's device account cannot reach {run}: {dir} is not traversable by others. Choose a run directory under /tmp or /var.");
            }
        }
    }


    public static string ResolveDotnet()
    {
        var candidates = new[]
        {
            Environment.GetEnvironmentVariable("DOTNET_HOST_PATH"),
            Environment.ProcessPath is { } p && Path.GetFileNameWithoutExtension(p) == "dotnet" ? p : null,
            ProcessTools.Which("dotnet", "/usr/share/dotnet", "/usr/lib/dotnet"),
        };
        foreach (var c in candidates)
        {
            if (!string.IsNullOrEmpty(c) && File.Exists(c))
            {
                var real = new FileInfo(c).ResolveLinkTarget(returnFinalTarget: true)?.FullName ?? c;
                return real;
            }
        }

        throw new LabException("Cannot find the dotnet host to run the VTY shim.");
    }


    public static void InstallVtyShim(string run)
    {
        // The shim runs as the device account, which cannot read a checkout under /root; give it a copy.
        var target = LabLayout.VtyDirectory(run);
        Directory.CreateDirectory(target);
        File.SetUnixFileMode(target, (UnixFileMode)0x1ED);
        foreach (var name in new[] { "NetOpsBot.Lab.Vty.dll", "NetOpsBot.Lab.Vty.runtimeconfig.json", "NetOpsBot.Lab.Vty.deps.json" })
        {
            var source = Path.Combine(AppContext.BaseDirectory, name);
            if (!File.Exists(source))
            {
                if (name.EndsWith("deps.json", StringComparison.Ordinal))
                {
                    continue;
                }

                throw new LabException($"VTY shim file {name} is missing next to the lab ({AppContext.BaseDirectory}); rebuild the solution.");
            }

            var dest = Path.Combine(target, name);
            File.Copy(source, dest, overwrite: true);
            File.SetUnixFileMode(dest, (UnixFileMode)0x1A4);
        }
    }


    /// <summary>
    /// Compiles VtyShim/netopsbot-vty.c into the run directory: the binary, or null and why the .NET shim serves
    /// instead (no C compiler, the source missing, or the compiler failed).
    /// </summary>
    public static async Task<(string? Binary, string? WhyNot)> BuildNativeVtyShimAsync(string run, CancellationToken ct)
    {
        var source = Path.Combine(AppContext.BaseDirectory, "VtyShim", "netopsbot-vty.c");
        var compiler = ProcessTools.Which("cc") ?? ProcessTools.Which("gcc");
        if (!File.Exists(source) || compiler is null)
        {
            return (null, compiler is null ? "no C compiler (cc/gcc) found" : "VtyShim/netopsbot-vty.c is missing next to the lab");
        }

        var binary = Path.Combine(LabLayout.VtyDirectory(run), "netopsbot-vty");
        var result = await ProcessTools.RunAsync(compiler, ["-O2", "-o", binary, source], ct: ct).ConfigureAwait(false);
        if (result.ExitCode != 0 || !File.Exists(binary))
        {
            return (null, "compiling the native shim failed: " + (result.StdErr + result.StdOut).Trim());
        }

        File.SetUnixFileMode(binary, (UnixFileMode)0x1ED);
        return (binary, null);
    }

    public static async Task KeygenAsync(string path, string type, CancellationToken ct)
    {
        string[] args = type == "rsa"
            ? ["-q", "-t", "rsa", "-b", "2048", "-N", "", "-C", "netopsbot-lab", "-f", path]
            : ["-q", "-t", "ed25519", "-N", "", "-C", "netopsbot-lab", "-f", path];
        await ProcessTools.RunCheckedAsync("/usr/bin/ssh-keygen", args, ct: ct).ConfigureAwait(false);
    }

    /// <summary>The jump host's, the bot's and the console server's keys, and each device's first RSA host key.</summary>
    public static async Task GenerateKeysAsync(Topology topology, string run, CancellationToken ct)
    {
        string KeyPath(string name) => Path.Combine(LabLayout.KeysDirectory(run), name);
        var jobs = new List<Task>
        {
            KeygenAsync(KeyPath("jump_host_ed25519"), "ed25519", ct),
            KeygenAsync(KeyPath("bot_ed25519"), "ed25519", ct),
            KeygenAsync(KeyPath("console_host_ed25519"), "ed25519", ct),
            KeygenAsync(KeyPath("no_rsa_placeholder_ed25519"), "ed25519", ct),
        };
        jobs.AddRange(topology.Devices.Select(d => KeygenAsync(KeyPath($"{d.Name}_rsa_0"), "rsa", ct)));
        await Task.WhenAll(jobs).ConfigureAwait(false);
    }
}
