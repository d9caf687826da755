using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Reflection;
using System.Text;
using NetOpsBot.Testing;

namespace NetOpsBot.Host.Tests;

/// <summary>
/// The bot host as a real process (Kestrel on a loopback port), configured like the demo: Development on loopback, so
/// the web chat serves its demo users. Settings can override any of it (ASPNETCORE_ENVIRONMENT included).
/// </summary>
internal sealed class HostProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _log = new();
    private int _disposed;

    private HostProcess(Process process, Uri url)
    {
        _process = process;
        Url = url;
    }

    public Uri Url { get; }

    public string Log
    {
        get
        {
            lock (_log)
            {
                return _log.ToString();
            }
        }
    }

    /// <summary>A client as the web chat page is: every request carries the page's header (X-NetOpsBot-WebChat: 1).</summary>
    public HttpClient Client()
    {
        var client = RawClient();
        client.DefaultRequestHeaders.Add("X-NetOpsBot-WebChat", "1");
        return client;
    }

    /// <summary>A client with nothing the page would add: what another web page or a script would send.</summary>
    public HttpClient RawClient() => new() { BaseAddress = Url, Timeout = TimeSpan.FromSeconds(30) };

    public static string HostDll
    {
        get
        {
            var config = typeof(HostProcess).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "Debug";
            return Path.Combine(RepoPaths.Root, "src", "NetOpsBot.Host", "bin", config, "net10.0", "NetOpsBot.Host.dll");
        }
    }

    public static async Task<HostProcess> StartAsync(string labRunDirectory, string database, IDictionary<string, string>? settings = null, int? port = null)
    {
        port ??= FreePort();
        var url = new Uri($"http://127.0.0.1:{port}");
        var psi = new ProcessStartInfo("/usr/bin/dotnet", [HostDll])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = Path.GetDirectoryName(database)!,
        };
        psi.Environment["ASPNETCORE_ENVIRONMENT"] = "Development";
        // The production log format (JSON lines), which some tests read; Development alone would switch to text.
        psi.Environment["Serilog__WriteTo__Console__Args__formatter"] = "Serilog.Formatting.Compact.RenderedCompactJsonFormatter, Serilog.Formatting.Compact";
        psi.Environment["ASPNETCORE_URLS"] = url.ToString();
        psi.Environment["NetOps__LabRunDirectory"] = labRunDirectory;
        psi.Environment["NetOps__Storage__Provider"] = "Sqlite";
        psi.Environment["NetOps__Storage__ConnectionString"] = $"Data Source={database}";
        psi.Environment["NetOps__Diagnosis__DebugWindowSeconds"] = "1";
        foreach (var (k, v) in settings ?? new Dictionary<string, string>())
        {
            // "{port}" stands for this host's port, for tests that set their own listen URLs.
            psi.Environment[k] = v.Replace("{port}", port.Value.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal);
        }

        var process = Process.Start(psi)!;
        var host = new HostProcess(process, url);
        process.OutputDataReceived += (_, e) => host.Append(e.Data);
        process.ErrorDataReceived += (_, e) => host.Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        using var http = host.Client();
        var sw = Stopwatch.StartNew();
        while (sw.Elapsed < TimeSpan.FromSeconds(30))
        {
            if (process.HasExited)
            {
                // The parameterless wait also waits for the asynchronous stdout/stderr readers to drain.
                process.WaitForExit();
                throw new InvalidOperationException("host exited during start-up:\n" + host.Log);
            }

            try
            {
                if ((await http.GetAsync("/healthz")).IsSuccessStatusCode)
                {
                    return host;
                }
            }
            catch (HttpRequestException)
            {
            }

            await Task.Delay(100);
        }

        await host.DisposeAsync();
        throw new TimeoutException("host did not answer /healthz:\n" + host.Log);
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_log)
        {
            _log.AppendLine(line);
        }
    }

    /// <summary>Ends the host abruptly, as a crash or an OOM kill would.</summary>
    public void Kill() => _process.Kill(entireProcessTree: true);

    /// <summary>
    /// Stops the host as a container orchestrator does on every rolling update (SIGTERM), waits for it to exit
    /// and returns its exit code; null when it did not exit within <paramref name="timeout"/> (it is then killed).
    /// </summary>
    public async Task<int?> TerminateAsync(TimeSpan timeout)
    {
        using (var kill = Process.Start(new ProcessStartInfo("kill", ["-TERM", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))!)
        {
            await kill.WaitForExitAsync();
            if (kill.ExitCode != 0)
            {
                throw new InvalidOperationException($"kill -TERM {_process.Id} failed ({kill.ExitCode})");
            }
        }

        using var cts = new CancellationTokenSource(timeout);
        try
        {
            await _process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
            return null;
        }

        // The parameterless wait also waits for the asynchronous stdout/stderr readers to drain.
        _process.WaitForExit();
        return _process.ExitCode;
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
    }

    internal static int FreePort()
    {
        using var l = new TcpListener(IPAddress.Loopback, 0);
        l.Start();
        return ((IPEndPoint)l.LocalEndpoint).Port;
    }
}
