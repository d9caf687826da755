using System.Text.Json;

namespace NetOpsBot.Cli.Tests;

/// <summary>A scenario file written for the test: sw-access-12's CLI misbehaves on every login path.</summary>
public abstract class CliFaultLab(string fault) : DiagLab
{
    private readonly string _file = WriteScenario(fault);

    protected override string ScenarioName => _file;

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        File.Delete(_file);
    }

    private static string WriteScenario(string fault)
    {
        var file = Path.Combine(Path.GetTempPath(), $"netopsbot-fault-{fault}-{Guid.NewGuid():N}.yml");
        File.WriteAllText(file, $"description: sw-access-12's CLI is broken ({fault})\ndevice:\n  cliFault: {fault}\n");
        return file;
    }
}

public sealed class HangLab() : CliFaultLab("hang");

public sealed class FloodLab() : CliFaultLab("flood");

public sealed class GarbageLab() : CliFaultLab("garbage");

public sealed class DropLab() : CliFaultLab("drop");

internal static class FaultAssertions
{
    /// <summary>The run ended on its own (exit 0, inside the test's time limit) and says what went wrong.</summary>
    public static void EndedCleanlyWithFinding(DiagRun run, params string[] anyOf)
    {
        Assert.True(run.ExitCode == 0, run.StdErr + run.StdOut);
        var report = run.Report();
        var steps = report.GetProperty("steps").EnumerateArray().ToList();
        var troubled = steps.Where(s => s.GetProperty("status").GetString() is "error" or "skipped" or "fail").ToList();
        Assert.NotEmpty(troubled);
        var findings = string.Join("\n", steps.Select(s => s.GetProperty("finding").GetString()));
        Assert.True(anyOf.Any(w => findings.Contains(w, StringComparison.OrdinalIgnoreCase)), "findings should name the problem:\n" + findings);
        Assert.DoesNotContain("   at ", run.StdOut, StringComparison.Ordinal);
    }
}

public sealed class HangDiagTests(HangLab lab) : IClassFixture<HangLab>
{
    [Fact]
    public async Task Diag_DeviceNeverSendsPrompt_EndsCleanlyWithFinding() =>
        FaultAssertions.EndedCleanlyWithFinding(await lab.DiagAsync(), "prompt", "timeout", "timed out", "no cli");
}

public sealed class FloodDiagTests(FloodLab lab) : IClassFixture<FloodLab>
{
    [Fact]
    public async Task Diag_DeviceSends100MB_CutOffWithFinding() =>
        FaultAssertions.EndedCleanlyWithFinding(await lab.DiagAsync(), "flood", "output", "bytes", "MiB", "prompt", "no cli");
}

public sealed class GarbageDiagTests(GarbageLab lab) : IClassFixture<GarbageLab>
{
    [Fact]
    public async Task Diag_DeviceAnswersGarbage_EndsCleanlyWithFinding() =>
        FaultAssertions.EndedCleanlyWithFinding(await lab.DiagAsync(), "prompt", "timeout", "timed out", "no cli", "unparsed", "not understood");
}

public sealed class DropDiagTests(DropLab lab) : IClassFixture<DropLab>
{
    [Fact]
    public async Task Diag_SessionDroppedMidCommand_EndsCleanlyWithFinding() =>
        FaultAssertions.EndedCleanlyWithFinding(await lab.DiagAsync(), "closed", "dropped", "lost", "session", "no cli");
}
