namespace NetOpsBot.Cli.Tests;

/// <summary>
/// Issue 16 seam 4: `netopsbot diag` reads the host's NetOps:Diagnosis options (--config, NetOps__* variables), and a
/// bad value is refused the way the host refuses it, naming the key, before any file is parsed or socket opened.
/// No lab: the refusal comes first.
/// </summary>
public sealed class DiagConfigTests : IDisposable
{
    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("netopsbot-diag-config-");

    public void Dispose() => _dir.Delete(recursive: true);

    [Theory]
    [InlineData("ManagementSubnet", "\"10.200.0.0/99\"")]
    [InlineData("JumpHostIp", "\"10.200.0.300\"")]
    [InlineData("DebugWindowSeconds", "600")]
    public async Task Diag_BadDiagnosisOptionInTheHostsAppsettings_Exit2NamingTheKey_NothingContacted(string key, string json)
    {
        var config = Write("appsettings.json", $$"""{ "NetOps": { "Diagnosis": { "{{key}}": {{json}} } } }""");

        var run = await DiagRun.StartAsync(["diag", "sw-access-12", "--lab-dir", LabFiles(), "--config", config]);

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("NetOps:Diagnosis:" + key, run.StdErr, StringComparison.Ordinal);
        Assert.Contains("nothing was contacted", run.StdErr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Diag_ConfigFileMissing_Exit2NamingIt()
    {
        var missing = Path.Combine(_dir.FullName, "nope.json");

        var run = await DiagRun.StartAsync(["diag", "sw-access-12", "--lab-dir", LabFiles(), "--config", missing]);

        Assert.Equal(2, run.ExitCode);
        Assert.Contains(missing, run.StdErr, StringComparison.Ordinal);
    }

    /// <summary>A lab directory whose files exist with the modes the readers accept (their content is never reached).</summary>
    private string LabFiles()
    {
        var lab = _dir.CreateSubdirectory("lab").FullName;
        File.WriteAllText(Path.Combine(lab, "inventory.json"), """{ "devices": [], "jumpHosts": [] }""");
        File.WriteAllText(Path.Combine(lab, "known_hosts"), string.Empty);
        File.SetUnixFileMode(Path.Combine(lab, "known_hosts"), UnixFileMode.UserRead | UnixFileMode.UserWrite);
        File.WriteAllText(Path.Combine(lab, "credentials.json"), "{}");
        File.SetUnixFileMode(Path.Combine(lab, "credentials.json"), UnixFileMode.UserRead | UnixFileMode.UserWrite);
        return lab;
    }

    private string Write(string name, string text)
    {
        var path = Path.Combine(_dir.FullName, name);
        File.WriteAllText(path, text);
        return path;
    }
}
