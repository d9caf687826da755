using System.Diagnostics;
using System.Text;
using System.Text.RegularExpressions;

namespace NetOpsBot.Testing;

/// <summary>
/// An interactive OpenSSH client session (`ssh -tt`) driven like an engineer at a terminal: strict
/// host key checking against the lab's known_hosts (through the lab's ssh_config), the password given
/// through SSH_ASKPASS. Used for device logins and for the out-of-band console.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class SshTerminal : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();
    private readonly StringBuilder _stderr = new();
    private readonly string _askPass;
    private readonly Task _pumps;
    private int _consumed;

    private SshTerminal(Process process, string askPass)
    {
        _process = process;
        _askPass = askPass;
        _pumps = Task.WhenAll(PumpAsync(process.StandardOutput.BaseStream, _output), PumpAsync(process.StandardError.BaseStream, _stderr));
    }

    public string AllOutput
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    public string StdErr
    {
        get
        {
            lock (_stderr)
            {
                return _stderr.ToString();
            }
        }
    }

    public bool HasExited => _process.HasExited;

    /// <param name="sshConfig">The lab's ssh_config (jump host, known_hosts, user).</param>
    /// <param name="host">A host name of that config: a device, or the console server.</param>
    public static SshTerminal Start(string sshConfig, string host, int? port, string password)
    {
        var askPass = Path.Combine(Path.GetTempPath(), "netopsbot-askpass-" + Guid.NewGuid().ToString("N")[..8]);
        File.WriteAllText(askPass, "#!/bin/sh\nprintf '%s\\n' \"$LAB_DEVICE_PASSWORD\"\n");
        File.SetUnixFileMode(askPass, UnixFileMode.UserRead | UnixFileMode.UserExecute | UnixFileMode.UserWrite);
        var psi = new ProcessStartInfo("/usr/bin/ssh")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var a in new[] { "-F", sshConfig, "-tt", "-o", "ConnectTimeout=10", "-o", "NumberOfPasswordPrompts=1" })
        {
            psi.ArgumentList.Add(a);
        }

        if (port is { } p)
        {
            psi.ArgumentList.Add("-p");
            psi.ArgumentList.Add(p.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }

        psi.ArgumentList.Add(host);
        psi.Environment["SSH_ASKPASS"] = askPass;
        psi.Environment["SSH_ASKPASS_REQUIRE"] = "force";
        psi.Environment["DISPLAY"] = ":0";
        psi.Environment["LAB_DEVICE_PASSWORD"] = password;
        var process = Process.Start(psi) ?? throw new InvalidOperationException("ssh did not start");
        return new SshTerminal(process, askPass);
    }

    private static async Task PumpAsync(Stream stream, StringBuilder sink)
    {
        var buffer = new byte[8192];
        int n;
        while ((n = await stream.ReadAsync(buffer)) > 0)
        {
            lock (sink)
            {
                sink.Append(Encoding.UTF8.GetString(buffer, 0, n));
            }
        }
    }

    public async Task SendAsync(string text)
    {
        await _process.StandardInput.WriteAsync(text);
        await _process.StandardInput.FlushAsync();
    }

    /// <summary>Waits until the not-yet-consumed output matches, and consumes through the match.</summary>
    public async Task<string> ExpectAsync(string pattern, TimeSpan? timeout = null)
    {
        var regex = new Regex(pattern, RegexOptions.Multiline);
        var deadline = Stopwatch.StartNew();
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
                return pending[..(m.Index + m.Length)];
            }

            if (deadline.Elapsed > limit)
            {
                throw new TimeoutException($"'{pattern}' not seen within {limit.TotalSeconds} s. Output so far:\n{pending}\nstderr:\n{StdErr}");
            }

            await Task.Delay(10);
        }
    }

    /// <summary>Waits for a VRP prompt of <paramref name="hostname"/> in any view.</summary>
    public Task<string> PromptAsync(string hostname, TimeSpan? timeout = null) =>
        ExpectAsync(@"(<" + Regex.Escape(hostname) + @">|\[" + Regex.Escape(hostname) + @"[^\]\r\n]*\])\s*$", timeout);

    public async Task<string> RunAsync(string command, string hostname, TimeSpan? timeout = null)
    {
        await SendAsync(command + "\r");
        return await PromptAsync(hostname, timeout);
    }

    public async Task<bool> WaitForExitAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            await _process.WaitForExitAsync(cts.Token);
            // Exit can be observed before the last bytes of stderr are read.
            await _pumps.WaitAsync(cts.Token);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    public void Kill() => _process.Kill(entireProcessTree: true);

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
        File.Delete(_askPass);
    }
}
