using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Time.Testing;
using NetOpsBot.Core.Incidents;

namespace NetOpsBot.Alerts.Tests;

public sealed class ProcessorTests
{
    private readonly MemoryLinks _links = new();
    private readonly FakeIncidents _incidents = new();
    private readonly FakeNotice _notice = new();
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 12, 6, 1, 0, 0, TimeSpan.Zero));

    private AlertProcessor Processor(AlertOptions? options = null)
    {
        options ??= new AlertOptions();
        return new AlertProcessor(new AlertRouting(options, Lab.Devices, Lab.DefaultRunbook), _links, _incidents, _notice, _time, options);
    }

    private static IReadOnlyList<Alert> Parse(string status, string fingerprint = "fp12", string instance = "127.0.200.12:22", string alertname = "SSHDown", string module = "ssh_banner")
    {
        var r = AlertmanagerPayload.Parse(Encoding.UTF8.GetBytes(PayloadTests.Notification(status, fingerprint, instance, alertname, module: module)), 20000);
        Assert.True(r.Ok, r.Error);
        return r.Alerts;
    }

    [Fact]
    public async Task The_incident_runs_the_runbook_the_alerts_rule_names()
    {
        var options = new AlertOptions
        {
            Runbooks =
            [
                new RunbookRule { Match = "alertname=LinkDown", Runbook = "interface-down" },
                new RunbookRule { Match = "alertname=SSHDown", Runbook = "ssh-unreachable" },
            ],
        };
        var p = Processor(options);

        await p.ProcessAsync(Parse("firing", fingerprint: "fp-link", alertname: "LinkDown"), default);
        await p.ProcessAsync(Parse("firing", fingerprint: "fp-ssh", instance: "127.0.200.13:22"), default);

        Assert.Equal(["interface-down", "ssh-unreachable"], _incidents.Runbooks);
    }

    [Fact]
    public async Task With_no_rule_configured_the_default_rules_start_the_default_runbook()
    {
        var p = new AlertProcessor(new AlertRouting(new AlertOptions(), Lab.Devices, "some-default"), _links, _incidents, _notice, _time, new AlertOptions());
        await p.ProcessAsync(Parse("firing"), default);
        Assert.Equal(["some-default"], _incidents.Runbooks);
    }

    [Fact]
    public async Task Firing_OpensOneIncident_AsTheAlert_WithLabelsAndLink_RepeatsUpdateNothingNew()
    {
        var p = Processor();
        var first = await p.ProcessAsync(Parse("firing"), default);
        var started = Assert.Single(_incidents.Started);
        Assert.Single(first.Opened);
        Assert.Equal("sw-access-12", started.Device.Name.Value);
        Assert.Equal(("alert", "alertmanager/SSHDown", "alert SSHDown from Alertmanager"), (started.Requester.Platform, started.Requester.UserId, started.Requester.DisplayName));
        Assert.Equal(("webchat", "netops"), (started.Channel.Platform, started.Channel.ChannelId));
        Assert.StartsWith("opened by alert SSHDown from Alertmanager", started.Summary, StringComparison.Ordinal);
        Assert.Equal("127.0.200.12:22", started.Alert.Labels["instance"]);
        Assert.StartsWith("http://127.0.0.1:9090/graph", started.Alert.Url, StringComparison.Ordinal);
        Assert.Equal("alert SSHDown from Alertmanager", started.Alert.OpenedBy);

        for (var i = 0; i < 3; i++)
        {
            var again = await p.ProcessAsync(Parse("firing"), default);
            Assert.Empty(again.Opened);
            Assert.Equal(1, again.Repeated);
        }

        Assert.Single(_incidents.Started);
        Assert.Empty(_incidents.Notes);
    }

    [Fact]
    public async Task Resolved_AddsOneThreadLine_FlappingReopensTheSameIncident_LaterFiringOpensANewOne()
    {
        var p = Processor(new AlertOptions { FlapWindowSeconds = 600 });
        await p.ProcessAsync(Parse("firing"), default);
        var incident = _links.Links[("alertmanager", "fp12")].Incident;

        await p.ProcessAsync(Parse("resolved"), default);
        await p.ProcessAsync(Parse("resolved"), default);
        var resolved = Assert.Single(_incidents.Notes);
        Assert.Equal(incident, resolved.Incident);
        Assert.StartsWith("monitoring reports resolved at 2026-12-06 01:00:00Z", resolved.Summary, StringComparison.Ordinal);
        Assert.Contains("alert:alertmanager/SSHDown", resolved.Actor, StringComparison.Ordinal);
        Assert.Equal((incident, "sw-access-12"), (Assert.Single(_incidents.Rechecks).Incident, _incidents.Rechecks[0].Device.Name.Value));

        _time.Advance(TimeSpan.FromMinutes(5));
        var flap = await p.ProcessAsync(Parse("firing"), default);
        Assert.Equal(1, flap.Refired);
        Assert.Single(_incidents.Started);
        Assert.Contains(_incidents.Notes, n => n.Incident == incident && n.Summary.StartsWith("monitoring reports firing again", StringComparison.Ordinal));

        await p.ProcessAsync(Parse("resolved"), default);
        _time.Advance(TimeSpan.FromMinutes(11));
        var later = await p.ProcessAsync(Parse("firing"), default);
        Assert.Single(later.Opened);
        Assert.Equal(2, _incidents.Started.Count);
        Assert.EndsWith(":2", _incidents.Started[1].Key, StringComparison.Ordinal);
    }

    [Fact]
    public async Task UnknownDevice_OneClearLineInTheChannel_NothingElse()
    {
        var outcome = await Processor().ProcessAsync(Parse("firing", instance: "10.99.0.7:22"), default);
        Assert.Equal(1, outcome.UnknownDevice);
        Assert.Empty(_incidents.Started);
        Assert.Empty(_links.Links);
        var (channel, text) = Assert.Single(_notice.Posted);
        Assert.Equal("netops", channel.ChannelId);
        Assert.Equal("Alert SSHDown from Alertmanager is for a device not in the inventory (instance=10.99.0.7:22): not diagnosed.", text);
    }

    [Fact]
    public async Task Maintenance_Acknowledged_NotDiagnosed()
    {
        var options = new AlertOptions { Maintenance = [new MaintenanceWindow { Devices = ["sw-access-12"], Start = _time.GetUtcNow().AddHours(-1), End = _time.GetUtcNow().AddHours(1), Reason = "CHG-77" }] };
        var outcome = await Processor(options).ProcessAsync(Parse("firing"), default);
        Assert.Equal(1, outcome.Maintenance);
        Assert.Empty(_incidents.Started);
        Assert.Contains("sw-access-12 is in a maintenance window until 2026-12-06 02:00:00Z (CHG-77): alert SSHDown from Alertmanager acknowledged, not diagnosed.", Assert.Single(_notice.Posted).Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Unrouted_Alert_DoesNothing()
    {
        var outcome = await Processor().ProcessAsync(Parse("firing", alertname: "DiskFull", module: "disk"), default);
        Assert.Equal(1, outcome.Unrouted);
        Assert.Empty(_incidents.Started);
        Assert.Empty(_notice.Posted);
    }

    [Fact]
    public async Task TenThousandAlerts_OneIncidentPerDevice_UnknownOnesInOneLine()
    {
        var alerts = new List<Alert>();
        for (var i = 0; i < 10_000; i++)
        {
            var instance = (i % 4) switch { 0 => "127.0.200.12:22", 1 => "127.0.200.13:22", 2 => "10.20.0.1:22", _ => $"10.99.{i / 250}.{i % 250}:22" };
            alerts.AddRange(Parse("firing", $"fp{i:D5}", instance));
        }

        var outcome = await Processor().ProcessAsync(alerts, default);
        Assert.Equal(3, outcome.Opened.Count);
        Assert.Equal(3, _incidents.Started.Count);
        Assert.Equal(2500, outcome.UnknownDevice);
        Assert.Equal(7500, _links.Links.Count);
        var line = Assert.Single(_notice.Posted).Text;
        Assert.StartsWith("2500 alerts from Alertmanager are for devices not in the inventory (", line, StringComparison.Ordinal);
        Assert.Contains(" and 2495 more): not diagnosed.", line, StringComparison.Ordinal);

        var again = await Processor().ProcessAsync(alerts, default);
        Assert.Empty(again.Opened);
        Assert.Equal(7500, again.Repeated);
    }

    [Fact]
    public async Task DeviceAlreadyBeingDiagnosed_TheRunningIncidentHearsOfIt_InstanceLimit_Deferred()
    {
        var running = IncidentId.Parse("INC-00000099");
        _incidents.Refuse = new DiagnosisLimitException("sw-access-12 already has a diagnosis running", running);
        var outcome = await Processor().ProcessAsync(Parse("firing"), default);
        Assert.Equal(running, Assert.Single(_incidents.Notes).Incident);
        Assert.Equal(running, _links.Links[("alertmanager", "fp12")].Incident);

        _incidents.Refuse = new DiagnosisLimitException("100 diagnoses are running");
        var busy = await Processor().ProcessAsync(Parse("firing", "fp13", "127.0.200.13:22"), default);
        Assert.Equal(1, busy.Deferred);
        Assert.False(_links.Links.ContainsKey(("alertmanager", "fp13")));
        Assert.Empty(outcome.Opened);
    }

    [Fact]
    public async Task SameNotificationConcurrently_OneIncident()
    {
        var p = Processor();
        await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Task.Run(() => p.ProcessAsync(Parse("firing"), default))));
        Assert.Single(_incidents.Started);
    }

    [Fact]
    public async Task MaintenanceBySite_TheInventorySiteCovers_AnAlertWithoutASiteLabel_AcknowledgedNotDiagnosed()
    {
        var options = new AlertOptions
        {
            Maintenance = [new MaintenanceWindow { Sites = ["lab"], Start = _time.GetUtcNow().AddHours(-1), End = _time.GetUtcNow().AddHours(1), Reason = "CHG-77" }],
        };
        var devices = Lab.Devices.Select(d => d with { Site = d.Name.Value == "sw-access-12" ? "lab" : "paris" }).ToList();
        var p = new AlertProcessor(new AlertRouting(options, devices, Lab.DefaultRunbook), _links, _incidents, _notice, _time, options);

        var outcome = await p.ProcessAsync(Parse("firing"), default);
        Assert.Equal(1, outcome.Maintenance);
        Assert.Empty(_incidents.Started);
        Assert.Equal("sw-access-12 is in a maintenance window until 2026-12-06 02:00:00Z (CHG-77): alert SSHDown from Alertmanager acknowledged, not diagnosed.", Assert.Single(_notice.Posted).Text);

        await p.ProcessAsync(Parse("firing", fingerprint: "fp13", instance: "127.0.200.13:22"), default);
        Assert.Equal("sw-access-13", Assert.Single(_incidents.Started).Device.Name.Value);
    }
}
