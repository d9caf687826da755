using System.Net;
using Microsoft.Extensions.Time.Testing;
using NetOpsBot.Core.Devices;
using NetOpsBot.Core.Diagnosis;
using NetOpsBot.Core.Runbooks;
using NetOpsBot.Runbooks.SshUnreachable;

namespace NetOpsBot.Alerts.Tests;

/// <summary>A storm of alerts behind one gateway: grouped within a window, the gateway checked first and once.</summary>
public sealed class StormTests
{
    private const string Silence = "TCP 127.0.200.11:22 from the jump host: timeout, no answer within 5000 ms (SYN dropped or filtered)";

    private readonly MemoryLinks _links = new();
    private readonly FakeIncidents _incidents = new();
    private readonly FakeNotice _notice = new();
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 12, 6, 1, 0, 0, TimeSpan.Zero));
    private readonly FakeGatewayCheck _check;
    private readonly GatewayDownBoard _board;

    public StormTests()
    {
        _check = new FakeGatewayCheck(_incidents);
        _board = new GatewayDownBoard(_time);
    }

    private static DeviceRef Device(string name, int n, string? gateway = "sw-agg-01", string? site = null) =>
        new(DeviceName.Parse(name), "huawei-vrp", $"127.0.200.{n}", IPAddress.Parse($"10.20.0.{n}"), 22, [], gateway is null ? null : DeviceName.Parse(gateway), "lab-jump", null, "lab-device") { Site = site };

    private static readonly IReadOnlyList<DeviceRef> Devices =
    [
        Device("sw-agg-01", 11, gateway: null),
        .. Enumerable.Range(12, 10).Select(n => Device($"sw-access-{n}", n)),
        Device("sw-core-01", 90, gateway: null),
        Device("sw-edge-91", 91, gateway: "sw-core-01"),
    ];

    private AlertProcessor Processor(StormOptions? storm = null)
    {
        var options = new AlertOptions { Storm = storm ?? new StormOptions { WindowSeconds = 30, MinDevices = 3 } };
        var storms = new AlertStorms(options.Storm, _check, name => Devices.FirstOrDefault(d => d.Name == name), _time);
        return new AlertProcessor(new AlertRouting(options, Devices, Lab.DefaultRunbook), _links, _incidents, _notice, _time, options, storms, _board);
    }

    private static Alert Firing(string device) => new(
        "alertmanager", "Alertmanager", "fp-" + device, AlertStatus.Firing,
        new Dictionary<string, string> { ["alertname"] = "SSHDown", ["device"] = device }, new Dictionary<string, string>(), null, null, null);

    private static List<Alert> Firing(params int[] access) => [.. access.Select(n => Firing($"sw-access-{n}"))];

    [Fact]
    public async Task DeadGateway_OneNotification_CheckedOnceBeforeAnyIncident_OneStormLine_EachIncidentSaysSoWithTheEvidence()
    {
        _check.Answer = new GatewayCheck(GatewayAnswer.Silent, Silence);
        var outcome = await Processor().ProcessAsync(Firing(12, 13, 14, 15, 16), default);

        Assert.Equal(5, outcome.Opened.Count);
        var call = Assert.Single(_check.Calls);
        Assert.Equal(("sw-agg-01", 0), (call.Gateway, call.IncidentsBefore));
        var line = Assert.Single(_notice.Posted);
        Assert.Equal(("webchat", "netops"), (line.Channel.Platform, line.Channel.ChannelId));
        Assert.Equal(
            $"Alert storm: SSHDown from Alertmanager for 5 devices behind sw-agg-01 within 30 s; the gateway was checked first, once. sw-agg-01 (the gateway of 5 alerted devices) does not answer: {Silence}. Their incidents say so instead of diagnosing each device through it.",
            line.Text);
        Assert.All(_incidents.Started, s => Assert.Equal($"opened by alert SSHDown from Alertmanager: sw-agg-01 (the gateway of 5 alerted devices) does not answer: {Silence}", s.Summary));

        // Each incident's run reports the gateway's silence once; the device's next run is a real diagnosis again.
        var inner = new CountingRunner();
        var runner = new GatewayFirstRunner(inner, Runbook(inner), _board, _time);
        var report = await runner.RunAsync(Devices.Single(d => d.Name.Value == "sw-access-13"), null, default);
        Assert.Equal(0, inner.Runs);
        Assert.Empty(report.RootCauses);
        Assert.Empty(report.Remediations);
        var gateway = report.Steps.Single(s => s.StepId == "gateway");
        Assert.Equal((StepStatus.Error, "sw-agg-01 (the gateway of 5 alerted devices) does not answer: " + Silence), (gateway.Status, gateway.Finding));
        Assert.Equal([Silence], gateway.Evidence);
        Assert.StartsWith("Not diagnosed: sw-agg-01", report.Steps.Single(s => s.StepId == "verdict").Finding, StringComparison.Ordinal);

        // The way to run it again is the runbook's own command word, from its definition, not a literal.
        Assert.EndsWith("Restore sw-agg-01 first, then run /gwtestdiag sw-access-13", report.Steps.Single(s => s.StepId == "verdict").Finding, StringComparison.Ordinal);
        Assert.All(report.Steps.Where(s => s.StepId is not "gateway" and not "verdict"), s => Assert.Equal(StepStatus.Skipped, s.Status));
        await runner.RunAsync(Devices.Single(d => d.Name.Value == "sw-access-13"), null, default);
        Assert.Equal(1, inner.Runs);
    }

    [Fact]
    public async Task Window_DevicesAddUpAcrossNotifications_CheckOncePerWindow_AfterTheWindowANewStorm()
    {
        _check.Answer = new GatewayCheck(GatewayAnswer.Silent, Silence);
        var p = Processor();

        // Two devices: not a storm yet, each diagnosed as today and nothing checked.
        await p.ProcessAsync(Firing(12, 13), default);
        Assert.Empty(_check.Calls);
        Assert.All(_incidents.Started, s => Assert.EndsWith("diagnosing SSH on " + s.Device.Name.Value, s.Summary, StringComparison.Ordinal));

        // A third within the window makes the storm: the gateway is checked then, once, and only the new incident says so.
        _time.Advance(TimeSpan.FromSeconds(10));
        await p.ProcessAsync(Firing(14), default);
        Assert.Single(_check.Calls);
        Assert.Equal(2, _check.Calls[0].IncidentsBefore);
        Assert.Equal("opened by alert SSHDown from Alertmanager: sw-agg-01 (the gateway of 3 alerted devices) does not answer: " + Silence, _incidents.Started[2].Summary);
        Assert.Single(_notice.Posted);

        // Later in the same window: the one result is shared, no second check, no second storm line.
        _time.Advance(TimeSpan.FromSeconds(15));
        await p.ProcessAsync(Firing(15), default);
        Assert.Single(_check.Calls);
        Assert.Single(_notice.Posted);
        Assert.Contains("(the gateway of 4 alerted devices) does not answer", _incidents.Started[3].Summary, StringComparison.Ordinal);

        // Past the window (30 s from the storm's first alert): a new window, one device, no storm.
        _time.Advance(TimeSpan.FromSeconds(6));
        await p.ProcessAsync(Firing(16), default);
        Assert.Single(_check.Calls);
        Assert.EndsWith("diagnosing SSH on sw-access-16", _incidents.Started[4].Summary, StringComparison.Ordinal);

        // A device behind another gateway never joins sw-agg-01's storm.
        await p.ProcessAsync([Firing("sw-edge-91"), .. Firing(17, 18)], default);
        Assert.Equal(["sw-agg-01", "sw-agg-01"], _check.Calls.Select(c => c.Gateway));
        Assert.EndsWith("diagnosing SSH on sw-edge-91", _incidents.Started.Single(s => s.Device.Name.Value == "sw-edge-91").Summary, StringComparison.Ordinal);
    }

    [Fact]
    public async Task HealthyGateway_EachDeviceDiagnosedAsToday_OneLineSaysTheGatewayAnswers()
    {
        _check.Answer = new GatewayCheck(GatewayAnswer.Answers, "TCP 127.0.200.11:22 from the jump host: open, connected in 3 ms");
        await Processor().ProcessAsync(Firing(12, 13, 14, 15), default);

        Assert.Single(_check.Calls);
        Assert.Equal(
            "Alert storm: SSHDown from Alertmanager for 4 devices behind sw-agg-01 within 30 s; the gateway was checked first, once. sw-agg-01 answers (TCP 127.0.200.11:22 from the jump host: open, connected in 3 ms): each device is diagnosed on its own.",
            Assert.Single(_notice.Posted).Text);
        Assert.All(_incidents.Started, s => Assert.EndsWith("diagnosing SSH on " + s.Device.Name.Value, s.Summary, StringComparison.Ordinal));
        var inner = new CountingRunner();
        await new GatewayFirstRunner(inner, Runbook(inner), _board, _time).RunAsync(Devices[1], null, default);
        Assert.Equal(1, inner.Runs);
    }

    [Fact]
    public async Task TheGatewayAlertingToo_OpensFirst_AndIsDiagnosedItself()
    {
        _check.Answer = new GatewayCheck(GatewayAnswer.Silent, Silence);
        await Processor().ProcessAsync([.. Firing(12, 13, 14), Firing("sw-agg-01")], default);

        Assert.Equal("sw-agg-01", _incidents.Started[0].Device.Name.Value);
        Assert.EndsWith("diagnosing SSH on sw-agg-01", _incidents.Started[0].Summary, StringComparison.Ordinal);
        Assert.All(_incidents.Started.Skip(1), s => Assert.Contains("does not answer", s.Summary, StringComparison.Ordinal));
    }

    [Fact]
    public async Task UnknownGatewayState_Or_GroupingOff_NothingClaimedAboutTheGateway()
    {
        _check.Answer = new GatewayCheck(GatewayAnswer.Unknown, "TCP 127.0.200.11:22 from the jump host: jumphostunreachable, connection refused");
        await Processor().ProcessAsync(Firing(12, 13, 14), default);
        Assert.Contains("Its state is unknown", Assert.Single(_notice.Posted).Text, StringComparison.Ordinal);
        Assert.All(_incidents.Started, s => Assert.EndsWith("diagnosing SSH on " + s.Device.Name.Value, s.Summary, StringComparison.Ordinal));

        var off = new StormTests();
        await off.Processor(new StormOptions { WindowSeconds = 0 }).ProcessAsync(Firing(12, 13, 14, 15), default);
        Assert.Empty(off._check.Calls);
        Assert.Empty(off._notice.Posted);
    }

    [Fact]
    public void StormOptions_Validate_NamesTheKeys()
    {
        var problems = new AlertOptions { Storm = new StormOptions { WindowSeconds = -1, MinDevices = 1, GatewayCheckTimeoutSeconds = 0 } }.Validate(["ssh-unreachable"], ["webchat"]);
        Assert.Contains("NetOps:Alerts:Storm:WindowSeconds must be between 0 (off) and 3600", problems);
        Assert.Contains("NetOps:Alerts:Storm:MinDevices must be at least 2", problems);
        Assert.Contains("NetOps:Alerts:Storm:GatewayCheckTimeoutSeconds must be above 0 and at most 120", problems);
    }

    private sealed class FakeGatewayCheck(FakeIncidents incidents) : IGatewayCheck
    {
        public GatewayCheck Answer { get; set; } = new(GatewayAnswer.Answers, "open");

        public List<(string Gateway, int IncidentsBefore)> Calls { get; } = [];

        public Task<GatewayCheck> CheckAsync(DeviceRef gateway, TimeSpan timeout, CancellationToken cancellationToken)
        {
            lock (Calls)
            {
                Calls.Add((gateway.Name.Value, incidents.Started.Count));
            }

            return Task.FromResult(Answer);
        }
    }

    /// <summary>A runbook whose command word is not the product's, so a literal "/sshdiag" would show.</summary>
    private static RunbookDefinition Runbook(IDiagnosisRunner runner) =>
        new("gateway-test", "Gateway test", "/gwtestdiag", "tests the storm report", [new RunbookCause(SshUnreachableCauses.Healthy, RootCauseSeverity.NoFault)], runner.Steps);

    private sealed class CountingRunner : IDiagnosisRunner
    {
        public int Runs { get; private set; }

        public IReadOnlyList<StepDescriptor> Steps { get; } =
        [
            new("access", "Access"), new("gateway", "L2/L3 from the gateway"), new("routing", "Route back"), new("verdict", "Verdict"),
        ];

        public Task<DiagnosisReport> RunAsync(DeviceRef device, IDiagnosisObserver? observer, CancellationToken cancellationToken)
        {
            Runs++;
            return Task.FromResult(new DiagnosisReport(device, DateTimeOffset.UnixEpoch, TimeSpan.Zero, [], [], []));
        }
    }
}
