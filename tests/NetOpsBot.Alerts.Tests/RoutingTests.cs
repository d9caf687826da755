namespace NetOpsBot.Alerts.Tests;

public sealed class RoutingTests
{
    private static Alert Alert(params (string K, string V)[] labels) =>
        new("alertmanager", "Alertmanager", "fp", AlertStatus.Firing, labels.ToDictionary(l => l.K, l => l.V, StringComparer.Ordinal), new Dictionary<string, string>(), null, null, null);

    [Theory]
    [InlineData("alertname=SSHDown", true)]
    [InlineData("alertname=\"SSHDown\", job=blackbox-ssh", true)]
    [InlineData("{alertname=~\"SSH.*\", severity!=\"info\"}", true)]
    [InlineData("probe_success{module=\"ssh_banner\"}", true)]
    [InlineData("probe_success{module=\"http_2xx\"}", false)]
    [InlineData("alertname!~\"SSH.*\"", false)]
    public void Matchers_FollowPrometheusSelectorSyntax(string matcher, bool expected) =>
        Assert.Equal(expected, LabelMatcher.Parse(matcher).Matches(Alert(("alertname", "SSHDown"), ("job", "blackbox-ssh"), ("module", "ssh_banner")).Labels));

    [Fact]
    public void Matchers_BadSyntax_NamesTheTerm()
    {
        Assert.False(LabelMatcher.TryParse("alertname SSHDown", out _, out var error));
        Assert.Contains("'alertname SSHDown' is not a label matcher", error, StringComparison.Ordinal);
    }

    [Fact]
    public void DefaultRunbooks_SshDownAndSshBannerProbe_RunSshUnreachable_OthersNothing()
    {
        var routing = new AlertRouting(new AlertOptions(), Lab.Devices, Lab.DefaultRunbook);
        Assert.Equal("ssh-unreachable", routing.Runbook(Alert(("alertname", "SSHDown"))));
        Assert.Equal("ssh-unreachable", routing.Runbook(Alert(("alertname", "ProbeFailed"), ("module", "ssh_banner"))));
        Assert.Null(routing.Runbook(Alert(("alertname", "DiskFull"))));
        Assert.Equal(("webchat", "netops"), (routing.Channel(Alert(("alertname", "SSHDown"))).Platform, routing.Channel(Alert(("alertname", "SSHDown"))).ChannelId));
    }

    [Theory]
    [InlineData("instance", "127.0.200.12:22", "sw-access-12")]
    [InlineData("instance", "10.20.0.13:22", "sw-access-13")]
    [InlineData("instance", "http://10.20.0.13/", "sw-access-13")]
    [InlineData("device", "sw-agg-01", "sw-agg-01")]
    [InlineData("hostname", "sw-access-12.lab.example.net", "sw-access-12")]
    [InlineData("instance", "10.99.0.1:22", null)]
    public void Device_FromLabelsOrInventoryAddress(string label, string value, string? expected)
    {
        var routing = new AlertRouting(new AlertOptions(), Lab.Devices, Lab.DefaultRunbook);
        Assert.Equal(expected, routing.Device(Alert(("alertname", "SSHDown"), (label, value)), out var named)?.Name.Value);
        Assert.Equal($"{label}={value}", named);
    }

    [Fact]
    public void Routes_FirstMatchWins_MaintenanceCoversItsWindowOnly()
    {
        var options = new AlertOptions
        {
            Routes = [new ChannelRoute { Match = "severity=page", Surface = "slack", Channel = "C0NETOPS" }],
            Maintenance = [new MaintenanceWindow { Devices = ["sw-access-12"], Start = new(2026, 12, 6, 0, 0, 0, TimeSpan.Zero), End = new(2026, 12, 6, 2, 0, 0, TimeSpan.Zero), Reason = "CHG-1234" }],
        };
        Assert.Empty(options.Validate(["ssh-unreachable"], ["webchat", "slack"]));
        var routing = new AlertRouting(options, Lab.Devices, Lab.DefaultRunbook);
        Assert.Equal("C0NETOPS", routing.Channel(Alert(("severity", "page"))).ChannelId);
        var d = Lab.Devices[0];
        Assert.NotNull(routing.Maintenance(d, Alert(), new(2026, 12, 6, 1, 0, 0, TimeSpan.Zero)));
        Assert.Null(routing.Maintenance(d, Alert(), new(2026, 12, 6, 2, 0, 0, TimeSpan.Zero)));
        Assert.Null(routing.Maintenance(Lab.Devices[1], Alert(), new(2026, 12, 6, 1, 0, 0, TimeSpan.Zero)));
    }

    [Fact]
    public void MaintenanceBySite_CoversEveryDeviceOfTheInventorySite_WithoutASiteLabel()
    {
        var options = new AlertOptions
        {
            Maintenance = [new MaintenanceWindow { Sites = ["lab"], Start = new(2026, 12, 6, 0, 0, 0, TimeSpan.Zero), End = new(2026, 12, 6, 2, 0, 0, TimeSpan.Zero), Reason = "CHG-77" }],
        };
        Assert.Empty(options.Validate(["ssh-unreachable"], ["webchat"]));
        var inLab = Lab.Devices[0] with { Site = "lab" };
        var elsewhere = Lab.Devices[1] with { Site = "paris" };
        var routing = new AlertRouting(options, [inLab, elsewhere], Lab.DefaultRunbook);
        var at = new DateTimeOffset(2026, 12, 6, 1, 0, 0, TimeSpan.Zero);
        Assert.Equal("CHG-77", routing.Maintenance(inLab, Alert(), at)?.Reason);
        Assert.Equal("CHG-77", routing.Maintenance(inLab with { Site = "LAB" }, Alert(), at)?.Reason);
        Assert.Null(routing.Maintenance(elsewhere, Alert(), at));
        Assert.Null(routing.Maintenance(Lab.Devices[1], Alert(), at));
        Assert.Null(routing.Maintenance(inLab, Alert(), at.AddHours(2)));

        // The alert's site label still counts for a device the inventory gives no site.
        Assert.NotNull(routing.Maintenance(Lab.Devices[1], Alert(("site", "lab")), at));
    }

    [Fact]
    public void Validate_NamesEachBadKey()
    {
        var options = new AlertOptions
        {
            Runbooks = [new RunbookRule { Match = "alertname=SSHDown", Runbook = "bgp-down" }],
            Routes = [new ChannelRoute { Match = "x", Surface = "teams", Channel = "19:abc" }],
            Alertmanager = new ReceiverSecret { BearerToken = "short" },
        };
        var problems = options.Validate(["ssh-unreachable"], ["webchat"]);
        Assert.Contains(problems, p => p.StartsWith("NetOps:Alerts:Runbooks:0:Runbook", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith("NetOps:Alerts:Routes:0:Match", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith("NetOps:Alerts:Routes:0:Surface", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith("NetOps:Alerts:Alertmanager:BearerToken", StringComparison.Ordinal));
    }
}
