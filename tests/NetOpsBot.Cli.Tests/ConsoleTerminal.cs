using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using NetOpsBot.Lab;

namespace NetOpsBot.Cli.Tests;

/// <summary>
/// An engineer on the device's out-of-band console: OpenSSH `ssh -tt` through the jump host to the lab's
/// console server, strict known_hosts, the password given through SSH_ASKPASS.
/// </summary>
internal sealed class ConsoleTerminal : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();
    private readonly string _askPass;
    private readonly Task _pump;
    private int _consumed;

    private ConsoleTerminal(Process process, string askPass)
    {
        _process = process;
        _askPass = askPass;
        _pump = Task.WhenAll(PumpAsync(process.StandardOutput.BaseStream), PumpAsync(process.StandardError.BaseStream));
    }

    public static ConsoleTerminal Open(LabStatus status, string device)
    {
        var askPass = Path.Combine(Path.GetTempPath(), "netopsbot-cli-askpass-" + Guid.NewGuid().ToString("N")[..8]);
        File.WriteAllText(askPass, "#!/bin/sh\nprintf '%s\\n' \"$LAB_DEVICE_PASSWORD\"\n");
        File.SetUnixFileMode(askPass, UnixFileMode.UserRead | UnixFileMode.UserExecute | UnixFileMode.UserWrite);
        var psi = new ProcessStartInfo("/usr/bin/ssh")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        var port = status.Devices.Single(d => d.Name == device).ConsolePort.ToString(CultureInfo.InvariantCulture);
        foreach (var a in new[] { "-F", status.SshConfig, "-tt", "-o", "ConnectTimeout=10", "-o", "NumberOfPasswordPrompts=1", "-p", port, "lab-console" })
        {
            psi.ArgumentList.Add(a);
        }

        psi.Environment["SSH_ASKPASS"] = askPass;
        psi.Environment["SSH_ASKPASS_REQUIRE"] = "force";
        psi.Environment["DISPLAY"] = ":0";
        psi.Environment["LAB_DEVICE_PASSWORD"] = status.ConsoleServer.Password;
        return new ConsoleTerminal(Process.Start(psi) ?? throw new InvalidOperationException("ssh did not start"), askPass);
    }

    public async Task SendAsync(string line)
    {
        await _process.StandardInput.WriteAsync(line + "\r");
        await _process.StandardInput.FlushAsync();
    }

    /// <summary>Waits until output not yet consumed matches <paramref name="pattern"/>, and consumes through the match.</summary>
    public async Task ExpectAsync(string pattern, TimeSpan? timeout = null)
    {
        var regex = new Regex(pattern, RegexOptions.Multiline);
        var watch = Stopwatch.StartNew();
        var limit = timeout ?? TimeSpan.FromSeconds(15);
        while (true)
        {
            string pending;
            lock (_output)
            {
                pending = _output.ToString(_consumed, _output.Length - _consumed);
            }

            var m = regex.Match(pending);
            if (m.Success)
            {
                _consumed += m.Index + m.Length;
                return;
            }

            if (watch.Elapsed > limit)
            {
                throw new TimeoutException($"'{pattern}' not seen on the console within {limit.TotalSeconds} s; output:\n{pending}");
            }

            await Task.Delay(10);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        await _pump;
        _process.Dispose();
        File.Delete(_askPass);
    }

    private async Task PumpAsync(Stream stream)
    {
        var buffer = new byte[8192];
        int n;
        while ((n = await stream.ReadAsync(buffer)) > 0)
        {
            lock (_output)
            {
                _output.Append(Encoding.UTF8.GetString(buffer, 0, n));
            }
        }
    }
}
