using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace NetOpsBot.Lab;

/// <summary>
/// One real OpenSSH sshd running with its own configuration in the foreground (-D) so the lab owns
/// the listener process. Sessions are children of the listener and are tracked separately: stopping
/// the listener (a port change) must not cut the sessions that are already open, as on a switch.
/// </summary>
internal sealed class SshdInstance : IDisposable
{
    private readonly string _configPath;
    private readonly string _logPath;
    private readonly List<int> _orphans = [];
    private readonly IReadOnlyList<string> _enter;
    private Process? _process;

    /// <param name="enter">A command prefix that execs sshd inside a network namespace (empty: this process's namespace).</param>
    public SshdInstance(string name, string configPath, string logPath, IReadOnlyList<string>? enter = null)
    {
        Name = name;
        _configPath = configPath;
        _logPath = logPath;
        _enter = enter ?? [];
    }

    public string Name { get; }

    public string LogPath => _logPath;

    public int? Pid => _process is { HasExited: false } p ? p.Id : null;

    public IReadOnlyList<string> ListenEndpoints { get; private set; } = [];

    /// <summary>Whether this OpenSSH knows PerSourcePenalties (9.8+); newer sshd locks a source out after failed logins otherwise.</summary>
    public static bool SupportsPerSourcePenalties { get; } = Probe();

    private static bool Probe()
    {
        try
        {
            using var p = Process.Start(new ProcessStartInfo(LabHost.Sshd, ["-t", "-f", "/dev/null", "-o", "PerSourcePenalties=no"])
            {
                RedirectStandardError = true,
                RedirectStandardOutput = true,
            });
            if (p is null)
            {
                return false;
            }

            var err = p.StandardError.ReadToEnd();
            p.WaitForExit();
            return !err.Contains("Bad configuration option", StringComparison.OrdinalIgnoreCase) && !err.Contains("Unsupported option", StringComparison.OrdinalIgnoreCase);
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return false;
        }
    }

    public async Task StartAsync(string config, IReadOnlyList<string> listenEndpoints, CancellationToken ct)
    {
        if (_process is { HasExited: false })
        {
            throw new InvalidOperationException($"{Name} is already running");
        }

        var text = new StringBuilder(config);
        if (SupportsPerSourcePenalties)
        {
            text.Append("PerSourcePenalties no\n");
        }

        await File.WriteAllTextAsync(_configPath, text.ToString(), ct).ConfigureAwait(false);
        var check = await ProcessTools.RunAsync(LabHost.Sshd, ["-t", "-f", _configPath], ct: ct).ConfigureAwait(false);
        if (check.ExitCode != 0)
        {
            throw new LabException($"sshd configuration for {Name} is invalid: {check.StdErr.Trim()}");
        }

        var logStart = File.Exists(_logPath) ? new FileInfo(_logPath).Length : 0;
        string[] command = [.. _enter, LabHost.Sshd, "-D", "-f", _configPath, "-E", _logPath];
        var psi = new ProcessStartInfo(command[0], command[1..])
        {
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        _process = Process.Start(psi) ?? throw new LabException($"could not start sshd for {Name}");
        ListenEndpoints = listenEndpoints;

        // sshd binds before it logs "Server listening"; waiting for the log line (not a test connect)
        // keeps readiness checks out of the device's SSH debug capture.
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            var log = ReadFrom(_logPath, logStart);
            var ready = listenEndpoints.All(ep => log.Contains(ListeningLine(ep), StringComparison.Ordinal));
            if (ready)
            {
                return;
            }

            if (_process.HasExited || deadline.Elapsed > TimeSpan.FromSeconds(10))
            {
                var reason = log.Trim();
                Stop(killSessions: true);
                throw new LabException($"sshd for {Name} did not start listening on {string.Join(", ", listenEndpoints)}: {(reason.Length == 0 ? "no output" : reason)}");
            }

            await Task.Delay(10, ct).ConfigureAwait(false);
        }
    }

    private static string ListeningLine(string endpoint)
    {
        var colon = endpoint.LastIndexOf(':');
        return $"Server listening on {endpoint[..colon]} port {endpoint[(colon + 1)..]}.";
    }

    private static string ReadFrom(string path, long offset)
    {
        if (!File.Exists(path))
        {
            return string.Empty;
        }

        using var fs = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        if (fs.Length <= offset)
        {
            return string.Empty;
        }

        fs.Seek(offset, SeekOrigin.Begin);
        using var reader = new StreamReader(fs);
        return reader.ReadToEnd();
    }

    /// <summary>Stops the listener. Open sessions survive unless <paramref name="killSessions"/>; they are remembered for the final cleanup.</summary>
    public void Stop(bool killSessions)
    {
        var p = _process;
        _process = null;
        ListenEndpoints = [];
        if (p is not null)
        {
            if (!p.HasExited)
            {
                var children = ProcessTools.Descendants(p.Id);
                if (killSessions)
                {
                    ProcessTools.KillTree(p.Id);
                }
                else
                {
                    lock (_orphans)
                    {
                        _orphans.AddRange(children);
                    }

                    ProcessTools.Signal(p.Id, force: false);
                }

                if (!p.WaitForExit(3000))
                {
                    ProcessTools.Signal(p.Id, force: true);
                    p.WaitForExit(1000);
                }
            }

            p.Dispose();
        }

        if (killSessions)
        {
            int[] orphans;
            lock (_orphans)
            {
                orphans = [.. _orphans];
                _orphans.Clear();
            }

            foreach (var pid in orphans.Where(ProcessTools.IsAlive))
            {
                ProcessTools.KillTree(pid);
            }
        }
    }

    public void Dispose() => Stop(killSessions: true);

    public static string Endpoint(string address, int port) => string.Create(CultureInfo.InvariantCulture, $"{address}:{port}");
}
