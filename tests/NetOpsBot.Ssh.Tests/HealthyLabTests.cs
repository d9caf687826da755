using System.Diagnostics;
using NetOpsBot.Core.Access;
using NetOpsBot.Testing;
using Xunit.Abstractions;

namespace NetOpsBot.Ssh.Tests;

public sealed class HealthyLabTests(HealthyLab lab, ITestOutputHelper output) : IClassFixture<HealthyLab>, IDisposable
{
    private readonly List<string> _tempFiles = [];

    public void Dispose()
    {
        foreach (var f in _tempFiles)
        {
            File.Delete(f);
        }
    }

    [Fact]
    public async Task OpenCliAsync_HealthyDevice_RunsTwoCommandsAndLearnsHostname()
    {
        await using var access = lab.Access();
        await using var session = await access.OpenCliAsync(lab.Device(), AccessPath.Ssh(22), CancellationToken.None);

        var version = await session.RunAsync("display version", TimeSpan.FromSeconds(10), CancellationToken.None);
        var status = await session.RunAsync("display ssh server status", TimeSpan.FromSeconds(10), CancellationToken.None);

        Assert.Equal("sw-access-12", session.Hostname);
        Assert.Contains("VRP", version.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("<sw-access-12>", version.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("display version", version.Output, StringComparison.Ordinal);
        Assert.Null(version.ErrorLine);
        Assert.Contains("SSH", status.Output, StringComparison.Ordinal);
        Assert.Contains("display ssh server status", status.Raw, StringComparison.Ordinal);
    }

    [Fact]
    public async Task OpenCliAsync_TwoSessionsInARow_ReuseOnePooledJumpLogin()
    {
        await using var access = lab.Access();
        var before = lab.JumpLoginsInLog();

        await using (var first = await access.OpenCliAsync(lab.Device("sw-access-13"), AccessPath.Ssh(22), CancellationToken.None))
        {
            await first.RunAsync("display version", TimeSpan.FromSeconds(10), CancellationToken.None);
        }

        await using (var second = await access.OpenCliAsync(lab.Device("sw-access-14"), AccessPath.Ssh(22), CancellationToken.None))
        {
            await second.RunAsync("display version", TimeSpan.FromSeconds(10), CancellationToken.None);
        }

        Assert.Equal(1, access.JumpLogins);
        await WaitForAsync(() => lab.JumpLoginsInLog() - before >= 1);
        Assert.Equal(1, lab.JumpLoginsInLog() - before);
    }

    [Fact]
    public async Task RunAsync_PagerTurnedBackOn_AnswersMoreAndStripsMarker()
    {
        await using var access = lab.Access();
        await using var session = await access.OpenCliAsync(lab.Device("sw-access-13"), AccessPath.Ssh(22), CancellationToken.None);
        await session.RunAsync("screen-length 24 temporary", TimeSpan.FromSeconds(10), CancellationToken.None);

        var config = await session.RunAsync("display current-configuration", TimeSpan.FromSeconds(10), CancellationToken.None);

        Assert.Contains("---- More ----", config.Raw, StringComparison.Ordinal);
        Assert.DoesNotContain("More", config.Output, StringComparison.Ordinal);
        Assert.Contains("sysname sw-access-13", config.Output, StringComparison.Ordinal);
        Assert.Contains("return", config.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_UnknownCommand_ReportsErrorLine()
    {
        await using var access = lab.Access();
        await using var session = await access.OpenCliAsync(lab.Device("sw-access-14"), AccessPath.Ssh(22), CancellationToken.None);

        var result = await session.RunAsync("display nonsense-thing", TimeSpan.FromSeconds(10), CancellationToken.None);

        Assert.NotNull(result.ErrorLine);
        Assert.StartsWith("Error:", result.ErrorLine, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_YesNoQuestionWithDefaultPolicy_DeclinesAndReportsError()
    {
        await using var access = lab.Access();
        await using var session = await access.OpenInteractiveCliAsync(lab.Device("sw-agg-01"), AccessPath.Ssh(22), CancellationToken.None);

        var result = await session.RunAsync("save", TimeSpan.FromSeconds(10), CancellationToken.None);
        var after = await session.RunAsync("display version", TimeSpan.FromSeconds(10), CancellationToken.None);

        Assert.NotNull(result.ErrorLine);
        Assert.StartsWith("Declined by policy", result.ErrorLine, StringComparison.Ordinal);
        Assert.Contains("[Y/N]", result.ErrorLine, StringComparison.Ordinal);
        Assert.Contains("VRP", after.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_QuestionLeftUnanswered_TimesOutCleanlyNamingTheQuestion()
    {
        await using var access = lab.Access();
        var session = await access.OpenInteractiveCliAsync(lab.Device("sw-agg-01"), AccessPath.Ssh(22), CancellationToken.None);
        var watch = Stopwatch.StartNew();

        var ex = await Assert.ThrowsAsync<TimeoutException>(() => session.RunAsync("save", TimeSpan.FromSeconds(1), ConfirmationPolicy.LeaveUnanswered, CancellationToken.None));
        var again = await Assert.ThrowsAsync<DeviceAccessException>(() => session.RunAsync("display version", TimeSpan.FromSeconds(1), CancellationToken.None));
        await session.DisposeAsync();

        Assert.InRange(watch.Elapsed, TimeSpan.FromSeconds(0.9), TimeSpan.FromSeconds(5));
        Assert.Contains("unanswered question", ex.Message, StringComparison.Ordinal);
        Assert.Contains("[Y/N]", ex.Message, StringComparison.Ordinal);
        Assert.Contains("unusable", again.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task OpenCliAsync_TwentyConcurrentSessionsThroughOneJump_AllCompleteWithBoundedChannels()
    {
        await using var access = lab.Access(lab.Options() with { MaxChannelsPerJumpHost = 4 });
        string[] names = ["sw-agg-01", "sw-access-12", "sw-access-13", "sw-access-14"];
        var watch = Stopwatch.StartNew();

        var results = await Task.WhenAll(Enumerable.Range(0, 20).Select(async i =>
        {
            var device = lab.Device(names[i % names.Length]);
            var path = i % 5 == 4 ? AccessPath.Console : AccessPath.Ssh(22);
            await using var session = await access.OpenCliAsync(device, path, CancellationToken.None);
            var r = await session.RunAsync("display version", TimeSpan.FromSeconds(20), CancellationToken.None);
            return (session.Hostname, r.Output);
        })).WaitAsync(TimeSpan.FromSeconds(45));

        output.WriteLine($"20 sessions (4 devices, 4 channels, 1 jump login) in {watch.ElapsedMilliseconds} ms");
        Assert.All(results, r => Assert.Contains("VRP", r.Output, StringComparison.Ordinal));
        Assert.Equal(names.Order(), results.Select(r => r.Hostname).Distinct().Order());
        Assert.Equal(1, access.JumpLogins);
    }

    [Fact]
    public async Task OpenCliAsync_DeviceKeyTamperedInKnownHosts_HostKeyMismatch()
    {
        var device = lab.Device();
        var lines = File.ReadAllLines(lab.Status.KnownHosts);
        var consoleKey = lines.First(l => l.Contains(":7001]", StringComparison.Ordinal) || l.Contains("250]:", StringComparison.Ordinal)).Split(' ', 2)[1];
        var tampered = lines.Select(l => l.StartsWith(device.ManagementAddress + " ", StringComparison.Ordinal) ? device.ManagementAddress + " " + consoleKey : l);
        var path = WriteTemp(tampered);
        await using var access = lab.Access(lab.Options() with { KnownHostsPath = path });

        var ex = await Assert.ThrowsAsync<DeviceAccessException>(() => access.OpenCliAsync(device, AccessPath.Ssh(22), CancellationToken.None));

        Assert.Equal(DeviceAccessFailure.HostKeyMismatch, ex.Reason);
        Assert.Contains("expected SHA256:", ex.Message, StringComparison.Ordinal);
        Assert.Contains(device.ManagementAddress + ":22", ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(lab.Password, ex.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task OpenCliAsync_DeviceNotPinned_HostKeyMismatchNeverTrustOnFirstUse()
    {
        var device = lab.Device();
        var path = WriteTemp(File.ReadAllLines(lab.Status.KnownHosts).Where(l => !l.StartsWith(device.ManagementAddress + " ", StringComparison.Ordinal)));
        await using var access = lab.Access(lab.Options() with { KnownHostsPath = path });

        var ex = await Assert.ThrowsAsync<DeviceAccessException>(() => access.OpenCliAsync(device, AccessPath.Ssh(22), CancellationToken.None));

        Assert.Equal(DeviceAccessFailure.HostKeyMismatch, ex.Reason);
        Assert.Contains("not pinned", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task OpenCliAsync_JumpHostKeyTampered_HostKeyMismatchAndProbeIsError()
    {
        var jump = lab.Status.JumpHost;
        var lines = File.ReadAllLines(lab.Status.KnownHosts);
        var deviceKey = lines.First(l => l.StartsWith(lab.Device().ManagementAddress + " ", StringComparison.Ordinal)).Split(' ', 2)[1];
        var jumpPattern = $"[{jump.Address}]:{jump.Port} ";
        var path = WriteTemp(lines.Select(l => l.StartsWith(jumpPattern, StringComparison.Ordinal) ? jumpPattern + deviceKey : l));
        await using var access = lab.Access(lab.Options() with { KnownHostsPath = path });

        var ex = await Assert.ThrowsAsync<DeviceAccessException>(() => access.OpenCliAsync(lab.Device(), AccessPath.Ssh(22), CancellationToken.None));
        var probe = await access.ProbeAsync(lab.Device(), 22, TimeSpan.FromSeconds(2), CancellationToken.None);

        Assert.Equal(DeviceAccessFailure.HostKeyMismatch, ex.Reason);
        Assert.Contains("jump host", ex.Message, StringComparison.Ordinal);
        Assert.Equal(ProbeOutcome.Error, probe.Outcome);
        Assert.Contains("MISMATCH", probe.Detail, StringComparison.Ordinal);
        Assert.Equal(0, access.JumpLogins);
    }

    [Fact]
    public async Task ProbeAsync_JumpHostPortWrong_JumpHostUnreachable()
    {
        var options = lab.Options();
        var jump = options.JumpHosts.Values.Single();
        options = options with { JumpHosts = new Dictionary<string, JumpHostOptions> { [jump.Name] = jump with { Port = 2299 } } };
        await using var access = lab.Access(options);

        var probe = await access.ProbeAsync(lab.Device(), 22, TimeSpan.FromSeconds(2), CancellationToken.None);
        var ex = await Assert.ThrowsAsync<DeviceAccessException>(() => access.OpenCliAsync(lab.Device(), AccessPath.Ssh(22), CancellationToken.None));

        Assert.Equal(ProbeOutcome.JumpHostUnreachable, probe.Outcome);
        Assert.Equal(DeviceAccessFailure.JumpHostUnreachable, ex.Reason);
    }

    [Fact]
    public async Task ProbeAsync_HealthyPort22_Open()
    {
        await using var access = lab.Access();

        var probe = await access.ProbeAsync(lab.Device(), 22, TimeSpan.FromSeconds(2), CancellationToken.None);

        Assert.Equal(ProbeOutcome.Open, probe.Outcome);
        Assert.Contains("SSH-2.0", probe.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Secrets_SessionsAndFailures_NeverInLogsOrExceptions()
    {
        var logger = new CapturingLogger();
        const string WrongPassword = "Wr0ng-Secret-Passw0rd!";
        var wrong = new EnvironmentCredentialProvider(n => n.EndsWith("_USER", StringComparison.Ordinal) ? "labvrp" : WrongPassword);
        await using var good = lab.Access(logger: logger);
        await using var bad = lab.Access(logger: logger, credentials: wrong);

        await using (var session = await good.OpenCliAsync(lab.Device("sw-access-13"), AccessPath.Ssh(22), CancellationToken.None))
        {
            await session.RunAsync("display current-configuration", TimeSpan.FromSeconds(10), CancellationToken.None);
        }

        var ex = await Assert.ThrowsAsync<DeviceAccessException>(() => bad.OpenCliAsync(lab.Device("sw-access-13"), AccessPath.Ssh(22), CancellationToken.None));
        var text = string.Join('\n', logger.Lines) + ex;

        Assert.Equal(DeviceAccessFailure.AuthFailed, ex.Reason);
        Assert.NotEmpty(logger.Lines);
        Assert.DoesNotContain(lab.Password, text, StringComparison.Ordinal);
        Assert.DoesNotContain(WrongPassword, text, StringComparison.Ordinal);
        Assert.DoesNotContain(WrongPassword, new DeviceCredential("u", WrongPassword).ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Timing_WarmSessionAndCommand_Reported()
    {
        var logger = new CapturingLogger();
        await using var access = lab.Access(logger: logger);
        await (await access.OpenCliAsync(lab.Device("sw-access-14"), AccessPath.Ssh(22), CancellationToken.None)).DisposeAsync();
        var opens = new List<double>();
        var commands = new List<double>();
        for (var i = 0; i < 5; i++)
        {
            var watch = Stopwatch.StartNew();
            await using var session = await access.OpenCliAsync(lab.Device("sw-access-14"), AccessPath.Ssh(22), CancellationToken.None);
            opens.Add(watch.Elapsed.TotalMilliseconds);
            var r = await session.RunAsync("display tcp status", TimeSpan.FromSeconds(10), CancellationToken.None);
            commands.Add(r.Duration.TotalMilliseconds);
        }

        var probes = new List<double>();
        for (var i = 0; i < 5; i++)
        {
            probes.Add((await access.ProbeAsync(lab.Device("sw-access-14"), 22, TimeSpan.FromSeconds(2), CancellationToken.None)).Duration.TotalMilliseconds);
        }

        output.WriteLine($"warm probe (open port, banner read) median {Median(probes):0.0} ms");
        foreach (var line in logger.Lines.Where(l => l.Contains("phases", StringComparison.Ordinal) || l.Contains("Jump", StringComparison.Ordinal)))
        {
            output.WriteLine(line);
        }

        output.WriteLine($"warm session open (jump reused, incl. screen-length): median {Median(opens):0.0} ms; command round trip median {Median(commands):0.0} ms");
        Assert.True(Median(opens) < 2000);
    }

    private static double Median(List<double> values) => values.Order().ElementAt(values.Count / 2);

    private string WriteTemp(IEnumerable<string> lines)
    {
        var path = Path.Combine(Path.GetTempPath(), "netopsbot-kh-" + Guid.NewGuid().ToString("N")[..8]);
        File.WriteAllLines(path, lines);
        _tempFiles.Add(path);
        return path;
    }

    private static async Task WaitForAsync(Func<bool> condition)
    {
        for (var i = 0; i < 50 && !condition(); i++)
        {
            await Task.Delay(20);
        }
    }
}
